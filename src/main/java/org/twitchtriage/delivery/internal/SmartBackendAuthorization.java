package org.twitchtriage.delivery.internal;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import net.minidev.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMART Backend Services: an access token from the EHR's token endpoint by OAuth2 {@code client_credentials},
 * the client authenticated by a JWT signed with its private key ({@code private_key_jwt}). The token endpoint
 * is configured or read from the EHR's {@code .well-known/smart-configuration}. A token serves every request
 * until shortly before it expires; after a 401 one fresh token is fetched. Safe for several delivery threads:
 * they share one token and one fetch at a time.
 *
 * <p>A token that cannot be had raises {@link SmartBackendTokenException}, an {@link IOException}: the
 * {@link EhrClient} then retries the delivery later, as when the EHR is unreachable.
 */
public final class SmartBackendAuthorization implements EhrAuthorization {

    static final String DISCOVERY_PATH = "/.well-known/smart-configuration";

    /** Without {@code expires_in}, the lifetime SMART recommends. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ERROR_TEXT = 200;
    private static final Logger log = LoggerFactory.getLogger(SmartBackendAuthorization.class);

    private final SmartBackendClientAssertion assertion;
    private final SmartBackendAlgorithm algorithm;
    private final Scope scopes;
    private final Duration refreshMargin;
    private final URI discovery;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile URI tokenEndpoint;
    private volatile Token current;

    /** @param renewAt when the token is no longer handed out; {@code obtained} orders fetches (nanoTime) */
    private record Token(String value, Instant renewAt, long obtained) {

        @Override
        public String toString() {
            return "Token[renewAt=" + renewAt + "]";
        }
    }

    private SmartBackendAuthorization(
            SmartBackendClientAssertion assertion,
            SmartBackendAlgorithm algorithm,
            Scope scopes,
            Duration refreshMargin,
            URI tokenEndpoint,
            URI discovery,
            Duration connectTimeout,
            Duration requestTimeout,
            Clock clock) {
        this.assertion = assertion;
        this.algorithm = algorithm;
        this.scopes = scopes;
        this.refreshMargin = refreshMargin;
        this.tokenEndpoint = tokenEndpoint;
        this.discovery = discovery;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** With the EHR's base URL, from which the token endpoint can be discovered, and the EHR's timeouts. */
    static SmartBackendAuthorization create(EhrProperties properties) {
        return create(
                properties.auth(),
                properties.enabled() ? properties.baseUrl() : null,
                properties.connectTimeout(),
                properties.requestTimeout(),
                Clock.systemUTC());
    }

    /** Without the EHR's base URL: {@code ehr.auth.token-endpoint} must be set. */
    static SmartBackendAuthorization create(EhrProperties.Auth auth) {
        return create(auth, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC());
    }

    /**
     * Checks the settings and reads the key, so that a mistake stops the start-up; the EHR is not asked yet.
     *
     * @param ehrBase the EHR's FHIR base, for discovery; may be null
     * @throws IllegalStateException naming the setting that is missing or wrong
     */
    static SmartBackendAuthorization create(
            EhrProperties.Auth auth, URI ehrBase, Duration connectTimeout, Duration requestTimeout, Clock clock) {
        String clientId = required(auth.clientId(), "ehr.auth.client-id");
        if (auth.privateKeyFile() == null || auth.privateKeyFile().toString().isBlank()) {
            throw missing("ehr.auth.private-key-file");
        }
        SmartBackendAlgorithm algorithm = auth.algorithm() == null ? SmartBackendAlgorithm.RS384 : auth.algorithm();
        String configuredKeyId = blankToNull(auth.keyId());
        SmartBackendKey key = SmartBackendKey.read(auth.privateKeyFile(), algorithm, configuredKeyId);
        String keyId = configuredKeyId != null ? configuredKeyId : key.keyId();
        if (keyId == null) {
            throw new IllegalStateException("ehr.auth.key-id must be set for ehr.auth.type smart-backend"
                    + " (the kid under which the EHR knows the key; a JWK file may carry it as kid)");
        }
        // Scope.parse splits on spaces only; the setting may be written over several lines.
        Scope scopes =
                Scope.parse(required(auth.scopes(), "ehr.auth.scopes").trim().replaceAll("\\s+", " "));
        Duration margin = auth.tokenRefreshMargin() == null ? Duration.ofSeconds(60) : auth.tokenRefreshMargin();
        if (margin.isNegative()) {
            throw new IllegalStateException("ehr.auth.token-refresh-margin must not be negative");
        }
        URI tokenEndpoint = blankToNull(auth.tokenEndpoint());
        URI discovery = null;
        if (tokenEndpoint != null) {
            checkHttp(tokenEndpoint, "ehr.auth.token-endpoint");
        } else if (blankToNull(ehrBase) != null) {
            String base = ehrBase.toString();
            discovery = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + DISCOVERY_PATH);
            checkHttp(discovery, "ehr.base-url");
        } else {
            throw new IllegalStateException("ehr.auth.token-endpoint must be set for ehr.auth.type smart-backend"
                    + " when it cannot be discovered from ehr.base-url");
        }
        SmartBackendClientAssertion assertion =
                new SmartBackendClientAssertion(algorithm, key.privateKey(), keyId, clientId);
        // Sign once now: a key that cannot sign stops the start-up rather than every delivery.
        assertion.create(tokenEndpoint != null ? tokenEndpoint : discovery, clock.instant());
        return new SmartBackendAuthorization(
                assertion, algorithm, scopes, margin, tokenEndpoint, discovery, connectTimeout, requestTimeout, clock);
    }

    @Override
    public Optional<String> header(boolean renew) throws IOException, InterruptedException {
        return Optional.of("Bearer " + token(renew));
    }

    @Override
    public boolean canRenew() {
        return true;
    }

    /**
     * The cached token while it is not due for renewal, else a new one.
     *
     * @param renew the EHR refused the last token: fetch a new one, unless another thread did so while this one
     *     waited for its turn
     */
    String token(boolean renew) throws IOException, InterruptedException {
        long asked = System.nanoTime();
        Token token = current;
        if (!renew && usable(token)) {
            return token.value();
        }
        fetching.lockInterruptibly();
        try {
            token = current;
            if (usable(token) && (!renew || token.obtained() - asked > 0)) {
                return token.value();
            }
            current = null;
            Token fresh = fetch();
            current = fresh;
            return fresh.value();
        } finally {
            fetching.unlock();
        }
    }

    private boolean usable(Token token) {
        return token != null && clock.instant().isBefore(token.renewAt());
    }

    private Token fetch() throws IOException, InterruptedException {
        URI endpoint = tokenEndpoint();
        Instant now = clock.instant();
        HTTPRequest form = new TokenRequest(
                        endpoint, assertion.create(endpoint, now), new ClientCredentialsGrant(), scopes)
                .toHTTPRequest();
        // The JDK's client sends it, as it does the EHR requests: the wait for an answer can be interrupted.
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", form.getEntityContentType().toString())
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.getQuery()))
                .build();
        HttpResponse<String> response = send(request, "the SMART token endpoint " + endpoint);
        if (response.statusCode() != 200) {
            throw failure("The SMART token endpoint " + endpoint + " answered " + response.statusCode()
                    + oauthError(response.body()));
        }
        BearerAccessToken token = bearerToken(endpoint, response.body());
        // The SDK reads a missing expires_in as 0.
        Duration lifetime = token.getLifetime() != 0 ? Duration.ofSeconds(token.getLifetime()) : DEFAULT_LIFETIME;
        log.debug(
                "Got an access token from {} for {} (expires in {}s)",
                endpoint,
                token.getScope() != null && !token.getScope().isEmpty()
                        ? printable(token.getScope().toString())
                        : "the scopes asked for",
                lifetime.toSeconds());
        return new Token(token.getValue(), now.plus(lifetime).minus(refreshMargin), System.nanoTime());
    }

    private static BearerAccessToken bearerToken(URI endpoint, String body) throws SmartBackendTokenException {
        JSONObject json = json(body);
        if (json == null || text(json, "access_token") == null) {
            throw failure("The SMART token endpoint " + endpoint + " answered without an access_token");
        }
        String tokenType = text(json, "token_type");
        if (tokenType != null && !tokenType.equalsIgnoreCase(AccessTokenType.BEARER.getValue())) {
            throw failure("The SMART token endpoint " + endpoint + " answered token_type " + printable(tokenType)
                    + "; only bearer tokens are supported");
        }
        // SMART tokens are bearer tokens: one from a server that leaves token_type out is taken as one.
        json.put("token_type", AccessTokenType.BEARER.getValue());
        try {
            return BearerAccessToken.parse(json);
        } catch (ParseException e) {
            throw failure("The SMART token endpoint " + endpoint + " answered a token that cannot be used ("
                    + e.getMessage() + ")");
        }
    }

    /** The configured token endpoint, else the one the EHR's SMART configuration names (asked once). */
    private URI tokenEndpoint() throws IOException, InterruptedException {
        URI endpoint = tokenEndpoint;
        if (endpoint != null) {
            return endpoint;
        }
        HttpRequest request = HttpRequest.newBuilder(discovery)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = send(request, discovery.toString());
        if (response.statusCode() != 200) {
            throw failure(discovery + " answered " + response.statusCode()
                    + "; set ehr.auth.token-endpoint if the EHR does not publish its SMART configuration");
        }
        JSONObject json = json(response.body());
        String found = json == null ? null : text(json, "token_endpoint");
        if (found == null) {
            throw failure(discovery + " names no token_endpoint; set ehr.auth.token-endpoint");
        }
        try {
            endpoint = URI.create(found);
            checkHttp(endpoint, "token_endpoint");
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw failure(discovery + " names a token_endpoint that is not an http(s) URL: " + printable(found));
        }
        warnUnlessSupported(json);
        log.info("Using the SMART token endpoint {} found at {}", endpoint, discovery);
        tokenEndpoint = endpoint;
        return endpoint;
    }

    private void warnUnlessSupported(JSONObject configuration) {
        if (configuration.get("token_endpoint_auth_methods_supported") instanceof List<?> methods
                && !methods.contains("private_key_jwt")) {
            log.warn("{} does not list private_key_jwt among token_endpoint_auth_methods_supported", discovery);
        }
        if (configuration.get("token_endpoint_auth_signing_alg_values_supported") instanceof List<?> algorithms
                && !algorithms.contains(algorithm.name())) {
            log.warn(
                    "{} does not list {} (ehr.auth.algorithm) among token_endpoint_auth_signing_alg_values_supported",
                    discovery,
                    algorithm.name());
        }
    }

    private HttpResponse<String> send(HttpRequest request, String what) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure("Could not reach " + what + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static SmartBackendTokenException failure(String message) {
        log.warn("No access token for the EHR: {}", message);
        return new SmartBackendTokenException(message);
    }

    private static SmartBackendTokenException failure(String message, IOException cause) {
        log.warn("No access token for the EHR: {}", message);
        return new SmartBackendTokenException(message, cause);
    }

    /** The OAuth2 error code and description of an error answer, if it has them; never the whole body. */
    private static String oauthError(String body) {
        JSONObject json = json(body);
        ErrorObject error = json == null ? null : ErrorObject.parse(json);
        if (error == null || error.getCode() == null || error.getCode().isBlank()) {
            return "";
        }
        String description = error.getDescription();
        return " (" + printable(error.getCode())
                + (description == null || description.isBlank() ? "" : ": " + printable(description)) + ")";
    }

    private static JSONObject json(String body) {
        try {
            return body == null || body.isBlank() ? null : JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            return null;
        }
    }

    private static String text(JSONObject json, String name) {
        return json.get(name) instanceof String value && !value.isBlank() ? value : null;
    }

    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > MAX_ERROR_TEXT ? clean.substring(0, MAX_ERROR_TEXT) + "..." : clean;
    }

    private static void checkHttp(URI uri, String setting) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalStateException(setting + " must be an absolute http(s) URL");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            log.warn("{} is not https: client assertions and access tokens would cross the network in clear", setting);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private static String required(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw missing(setting);
        }
        return value;
    }

    private static IllegalStateException missing(String setting) {
        return new IllegalStateException(setting + " must be set for ehr.auth.type smart-backend");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static URI blankToNull(URI value) {
        return value == null || value.toString().isBlank() ? null : value;
    }
}
