package org.twitchtriage.simulation.internal;

import java.util.List;

/**
 * The responses a source yielded: those read, those that could not be read as QuestionnaireResponses, and how many
 * it left out because they were retracted ({@code entered-in-error}).
 */
public record ResponseBatch(List<NamedResponse> responses, List<InvalidResponse> unreadable, int retracted) {

    public ResponseBatch {
        responses = List.copyOf(responses);
        unreadable = List.copyOf(unreadable);
    }

    public ResponseBatch(List<NamedResponse> responses, List<InvalidResponse> unreadable) {
        this(responses, unreadable, 0);
    }
}
