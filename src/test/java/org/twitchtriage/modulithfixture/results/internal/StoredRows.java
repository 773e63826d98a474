package org.twitchtriage.modulithfixture.results.internal;

/** An internal type of the fixture's results module. */
public class StoredRows {}
