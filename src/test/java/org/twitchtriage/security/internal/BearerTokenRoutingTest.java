package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.twitchtriage.testing.TestTokens;

class BearerTokenRoutingTest {

    private final List<String> routed = new ArrayList<>();
    private final AuthenticationManager jwt = authentication -> {
        routed.add("jwt");
        return authentication;
    };
    private final AuthenticationManager opaque = authentication -> {
        routed.add("opaque");
        return authentication;
    };

    private void authenticate(BearerTokenRouting routing, String token) {
        routing.resolve(new MockHttpServletRequest()).authenticate(new BearerTokenAuthenticationToken(token));
    }

    @Test
    void withBothAJwtShapedTokenIsValidatedAndAnyOtherIntrospected() {
        BearerTokenRouting routing = new BearerTokenRouting(jwt, opaque);
        authenticate(routing, TestTokens.patient("p1", "patient/Observation.rs").build());
        authenticate(routing, "2YotnFZFEjr1zCsicMWpAA");
        authenticate(routing, "a.b.c");
        assertThat(routed).containsExactly("jwt", "opaque", "opaque");
    }

    @Test
    void withOneEveryTokenGoesToIt() {
        String jwtShaped = TestTokens.patient("p1", "patient/Observation.rs").build();
        authenticate(new BearerTokenRouting(null, opaque), jwtShaped);
        authenticate(new BearerTokenRouting(jwt, null), "2YotnFZFEjr1zCsicMWpAA");
        assertThat(routed).containsExactly("opaque", "jwt");
    }

    @Test
    void oneOfThemIsNeeded() {
        assertThatThrownBy(() -> new BearerTokenRouting(null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
