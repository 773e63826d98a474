package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/** Without an authorization server: open, on loopback only, and saying so. */
class DevelopmentModeIT extends IntegrationTest {

    @Autowired
    private Environment environment;

    @Test
    void listensOnLoopbackOnly() {
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
    }

    @Test
    void everyRequestIsAllowedWithoutAToken() {
        assertThat(post(
                                "/QuestionnaireResponse",
                                JSON,
                                json(ChecklistResponses.benign().build()))
                        .statusCode())
                .isEqualTo(201);
        assertThat(get("/$failed-deliveries").statusCode()).isEqualTo(200);
    }

    @Test
    void healthShowsItsDetailsToEveryone() {
        java.net.http.HttpResponse<String> health = send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/actuator/health/db"))
                .build());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"details\"").contains("\"database\"");
    }

    @Test
    void discoverySaysThereIsNoAuthorizationServer() {
        outcome(get("/.well-known/smart-configuration"), 404);
        CapabilityStatement capability = parse(CapabilityStatement.class, get("/metadata"));
        assertThat(capability.getRestFirstRep().getSecurity().getDescription()).startsWith("Development mode");
        assertThat(capability.getRestFirstRep().getSecurity().hasService()).isFalse();
    }

    @Test
    void theLaunchConfigurationSaysThereIsNothingToSignInTo() {
        java.net.http.HttpResponse<String> config = send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/launch/config"))
                        .build());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).isEqualTo("{\"secured\":false}");
    }

    @Test
    void theSandboxIsNotThereUnlessAskedFor() {
        for (String path :
                new String[] {"/sandbox/launcher", "/sandbox/login", "/oauth2/jwks", "/.well-known/openid-configuration"
                }) {
            java.net.http.HttpResponse<String> response =
                    send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                            .build());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
    }
}
