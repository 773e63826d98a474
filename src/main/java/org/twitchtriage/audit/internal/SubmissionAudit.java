package org.twitchtriage.audit.internal;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.intake.ResponseStored;
import org.twitchtriage.security.Callers;

/**
 * Records the success of a FHIR request that stores a new submission (create, $submit, a conditional update
 * that creates) in the submission's own transaction, so one commit makes the submission and its AuditEvent
 * durable. The event says what {@link AuditInterceptor} would record from the answer: the same status, the
 * same resources. If the write fails, or the transaction does not commit, the interceptor records the request
 * after it as it records every other.
 */
public class SubmissionAudit {

    private static final String SUBMIT = "$submit";

    private final AuditTrail trail;
    private final Callers callers;

    SubmissionAudit(AuditTrail trail, Callers callers) {
        this.trail = trail;
        this.callers = callers;
    }

    @EventListener
    void on(ResponseStored stored) {
        RequestDetails request = AuditInterceptor.handling();
        if (request == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        RestOperationTypeEnum operation = request.getRestOperationType();
        int status;
        IBaseResource answer;
        if (operation == RestOperationTypeEnum.CREATE || operation == RestOperationTypeEnum.UPDATE) {
            // An update stores a new response only when its condition matched nothing: 201, as a create.
            status = 201;
            answer = stored.response();
        } else if (RequestAudit.isOperation(operation) && SUBMIT.equals(request.getOperation())) {
            status = 200;
            answer = answer(stored);
        } else {
            return;
        }
        AuditRecord record;
        try {
            record = RequestAudit.describe(request, callers.current(), status, answer, null);
        } catch (RuntimeException e) {
            return;
        }
        if (trail.recordWithInteraction(record)) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int completion) {
                    AuditInterceptor.recordedWithInteraction(request, completion == STATUS_COMMITTED);
                }
            });
        }
    }

    /** The resources $submit answers with, in its order: the response, then what triage wrote. */
    private static Bundle answer(ResponseStored stored) {
        Bundle bundle = new Bundle();
        bundle.addEntry().setResource(stored.response());
        stored.results().forEach(resource -> bundle.addEntry().setResource(resource));
        return bundle;
    }
}
