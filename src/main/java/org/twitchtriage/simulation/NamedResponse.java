package org.twitchtriage.simulation;

import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * A response to simulate, named by its file or stored id: the only thing about it that reports show.
 */
record NamedResponse(String name, QuestionnaireResponse response) {}
