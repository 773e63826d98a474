package org.twitchtriage.modulithfixture;

/** The root of a deliberately broken two-module application that ModularityTest expects Modulith to refuse. */
class FixtureApplication {}
