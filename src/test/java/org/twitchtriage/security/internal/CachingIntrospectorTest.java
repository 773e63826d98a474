package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.twitchtriage.testing.MutableClock;

class CachingIntrospectorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final Map<String, Map<String, Object>> answers = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final OpaqueTokenIntrospector endpoint = token -> {
        asked.add(token);
        Map<String, Object> answer = answers.get(token);
        if (answer == null) {
            throw new BadOpaqueTokenException("Provided token isn't active");
        }
        if (answer.containsKey("down")) {
            throw new OAuth2IntrospectionException("endpoint down");
        }
        return new OAuth2IntrospectionAuthenticatedPrincipal(answer, List.of());
    };

    private CachingIntrospector introspector(Duration maxAge, List<String> audiences) {
        return new CachingIntrospector(endpoint, maxAge, audiences, clock);
    }

    private void active(String token, Duration expiresIn, Object... members) {
        Map<String, Object> answer = new HashMap<>();
        answer.put("active", true);
        answer.put("sub", "someone");
        if (expiresIn != null) {
            answer.put("exp", clock.instant().plus(expiresIn));
        }
        for (int i = 0; i < members.length; i += 2) {
            answer.put((String) members[i], members[i + 1]);
        }
        answers.put(token, answer);
    }

    @Test
    void anActiveAnswerIsReusedUntilTheCacheDurationEnds() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of());
        active("t1", Duration.ofHours(1));
        OAuth2AuthenticatedPrincipal first = introspector.introspect("t1");
        clock.advance(Duration.ofSeconds(59));
        assertThat(introspector.introspect("t1")).isSameAs(first);
        assertThat(asked).containsExactly("t1");
        clock.advance(Duration.ofSeconds(1));
        introspector.introspect("t1");
        assertThat(asked).containsExactly("t1", "t1");
    }

    @Test
    void anAnswerIsNeverReusedBeyondTheTokensExpiry() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of());
        active("t1", Duration.ofSeconds(10));
        introspector.introspect("t1");
        clock.advance(Duration.ofSeconds(10));
        answers.remove("t1");
        assertThatThrownBy(() -> introspector.introspect("t1")).isInstanceOf(BadOpaqueTokenException.class);
        assertThat(asked).containsExactly("t1", "t1");
    }

    @Test
    void aZeroCacheDurationAsksEveryTime() {
        CachingIntrospector introspector = introspector(Duration.ZERO, List.of());
        active("t1", Duration.ofHours(1));
        introspector.introspect("t1");
        introspector.introspect("t1");
        assertThat(asked).hasSize(2);
        assertThat(introspector.size()).isZero();
    }

    @Test
    void inactiveAnswersAndFailuresAreNotRemembered() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of());
        assertThatThrownBy(() -> introspector.introspect("unknown")).isInstanceOf(BadOpaqueTokenException.class);
        assertThatThrownBy(() -> introspector.introspect("unknown")).isInstanceOf(BadOpaqueTokenException.class);
        active("down", Duration.ofHours(1), "down", true);
        assertThatThrownBy(() -> introspector.introspect("down")).isInstanceOf(OAuth2IntrospectionException.class);
        assertThatThrownBy(() -> introspector.introspect("down")).isInstanceOf(OAuth2IntrospectionException.class);
        assertThat(asked).hasSize(4);
        assertThat(introspector.size()).isZero();
    }

    @Test
    void anActiveAnswerWhoseExpiryHasPassedIsRefused() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of());
        active("late", Duration.ofMinutes(-2));
        assertThatThrownBy(() -> introspector.introspect("late")).isInstanceOf(BadOpaqueTokenException.class);
        active("skewed", Duration.ofSeconds(-30));
        assertThat(introspector.introspect("skewed").getAttributes()).containsKey("sub");
        active(
                "epoch-seconds",
                null,
                "exp",
                clock.instant().minus(Duration.ofMinutes(5)).getEpochSecond());
        assertThatThrownBy(() -> introspector.introspect("epoch-seconds")).isInstanceOf(BadOpaqueTokenException.class);
    }

    @Test
    void aTokenNotValidYetIsRefused() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of());
        active("early", Duration.ofHours(1), "nbf", clock.instant().plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> introspector.introspect("early")).isInstanceOf(BadOpaqueTokenException.class);
    }

    @Test
    void configuredAudiencesMustBeInTheAnswer() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of("https://triage.test/fhir"));
        active("ours", Duration.ofHours(1), "aud", List.of("https://other.test", "https://triage.test/fhir"));
        active("theirs", Duration.ofHours(1), "aud", List.of("https://other.test"));
        active("single", Duration.ofHours(1), "aud", "https://triage.test/fhir");
        active("none", Duration.ofHours(1));
        assertThat(introspector.introspect("ours")).isNotNull();
        assertThat(introspector.introspect("single")).isNotNull();
        assertThatThrownBy(() -> introspector.introspect("theirs")).isInstanceOf(BadOpaqueTokenException.class);
        assertThatThrownBy(() -> introspector.introspect("none")).isInstanceOf(BadOpaqueTokenException.class);
    }

    @Test
    void withoutConfiguredAudiencesTheAudienceIsNotChecked() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of());
        active("theirs", Duration.ofHours(1), "aud", List.of("https://other.test"));
        assertThat(introspector.introspect("theirs")).isNotNull();
    }

    @Test
    void theCacheStaysBounded() {
        CachingIntrospector introspector = introspector(Duration.ofSeconds(60), List.of());
        for (int i = 0; i <= CachingIntrospector.MAX_ENTRIES; i++) {
            active("t" + i, Duration.ofHours(1));
            introspector.introspect("t" + i);
        }
        assertThat(introspector.size()).isLessThanOrEqualTo(CachingIntrospector.MAX_ENTRIES);
    }
}
