package org.twitchtriage.intake.internal;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twitchtriage.fhir.ErrorTranslation;
import org.twitchtriage.fhir.OperationOutcomes;
import org.twitchtriage.intake.AmbiguousConditionException;
import org.twitchtriage.intake.IdentifierConflictException;
import org.twitchtriage.intake.InvalidConditionException;
import org.twitchtriage.intake.SubmissionRejectedException;

/** How intake's refusals read to FHIR clients; the FHIR server's error interceptor applies them. */
@Configuration(proxyBeanMethods = false)
public class IntakeErrors {

    /** 422 with one issue per problem, so a portal can point at each answer to correct. */
    @Bean
    ErrorTranslation<SubmissionRejectedException> submissionRejected() {
        return ErrorTranslation.of(
                SubmissionRejectedException.class,
                e -> new UnprocessableEntityException(Rejections.outcome(e.problems())));
    }

    @Bean
    ErrorTranslation<InvalidConditionException> invalidCondition() {
        return ErrorTranslation.of(InvalidConditionException.class, e -> new InvalidRequestException(e.getMessage()));
    }

    /** 409: the identifier belongs to another accepted response; the diagnostics say how to correct one. */
    @Bean
    ErrorTranslation<IdentifierConflictException> identifierConflict() {
        return ErrorTranslation.of(
                IdentifierConflictException.class,
                e -> new ResourceVersionConflictException(
                        e.getMessage(), OperationOutcomes.error(IssueType.CONFLICT, e.getMessage())));
    }

    /** 412, as FHIR's conditional create asks when the condition matches several resources. */
    @Bean
    ErrorTranslation<AmbiguousConditionException> ambiguousCondition() {
        return ErrorTranslation.of(
                AmbiguousConditionException.class, e -> new PreconditionFailedException(e.getMessage()));
    }
}
