package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.twitchtriage.fhir.ErrorTranslation;
import org.twitchtriage.fhir.Failures;

class InternalErrorInterceptorTest {

    /** A service's exception, named for what happened. */
    static final class NothingToRedoException extends RuntimeException {

        NothingToRedoException() {
            super("Nothing to redo");
        }
    }

    private final InternalErrorInterceptor interceptor = new InternalErrorInterceptor(List.of(
            ErrorTranslation.of(NothingToRedoException.class, e -> new PreconditionFailedException(e.getMessage()))));

    @Test
    void aDomainExceptionIsAnsweredAsItsTranslationSays() {
        BaseServerResponseException sent = interceptor.hideInternals(new NothingToRedoException());

        assertThat(sent.getStatusCode()).isEqualTo(412);
        assertThat(sent.getOperationOutcome()).isInstanceOfSatisfying(OperationOutcome.class, outcome -> {
            assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.PROCESSING);
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo("Nothing to redo");
        });
    }

    @Test
    void aDomainExceptionFromAProviderMethodIsTranslatedThroughHapisWrapping() {
        // What HAPI throws when a provider method throws something other than its own exceptions.
        InternalErrorException wrapped = new InternalErrorException(
                "Failed to call access method", new InvocationTargetException(new NothingToRedoException()));

        assertThat(interceptor.hideInternals(wrapped).getStatusCode()).isEqualTo(412);
    }

    @Test
    void anUnexpectedFailureReachesTheClientAsAReferenceOnly() {
        BaseServerResponseException sent = interceptor.hideInternals(
                new IllegalStateException("duplicate key (identifier_value)=(sensitive-value)"));

        assertThat(sent).isInstanceOf(InternalErrorException.class);
        assertThat(sent.getStatusCode()).isEqualTo(500);
        assertThat(sent.getMessage()).doesNotContain("sensitive-value").contains("error reference");
    }

    @Test
    void aWrappedFailureIsHiddenToo() {
        BaseServerResponseException sent = interceptor.hideInternals(
                new InternalErrorException("wrapped", new RuntimeException("sensitive-value")));

        assertThat(sent.getMessage()).doesNotContain("sensitive-value").doesNotContain("wrapped");
    }

    @Test
    void clientErrorsPassUnchanged() {
        InvalidRequestException invalid = new InvalidRequestException("_count must not be negative");

        assertThat(interceptor.hideInternals(invalid)).isSameAs(invalid);
    }

    @Test
    void clientErrorsCarryAnOutcomeOfTheirOwnSoHapiDoesNotLogTheirMessage() {
        InvalidRequestException invalid = new InvalidRequestException("Invalid date/time format: \"a-value\"");

        BaseServerResponseException sent = interceptor.hideInternals(invalid);

        assertThat(sent.getOperationOutcome())
                .isInstanceOfSatisfying(
                        OperationOutcome.class,
                        outcome -> assertThat(outcome.getIssueFirstRep().getDiagnostics())
                                .isEqualTo(invalid.getMessage()));
    }

    @Test
    void malformedParametersAreTheClientsError() {
        BaseServerResponseException sent =
                interceptor.hideInternals(new DataFormatException("Invalid date/time format: \"notadate\""));

        assertThat(sent.getStatusCode()).isEqualTo(400);
    }

    @Test
    void theLogDescriptionLeavesMessagesOut() {
        String described = Failures.describe(
                new IllegalStateException("sensitive-value", new IllegalArgumentException("also-sensitive")));

        assertThat(described)
                .contains("IllegalStateException", "IllegalArgumentException")
                .doesNotContain("sensitive-value")
                .doesNotContain("also-sensitive");
    }
}
