package org.twitchtriage.intake.internal;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twitchtriage.fhir.ErrorTranslation;
import org.twitchtriage.fhir.OperationOutcomes;
import org.twitchtriage.intake.AmbiguousConditionException;
import org.twitchtriage.intake.IdentifierConflictException;
import org.twitchtriage.intake.InvalidConditionException;
import org.twitchtriage.intake.ResponseNotFoundException;
import org.twitchtriage.intake.StaleVersionException;
import org.twitchtriage.intake.SubmissionRejectedException;
import org.twitchtriage.intake.UpdateRefusedException;

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

    /** 404: updates never create a response under an id the client chose. */
    @Bean
    ErrorTranslation<ResponseNotFoundException> responseNotFound() {
        return ErrorTranslation.of(ResponseNotFoundException.class, e -> new ResourceNotFoundException(e.getMessage()));
    }

    /** 412, as FHIR asks for an If-Match that is not the current version. */
    @Bean
    ErrorTranslation<StaleVersionException> staleVersion() {
        return ErrorTranslation.of(
                StaleVersionException.class,
                e -> new PreconditionFailedException(
                        e.getMessage(), OperationOutcomes.error(IssueType.CONFLICT, e.getMessage())));
    }

    /** 422 naming the element a correction may not change. */
    @Bean
    ErrorTranslation<UpdateRefusedException> updateRefused() {
        return ErrorTranslation.of(UpdateRefusedException.class, e -> {
            OperationOutcome outcome = OperationOutcomes.error(IssueType.BUSINESSRULE, e.getMessage());
            outcome.getIssueFirstRep().addExpression(e.expression());
            return new UnprocessableEntityException(e.getMessage(), outcome);
        });
    }

    /** 412, as FHIR's conditional create asks when the condition matches several resources. */
    @Bean
    ErrorTranslation<AmbiguousConditionException> ambiguousCondition() {
        return ErrorTranslation.of(
                AmbiguousConditionException.class, e -> new PreconditionFailedException(e.getMessage()));
    }
}
