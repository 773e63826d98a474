package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
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
        BearerTokenRouting routing = new BearerTokenRouting(jwt, TrustedIssuers.none(), opaque);
        authenticate(routing, TestTokens.patient("p1", "patient/Observation.rs").build());
        authenticate(routing, "2YotnFZFEjr1zCsicMWpAA");
        authenticate(routing, "a.b.c");
        assertThat(routed).containsExactly("jwt", "opaque", "opaque");
    }

    @Test
    void withOneEveryTokenGoesToIt() {
        String jwtShaped = TestTokens.patient("p1", "patient/Observation.rs").build();
        authenticate(new BearerTokenRouting(null, TrustedIssuers.none(), opaque), jwtShaped);
        authenticate(new BearerTokenRouting(jwt, TrustedIssuers.none(), null), "2YotnFZFEjr1zCsicMWpAA");
        assertThat(routed).containsExactly("opaque", "jwt");
    }

    @Test
    void oneOfThemIsNeeded() {
        assertThatThrownBy(() -> new BearerTokenRouting(null, TrustedIssuers.none(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJwtGoesToTheTrustedIssuerItNamesAndOtherwiseToThePrimaryIssuer() {
        AuthenticationManager ehr = authentication -> {
            routed.add("ehr");
            return authentication;
        };
        TrustedIssuers trusted = new TrustedIssuers(Map.of("https://portal.example.test/auth", ehr));
        BearerTokenRouting routing = new BearerTokenRouting(jwt, trusted, opaque);
        authenticate(
                routing,
                TestTokens.patient("p1", "patient/Observation.rs")
                        .issuer("https://portal.example.test/auth")
                        .build());
        authenticate(
                routing,
                TestTokens.patient("p1", "patient/Observation.rs")
                        .issuer("https://elsewhere.example.test")
                        .build());
        authenticate(routing, "2YotnFZFEjr1zCsicMWpAA");
        assertThat(routed).containsExactly("ehr", "jwt", "opaque");
    }

    @Test
    void withTrustedIssuersOnlyAnyOtherTokenIsRefusedAsInvalid() {
        TrustedIssuers trusted = new TrustedIssuers(Map.of("https://portal.example.test/auth", jwt));
        BearerTokenRouting routing = new BearerTokenRouting(null, trusted, null);
        assertThatThrownBy(() -> authenticate(
                        routing,
                        TestTokens.patient("p1", "patient/Observation.rs")
                                .issuer("https://elsewhere.example.test")
                                .build()))
                .isInstanceOf(InvalidBearerTokenException.class);
        assertThatThrownBy(() -> authenticate(routing, "2YotnFZFEjr1zCsicMWpAA"))
                .isInstanceOf(InvalidBearerTokenException.class);
        assertThat(routed).isEmpty();
    }
}
