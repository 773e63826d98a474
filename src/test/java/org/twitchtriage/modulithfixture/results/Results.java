package org.twitchtriage.modulithfixture.results;

/** The fixture results module's API. */
public class Results {}
