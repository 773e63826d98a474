package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.twitchtriage.fhir.ErrorResponses;

class AuthorizationServerUnavailableTest {

    @Test
    void keysThatCannotBeFetchedGive503() throws Exception {
        AuthorizationServerUnavailable filter =
                new AuthorizationServerUnavailable(new ErrorResponses(FhirContext.forR4Cached()));
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain failing = (request, ignored) -> {
            throw new AuthenticationServiceException("Couldn't retrieve remote JWK set");
        };
        filter.doFilter(new MockHttpServletRequest("GET", "/fhir/Observation"), response, failing);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("30");
        assertThat(response.getContentAsString()).contains("OperationOutcome").doesNotContain("JWK set");
    }
}
