package org.twitchtriage.simulation.internal;

import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * A response to simulate, named by its file or stored id: the only thing about it that reports show.
 */
public record NamedResponse(String name, QuestionnaireResponse response) {}
