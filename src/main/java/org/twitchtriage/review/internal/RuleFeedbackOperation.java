package org.twitchtriage.review.internal;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;
import org.twitchtriage.fhir.OperationOutcomes;
import org.twitchtriage.fhir.PlainProvider;
import org.twitchtriage.review.ResultFeedback;
import org.twitchtriage.review.ResultFeedback.ReasonCount;
import org.twitchtriage.review.ResultFeedback.Tally;

/**
 * {@code GET|POST PlanDefinition/$rule-feedback}: the governance figures of the clinician pages as a
 * {@code Parameters} resource: per rule (coded from the triage-rule CodeSystem) and per level, how often results
 * were accepted and overridden, and the reasons the overrides gave. On PlanDefinition because the rules are
 * published as one.
 */
@Component
public class RuleFeedbackOperation implements PlainProvider {

    static final String SINCE = "since";
    static final String RULES = "rules";

    private final ResultFeedback feedback;

    RuleFeedbackOperation(ResultFeedback feedback) {
        this.feedback = feedback;
    }

    /**
     * The inputs are taken as text and parsed here, so that a bad value is refused naming the parameter.
     *
     * @param since only verdicts given at or after this date or dateTime (a date alone: from its start in the
     *     server's time zone)
     * @param rules only verdicts on results worked out by these rules: the canonical with its version, as the
     *     triage Observation's {@code method.text} records it
     */
    @Operation(name = "$rule-feedback", type = PlanDefinition.class, idempotent = true)
    public Parameters ruleFeedback(
            @OperationParam(name = SINCE, max = 1) String since, @OperationParam(name = RULES, max = 1) String rules) {
        Instant from = since == null || since.isBlank() ? null : instant(since);
        String version = rules == null || rules.isBlank() ? null : rules.strip();
        ResultFeedback.Figures figures = feedback.figures(from, version);
        Parameters parameters = new Parameters();
        if (from != null) {
            parameters.addParameter(SINCE, new DateTimeType(since.strip()));
        }
        if (version != null) {
            parameters.addParameter(RULES, new CanonicalType(version));
        }
        figures.rules().forEach(tally -> parts(parameters.addParameter().setName("rule"), tally));
        figures.levels().forEach(tally -> parts(parameters.addParameter().setName("level"), tally));
        return parameters;
    }

    private static Instant instant(String value) {
        try {
            return new DateTimeType(value.strip()).getValue().toInstant();
        } catch (DataFormatException | IllegalArgumentException | NullPointerException bad) {
            String message = "Parameter 'since' must be a FHIR date or dateTime (2026-01-31 or 2026-01-31T08:00:00Z)";
            InvalidRequestException refused = new InvalidRequestException(message);
            refused.setOperationOutcome(OperationOutcomes.error(IssueType.INVALID, message));
            throw refused;
        }
    }

    private static void parts(ParametersParameterComponent target, Tally tally) {
        target.addPart().setName("code").setValue(new Coding(tally.system(), tally.code(), tally.display()));
        target.addPart().setName("accepted").setValue(count(tally.accepted()));
        target.addPart().setName("overridden").setValue(count(tally.overridden()));
        for (ReasonCount reason : tally.reasons()) {
            ParametersParameterComponent given = target.addPart().setName("reason");
            if (reason.code() != null) {
                given.addPart()
                        .setName("code")
                        .setValue(new Coding(ResultFeedback.REASONS, reason.code(), reason.display()));
            } else {
                given.addPart().setName("text").setValue(new StringType(reason.display()));
            }
            given.addPart().setName("count").setValue(count(reason.count()));
        }
    }

    private static Type count(long count) {
        return new IntegerType(Math.toIntExact(count));
    }
}
