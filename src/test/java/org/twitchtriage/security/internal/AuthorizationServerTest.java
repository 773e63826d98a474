package org.twitchtriage.security.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class AuthorizationServerTest {

    private static final String DISCOVERY = "/realm/.well-known/openid-configuration";

    private WireMockServer issuer;

    @BeforeEach
    void start() {
        issuer =
                new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        issuer.start();
    }

    @AfterEach
    void stop() {
        issuer.stop();
    }

    @Test
    void theDiscoveryDocumentIsFetchedOnce() {
        issuer.stubFor(get(urlEqualTo(DISCOVERY))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"token_endpoint\":\"https://auth.example.test/token\","
                                + "\"authorization_endpoint\":\"https://auth.example.test/authorize\"}")));
        AuthorizationServer server = server();
        assertThat(server.tokenEndpoint()).hasValue("https://auth.example.test/token");
        assertThat(server.authorizationEndpoint()).hasValue("https://auth.example.test/authorize");
        issuer.verify(1, getRequestedFor(urlEqualTo(DISCOVERY)));
    }

    @Test
    void afterAFailureTheIssuerIsNotAskedAgainAtOnce() {
        issuer.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(aResponse().withStatus(503)));
        AuthorizationServer server = server();
        assertThat(server.tokenEndpoint()).isEmpty();
        assertThat(server.tokenEndpoint()).isEmpty();
        assertThat(server.authorizationEndpoint()).isEmpty();
        issuer.verify(1, getRequestedFor(urlEqualTo(DISCOVERY)));
    }

    private AuthorizationServer server() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                        "http://127.0.0.1:" + issuer.port() + "/realm");
        return new AuthorizationServer(
                environment,
                new AccessProperties(
                        "operations",
                        List.of(),
                        new AccessProperties.Smart(null, null),
                        new AccessProperties.Introspection(Duration.ofSeconds(60), List.of()),
                        List.of(),
                        new AccessProperties.Launch("twitch-triage-form", "openid", "")));
    }
}
