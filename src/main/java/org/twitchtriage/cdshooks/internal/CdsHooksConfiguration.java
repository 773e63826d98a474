package org.twitchtriage.cdshooks.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.twitchtriage.cdshooks.CdsHooksProperties;
import org.twitchtriage.security.Callers;

/**
 * The CDS Hooks endpoints have a security chain of their own, ahead of the module's others: the EHR's JWT is not a
 * token of the module's authorization server, so the resource server must not see it; {@link EhrTokens} checks it
 * instead. No session, no CSRF (nothing here relies on cookies), and CORS for the browser-based EHRs listed in
 * {@code security.cors-allowed-origins}, as for {@code /fhir}.
 */
@Configuration(proxyBeanMethods = false)
class CdsHooksConfiguration {

    @Bean
    EhrTokens ehrTokens(CdsHooksProperties properties, Callers callers, Clock clock) {
        return new EhrTokens(properties, callers.secured(), clock);
    }

    @Bean
    @Order(0)
    SecurityFilterChain cdsHooksChain(HttpSecurity http, Environment environment) throws Exception {
        // The security module's setting, bound as it binds it (a YAML list or a comma-separated value).
        List<String> allowedOrigins = Binder.get(environment)
                .bind("security.cors-allowed-origins", Bindable.listOf(String.class))
                .orElse(List.of());
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(paths.matcher("/cds-services"), paths.matcher("/cds-services/**")))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .requestCache(cache -> cache.disable())
                .cors(cors -> cors.configurationSource(request -> cors(allowedOrigins)))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    private static CorsConfiguration cors(List<String> allowedOrigins) {
        List<String> origins =
                allowedOrigins.stream().filter(origin -> !origin.isBlank()).toList();
        if (origins.isEmpty()) {
            return null;
        }
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(origins);
        configuration.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        configuration.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(Duration.ofHours(1));
        return configuration;
    }
}
