package org.twitchtriage.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Checks what the introspection endpoint said about a token beyond {@code active} (its {@code exp} and
 * {@code nbf}, with the same minute of clock skew allowed as for JWTs, and its {@code aud} when audiences
 * are configured), and remembers an active answer for a short while, so a client's run of FHIR requests
 * costs one introspection call. An answer is remembered for at most {@code maxAge} and never beyond the
 * token's {@code exp}; inactive answers and failures are not remembered. Tokens are kept only as SHA-256
 * digests.
 */
final class CachingIntrospector implements OpaqueTokenIntrospector {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 10_000;

    private final OpaqueTokenIntrospector endpoint;
    private final Duration maxAge;
    private final List<String> audiences;
    private final Clock clock;
    private final Map<String, Remembered> answers = new ConcurrentHashMap<>();

    private record Remembered(OAuth2AuthenticatedPrincipal principal, Instant until) {}

    CachingIntrospector(OpaqueTokenIntrospector endpoint, Duration maxAge, List<String> audiences, Clock clock) {
        this.endpoint = endpoint;
        this.maxAge = maxAge;
        this.audiences = List.copyOf(audiences);
        this.clock = clock;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        Instant now = clock.instant();
        String key = digest(token);
        Remembered remembered = answers.get(key);
        if (remembered != null && now.isBefore(remembered.until())) {
            return remembered.principal();
        }
        if (remembered != null) {
            answers.remove(key, remembered);
        }
        OAuth2AuthenticatedPrincipal principal = endpoint.introspect(token);
        check(principal, now);
        remember(key, principal, now);
        return principal;
    }

    private void check(OAuth2AuthenticatedPrincipal principal, Instant now) {
        Instant expires = instant(principal.getAttribute("exp"));
        if (expires != null && !now.minus(CLOCK_SKEW).isBefore(expires)) {
            throw new BadOpaqueTokenException("The token has expired");
        }
        Instant notBefore = instant(principal.getAttribute("nbf"));
        if (notBefore != null && now.plus(CLOCK_SKEW).isBefore(notBefore)) {
            throw new BadOpaqueTokenException("The token is not valid yet");
        }
        if (!audiences.isEmpty() && audience(principal).stream().noneMatch(audiences::contains)) {
            throw new BadOpaqueTokenException("The token is for another audience");
        }
    }

    private void remember(String key, OAuth2AuthenticatedPrincipal principal, Instant now) {
        if (maxAge.isZero()) {
            return;
        }
        Instant until = now.plus(maxAge);
        Instant expires = instant(principal.getAttribute("exp"));
        if (expires != null && expires.isBefore(until)) {
            until = expires;
        }
        if (!now.isBefore(until)) {
            return;
        }
        if (answers.size() >= MAX_ENTRIES) {
            answers.values().removeIf(entry -> !now.isBefore(entry.until()));
            if (answers.size() >= MAX_ENTRIES) {
                // More live tokens than the cache holds: start over rather than grow without bound.
                answers.clear();
            }
        }
        answers.put(key, new Remembered(principal, until));
    }

    /** How many answers are remembered (expired ones included until they are next looked at). */
    int size() {
        return answers.size();
    }

    private static List<String> audience(OAuth2AuthenticatedPrincipal principal) {
        Object aud = principal.getAttribute("aud");
        if (aud instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return aud == null ? List.of() : List.of(aud.toString());
    }

    /** Spring's introspector turns {@code exp} and {@code nbf} into Instants; a bare number is epoch seconds. */
    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        return null;
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
