package org.twitchtriage.fhir;

/**
 * Marks a bean with FHIR operations that are not tied to one resource provider (such as system-level
 * operations); the server registers every such bean as a plain provider.
 */
public interface PlainProvider {}
