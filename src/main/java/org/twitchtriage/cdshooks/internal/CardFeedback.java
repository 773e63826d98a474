package org.twitchtriage.cdshooks.internal;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceFeebackOutcomeEnum;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceFeedbackJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceOverrideReasonJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCodingJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.audit.AuditTrail.Action;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.BadHookRequestException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.UnknownCardException;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.review.ResultFeedback;
import org.twitchtriage.review.ResultFeedback.Channel;
import org.twitchtriage.review.ResultFeedback.Reason;
import org.twitchtriage.review.ResultFeedback.Verdict;
import org.twitchtriage.security.Caller;

/**
 * The EHR's feedback on cards ({@code {"feedback": [...]}}, CDS Hooks 2.0): each item names a card this service
 * issued, accepted or overridden (with one of the override reasons the card offered, and the user's comment). The
 * verdict is stored against the version of the result the card was built from. A request is stored whole or not
 * at all: one unknown card or unreadable item refuses it.
 */
@Component
class CardFeedback {

    static final Activity FEEDBACK = Activity.operation("$cds-feedback", Action.CREATE);

    private final IssuedCards cards;
    private final ResultsStore results;
    private final ResultFeedback feedback;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;

    CardFeedback(
            IssuedCards cards,
            ResultsStore results,
            ResultFeedback feedback,
            ObjectMapper json,
            PlatformTransactionManager transactions,
            AuditTrail audit) {
        this.cards = cards;
        this.results = results;
        this.feedback = feedback;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.audit = audit;
    }

    /** A feedback item understood: the card's result as it then stood, and the verdict. */
    private record Item(IssuedCard card, Observation judged, Verdict verdict) {}

    void store(Caller caller, JsonNode body) {
        JsonNode items = body.get("feedback");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new BadHookRequestException("The body must be {\"feedback\": [ ... ]} with at least one item");
        }
        List<Item> understood = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            understood.add(item(caller, items.get(i), "feedback[" + i + "]"));
        }
        transaction.executeWithoutResult(status ->
                understood.forEach(item -> feedback.record(item.card().submissionId(), item.judged(), item.verdict())));
        for (Item item : understood) {
            audit.record(
                    caller,
                    FEEDBACK,
                    Outcome.SUCCESS,
                    item.judged().getSubject().getReferenceElement().getIdPart(),
                    List.of(
                            FhirIds.reference(
                                    "QuestionnaireResponse", item.card().submissionId()),
                            FhirIds.reference("Observation", item.card().observationId())));
        }
    }

    private Item item(Caller caller, JsonNode node, String where) {
        CdsServiceFeedbackJson given;
        try {
            given = json.treeToValue(node, CdsServiceFeedbackJson.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BadHookRequestException(
                    where + " is not a feedback item: card (a uuid), outcome (accepted or overridden),"
                            + " overrideReason, outcomeTimestamp");
        }
        if (given == null || given.getCard() == null || given.getCard().isBlank()) {
            throw new BadHookRequestException(where + " names no card");
        }
        if (given.getOutcome() == null) {
            throw new BadHookRequestException(where + " has no outcome (accepted or overridden)");
        }
        IssuedCard card = cards.find(given.getCard())
                .orElseThrow(() -> new UnknownCardException(CdsServicesController.shortened(given.getCard())));
        Observation judged = results.read("Observation", card.observationId(), card.observationVersion())
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .orElseThrow(() -> new UnknownCardException(card.getId()));
        boolean overridden = given.getOutcome() == CdsServiceFeebackOutcomeEnum.overridden;
        Reason reason = overridden ? reason(given.getOverrideReason(), where) : null;
        String comment = overridden && given.getOverrideReason() != null
                ? given.getOverrideReason().getUserComment()
                : null;
        Verdict verdict = new Verdict(
                overridden ? ResultFeedback.Outcome.OVERRIDDEN : ResultFeedback.Outcome.ACCEPTED,
                reason,
                comment,
                timestamp(given.getOutcomeTimestamp(), where),
                who(caller),
                Channel.CDS_CARD,
                card.getId());
        return new Item(card, judged, verdict);
    }

    /** One of the override reasons the card offered; none is allowed, as CDS Hooks makes the reason optional. */
    private Reason reason(CdsServiceOverrideReasonJson given, String where) {
        if (given == null || given.getReason() == null) {
            return null;
        }
        CdsServiceResponseCodingJson coding = given.getReason();
        return feedback.reason(coding.getSystem(), coding.getCode())
                .orElseThrow(() -> new BadHookRequestException(where + ".overrideReason.reason is not one of the"
                        + " override reasons the card offered (system " + ResultFeedback.REASONS + ")"));
    }

    private static Instant timestamp(String value, String where) {
        if (value == null) {
            throw new BadHookRequestException(where + " has no outcomeTimestamp");
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadHookRequestException(where + ".outcomeTimestamp is not an ISO 8601 date and time");
        }
    }

    /** The EHR as its JWT names it: issuer and subject; "development" without one. */
    private static String who(Caller caller) {
        if (caller.issuer() == null) {
            return caller.subject();
        }
        return caller.subject() == null ? caller.issuer() : caller.issuer() + "|" + caller.subject();
    }
}
