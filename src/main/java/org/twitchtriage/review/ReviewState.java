package org.twitchtriage.review;

import java.util.List;
import org.hl7.fhir.r4.model.ServiceRequest;

/** What the clinician pages know of a triage result, for other ways of showing it (the CDS Hooks cards). */
public interface ReviewState {

    /** Whether a clinician reviewed the result as it stands (not since corrected, retracted or needing attention). */
    boolean reviewed(String submissionId);

    /**
     * The proposed orders of the result that await a clinician's sign-off: none where triage places orders
     * directly ({@code triage.intent=order}) or the result was retracted.
     */
    List<ServiceRequest> awaitingSignOff(String submissionId);
}
