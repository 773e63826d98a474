package org.twitchtriage.intake;

import java.util.List;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;

/**
 * A new QuestionnaireResponse was stored with what its triage wrote, as the submission will answer them.
 * Published inside the transaction that stores them, after {@link ResponseAccepted}, so a listener can write
 * what describes the submission (its AuditEvent) in the same commit.
 *
 * @param response the stored response (its id set, version 1)
 * @param results what its triage wrote, in the order the submission's answer lists them; empty without rules
 */
public record ResponseStored(String submissionId, QuestionnaireResponse response, List<Resource> results) {}
