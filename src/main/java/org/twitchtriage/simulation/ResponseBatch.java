package org.twitchtriage.simulation;

import java.util.List;

/** The responses a source yielded: those read, and those that could not be read as QuestionnaireResponses. */
record ResponseBatch(List<NamedResponse> responses, List<InvalidResponse> unreadable) {

    ResponseBatch {
        responses = List.copyOf(responses);
        unreadable = List.copyOf(unreadable);
    }
}
