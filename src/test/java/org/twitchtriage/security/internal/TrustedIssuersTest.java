package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class TrustedIssuersTest {

    @Test
    void aTrustedIssuerGivenThroughTheEnvironmentMakesSecuredMode() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        assertThat(DevelopmentMode.secured(environment)).isFalse();
        environment
                .getPropertySources()
                .addLast(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("SECURITY_TRUSTEDISSUERS_0_ISSUER", "https://portal.example.test/auth")));
        ConfigurationPropertySources.attach(environment);
        assertThat(DevelopmentMode.secured(environment)).isTrue();
    }

    @Test
    void anIssuerListedTwiceIsRefusedAtStartUp() {
        AccessProperties.TrustedIssuer issuer = new AccessProperties.TrustedIssuer(
                "https://portal.example.test/auth",
                URI.create("https://portal.example.test/auth/jwks"),
                List.of("https://ehr.example.test/fhir"),
                null,
                List.of());
        assertThat(TrustedIssuers.of(List.of(issuer), null).forIssuer("https://portal.example.test/auth"))
                .isPresent();
        assertThat(TrustedIssuers.of(List.of(issuer), null).forIssuer("https://other.example.test"))
                .isEmpty();
        assertThatThrownBy(() -> TrustedIssuers.of(List.of(issuer, issuer), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("twice");
    }
}
