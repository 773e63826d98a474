package org.twitchtriage.security.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * What the module knows of the authorization server: its issuer and JWK set from Spring Security's settings,
 * its endpoints from {@code security.smart.*} or, failing those, from the issuer's OpenID Connect discovery
 * document ({@code {issuer}/.well-known/openid-configuration}), fetched once when first needed.
 */
public final class AuthorizationServer {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationServer.class);
    private static final String JWT = "spring.security.oauth2.resourceserver.jwt.";
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    private final String issuer;
    private final String jwkSetUri;
    private final AccessProperties.Smart configured;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();
    private volatile JsonNode discovered;
    private long failedAt;

    AuthorizationServer(Environment environment, AccessProperties properties) {
        this.issuer = blankToNull(environment.getProperty(JWT + "issuer-uri"));
        this.jwkSetUri = blankToNull(environment.getProperty(JWT + "jwk-set-uri"));
        this.configured = properties.smart();
    }

    Optional<String> issuer() {
        return Optional.ofNullable(issuer);
    }

    Optional<String> jwksUri() {
        return Optional.ofNullable(jwkSetUri).or(() -> text("jwks_uri"));
    }

    Optional<String> authorizationEndpoint() {
        return configured.authorizationEndpoint() != null
                ? Optional.of(configured.authorizationEndpoint().toString())
                : text("authorization_endpoint");
    }

    Optional<String> tokenEndpoint() {
        return configured.tokenEndpoint() != null
                ? Optional.of(configured.tokenEndpoint().toString())
                : text("token_endpoint");
    }

    /** A field of the discovery document, if the document could be fetched and has it. */
    Optional<JsonNode> discovered(String field) {
        JsonNode document = discovery();
        return document == null || !document.hasNonNull(field) ? Optional.empty() : Optional.of(document.get(field));
    }

    private Optional<String> text(String field) {
        return discovered(field).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /**
     * The discovery document, fetched once; after a failure it is not asked for again until
     * {@link #RETRY_AFTER_FAILURE} has passed, so requests that describe the server never wait on an
     * unreachable issuer more than once a minute.
     */
    private JsonNode discovery() {
        JsonNode document = discovered;
        if (document != null || issuer == null) {
            return document;
        }
        synchronized (this) {
            if (discovered != null) {
                return discovered;
            }
            if (failedAt != 0 && System.nanoTime() - failedAt < RETRY_AFTER_FAILURE.toNanos()) {
                return null;
            }
            discovered = fetch(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
            failedAt = discovered == null ? System.nanoTime() : 0;
            return discovered;
        }
    }

    private JsonNode fetch(String location) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(location))
                            .timeout(Duration.ofSeconds(5))
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.warn("The authorization server's discovery document answered HTTP {}", response.statusCode());
                return null;
            }
            return json.readTree(response.body());
        } catch (IOException | IllegalArgumentException e) {
            log.warn(
                    "The authorization server's discovery document could not be fetched: {}",
                    e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
