package org.twitchtriage.review.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.audit.AuditTrail.Action;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.review.ResultFeedback;
import org.twitchtriage.review.ResultFeedback.Channel;
import org.twitchtriage.review.ResultFeedback.Given;
import org.twitchtriage.review.ResultFeedback.Reason;
import org.twitchtriage.review.ResultFeedback.Verdict;
import org.twitchtriage.review.internal.ReviewExceptions.BadFeedbackException;
import org.twitchtriage.review.internal.ReviewExceptions.FeedbackOnRetractedException;
import org.twitchtriage.review.internal.ReviewExceptions.ResultNotFoundException;
import org.twitchtriage.security.Caller;

/**
 * The clinician pages' verdicts: accept a result or override it with a reason from the triage-feedback-reason
 * CodeSystem and a comment; the verdicts given on a result; and the governance figures, per rule and per level.
 */
@RestController
@RequestMapping(path = "/clinician/api", produces = "application/json")
public class FeedbackController {

    static final Activity GIVE_FEEDBACK = Activity.operation("$feedback", Action.CREATE);

    private final ResultFeedback feedback;
    private final ResultsStore results;
    private final Worklist worklist;
    private final ReviewerIdentity reviewer;
    private final AuditTrail audit;
    private final Clock clock;

    FeedbackController(
            ResultFeedback feedback,
            ResultsStore results,
            Worklist worklist,
            ReviewerIdentity reviewer,
            AuditTrail audit,
            Clock clock) {
        this.clock = clock;
        this.feedback = feedback;
        this.results = results;
        this.worklist = worklist;
        this.reviewer = reviewer;
        this.audit = audit;
    }

    /** What the page sends: {@code reason} a code of the triage-feedback-reason CodeSystem. */
    record FeedbackRequest(String outcome, String reason, String comment) {}

    /** A verdict as the page shows it. */
    record FeedbackView(
            String id,
            String outcome,
            Reason reason,
            String comment,
            Instant at,
            String by,
            String channel,
            int observationVersion,
            String level) {

        static FeedbackView of(Given given) {
            Verdict verdict = given.verdict();
            return new FeedbackView(
                    given.id(),
                    verdict.outcome().code(),
                    verdict.reason(),
                    verdict.comment(),
                    verdict.at(),
                    verdict.by(),
                    verdict.channel().code(),
                    given.observationVersion(),
                    given.levelCode());
        }
    }

    @GetMapping("/feedback-reasons")
    List<Reason> reasons() {
        return feedback.reasons();
    }

    @GetMapping("/rule-feedback")
    ResultFeedback.Figures figures() {
        return feedback.figures();
    }

    @GetMapping("/results/{id}/feedback")
    List<FeedbackView> given(@PathVariable String id) {
        worklist.entry(SubmissionIds.checked(id)).orElseThrow(() -> new ResultNotFoundException(id));
        return feedback.of(id).stream().map(FeedbackView::of).toList();
    }

    /** Accepts or overrides the result as it stands; every call is a verdict of its own. */
    @PostMapping("/results/{id}/feedback")
    @ResponseStatus(HttpStatus.CREATED)
    FeedbackView give(@PathVariable String id, @RequestBody(required = false) FeedbackRequest request) {
        Caller caller = reviewer.caller();
        Given given;
        Observation observation;
        try {
            observation = current(id);
            given = feedback.record(id, observation, verdict(request));
        } catch (RuntimeException refused) {
            audit.record(
                    caller,
                    GIVE_FEEDBACK,
                    Outcome.MINOR_FAILURE,
                    null,
                    SubmissionIds.wellFormed(id) ? List.of(FhirIds.reference("QuestionnaireResponse", id)) : List.of());
            throw refused;
        }
        audit.record(
                caller,
                GIVE_FEEDBACK,
                Outcome.SUCCESS,
                observation.getSubject().getReferenceElement().getIdPart(),
                List.of(FhirIds.reference("QuestionnaireResponse", id), FhirIds.reference(observation)));
        return FeedbackView.of(given);
    }

    private Observation current(String id) {
        worklist.entry(SubmissionIds.checked(id)).orElseThrow(() -> new ResultNotFoundException(id));
        Observation observation = results.forSubmission(id).stream()
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .findFirst()
                .orElseThrow(() -> new ResultNotFoundException(id));
        if (observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR) {
            throw new FeedbackOnRetractedException(id);
        }
        return observation;
    }

    private Verdict verdict(FeedbackRequest request) {
        if (request == null || request.outcome() == null) {
            throw new BadFeedbackException("Say \"outcome\": \"accepted\" or \"overridden\"");
        }
        ResultFeedback.Outcome outcome = ResultFeedback.Outcome.of(request.outcome())
                .orElseThrow(() -> new BadFeedbackException(
                        "\"outcome\" is \"accepted\" or \"overridden\", not \"" + shortened(request.outcome()) + "\""));
        Reason reason = null;
        if (outcome == ResultFeedback.Outcome.OVERRIDDEN) {
            if (request.reason() == null || request.reason().isBlank()) {
                throw new BadFeedbackException("An override needs a \"reason\": one of the codes of "
                        + ResultFeedback.REASONS + " (GET /clinician/api/feedback-reasons)");
            }
            reason = feedback.reason(ResultFeedback.REASONS, request.reason())
                    .orElseThrow(() -> new BadFeedbackException("\"" + shortened(request.reason())
                            + "\" is not a reason of " + ResultFeedback.REASONS
                            + " (GET /clinician/api/feedback-reasons lists them)"));
        } else if (request.reason() != null && !request.reason().isBlank()) {
            throw new BadFeedbackException("An acceptance gives no \"reason\"; only an override does");
        }
        return new Verdict(
                outcome, reason, request.comment(), clock.instant(), reviewer.name(), Channel.RESULT_PAGE, null);
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
