package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.util.List;
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
    void anIntrospectionEndpointAloneIsSecuredModeWithoutJwts() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(
                        "spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
                        "https://auth.example.test/introspect");
        new DevelopmentMode().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("server.address")).isNull();
        assertThat(DevelopmentMode.secured(environment)).isTrue();
        assertThat(DevelopmentMode.jwtConfigured(environment)).isFalse();
        assertThat(TokenIntrospection.configured(environment)).isTrue();
    }

    @Test
    void introspectionNeedsBothClientCredentialsOrNeither() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(
                        "spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
                        "https://auth.example.test/introspect")
                .withProperty("spring.security.oauth2.resourceserver.opaquetoken.client-id", "triage");
        AccessProperties.Introspection settings = new AccessProperties.Introspection(Duration.ofSeconds(60), List.of());
        assertThatThrownBy(() -> TokenIntrospection.introspector(environment, settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client-secret");
        environment.setProperty("spring.security.oauth2.resourceserver.opaquetoken.client-secret", "s3cret");
        assertThat(TokenIntrospection.introspector(environment, settings)).isNotNull();
        assertThatThrownBy(() -> new AccessProperties.Introspection(Duration.ofSeconds(-1), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
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
