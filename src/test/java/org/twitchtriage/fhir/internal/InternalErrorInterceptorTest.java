package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.twitchtriage.fhir.Failures;

class InternalErrorInterceptorTest {

    private final InternalErrorInterceptor interceptor = new InternalErrorInterceptor();

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
                        org.hl7.fhir.r4.model.OperationOutcome.class,
                        outcome -> assertThat(outcome.getIssueFirstRep().getDiagnostics())
                                .isEqualTo(invalid.getMessage()));
    }

    @Test
    void malformedParametersAreTheClientsError() {
        BaseServerResponseException sent = interceptor.hideInternals(
                new ca.uhn.fhir.parser.DataFormatException("Invalid date/time format: \"notadate\""));

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
