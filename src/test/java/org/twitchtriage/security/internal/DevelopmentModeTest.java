package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.twitchtriage.fhir.ErrorResponses;

class DevelopmentModeTest {

    @Test
    void withoutAnAuthorizationServerTheDefaultAddressIsLoopback() {
        MockEnvironment environment = new MockEnvironment();
        new DevelopmentMode().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
        assertThat(DevelopmentMode.secured(environment)).isFalse();
    }

    @Test
    void anExplicitAddressWinsButAPublicOneStopsStartUp() {
        MockEnvironment environment = new MockEnvironment().withProperty("server.address", "0.0.0.0");
        new DevelopmentMode().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> DevelopmentMode.check(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loopback only")
                .hasMessageContaining("issuer-uri");
        assertThatCode(() -> DevelopmentMode.check(new MockEnvironment().withProperty("server.address", "::1")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() ->
                        DevelopmentMode.check(new MockEnvironment().withProperty("management.server.port", "9090")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withAnAuthorizationServerNothingIsChanged() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "https://auth.example.test");
        new DevelopmentMode().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("server.address")).isNull();
        assertThat(DevelopmentMode.secured(environment)).isTrue();
    }

    @Test
    void requestsArrivingOnAPublicAddressAreRefused() throws Exception {
        DevelopmentMode.LoopbackOnlyFilter filter =
                new DevelopmentMode.LoopbackOnlyFilter(new ErrorResponses(FhirContext.forR4Cached()));
        MockHttpServletRequest outside = new MockHttpServletRequest("GET", "/fhir/QuestionnaireResponse");
        outside.setLocalAddr("10.1.2.3");
        MockHttpServletResponse refused = new MockHttpServletResponse();
        MockFilterChain notReached = new MockFilterChain();
        filter.doFilter(outside, refused, notReached);
        assertThat(refused.getStatus()).isEqualTo(403);
        assertThat(refused.getContentAsString()).contains("OperationOutcome");
        assertThat(notReached.getRequest()).isNull();

        MockHttpServletRequest local = new MockHttpServletRequest("GET", "/fhir/QuestionnaireResponse");
        local.setLocalAddr("127.0.0.1");
        MockFilterChain reached = new MockFilterChain();
        filter.doFilter(local, new MockHttpServletResponse(), reached);
        assertThat(reached.getRequest()).isSameAs(local);
    }
}
