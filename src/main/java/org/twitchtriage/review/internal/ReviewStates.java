package org.twitchtriage.review.internal;

import java.util.List;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.review.ReviewState;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageProperties.Intent;

/** The review state of a result as the worklist and the approval know it. */
@Component
public class ReviewStates implements ReviewState {

    private final Worklist worklist;
    private final ResultsStore results;
    private final TriageProperties triage;

    ReviewStates(Worklist worklist, ResultsStore results, TriageProperties triage) {
        this.worklist = worklist;
        this.results = results;
        this.triage = triage;
    }

    @Override
    public boolean reviewed(String submissionId) {
        return worklist.entry(submissionId).map(Worklist.Entry::reviewed).orElse(false);
    }

    @Override
    public List<ServiceRequest> awaitingSignOff(String submissionId) {
        if (triage.intent() != Intent.PROPOSAL) {
            return List.of();
        }
        return ReviewService.awaitingApproval(
                results.forSubmissions(List.of(submissionId)).get(submissionId));
    }
}
