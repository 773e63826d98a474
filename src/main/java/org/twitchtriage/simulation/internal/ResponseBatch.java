package org.twitchtriage.simulation.internal;

import java.util.List;

/** The responses a source yielded: those read, and those that could not be read as QuestionnaireResponses. */
public record ResponseBatch(List<NamedResponse> responses, List<InvalidResponse> unreadable) {

    public ResponseBatch {
        responses = List.copyOf(responses);
        unreadable = List.copyOf(unreadable);
    }
}
