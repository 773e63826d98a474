package org.twitchtriage.security.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.twitchtriage.fhir.ErrorResponses;
import org.twitchtriage.security.Callers;

/**
 * The two ways the module runs. Secured: an authorization server is configured through Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}; every bearer token is
 * verified (signature, issuer, expiry and, if configured, audience) before anything else happens, and the
 * FHIR interceptor {@link FhirAccessInterceptor} applies SMART scopes and patient context to each
 * interaction. Development: nothing is configured; every request is allowed, and the module listens on
 * loopback only ({@link DevelopmentMode}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String REALM = "twitch-triage";

    @Bean
    Callers callers(Environment environment) {
        return new Callers(DevelopmentMode.secured(environment));
    }

    @Bean
    FhirAccessInterceptor fhirAccessInterceptor(Callers callers) {
        return new FhirAccessInterceptor(callers);
    }

    @Bean
    AuthorizationServer authorizationServer(Environment environment, AccessProperties properties) {
        return new AuthorizationServer(environment, properties);
    }

    @Bean
    CapabilitySecurity capabilitySecurity(Callers callers, AuthorizationServer server, AccessProperties properties) {
        return new CapabilitySecurity(
                callers,
                server,
                !properties.corsAllowedOrigins().isEmpty(),
                SupportedScopes.list(properties.operationsScope()));
    }

    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(
            Callers callers, AuthorizationServer server, AccessProperties properties, ErrorResponses errors) {
        SmartConfigurationServlet servlet = new SmartConfigurationServlet(
                callers, server, errors, SupportedScopes.list(properties.operationsScope()));
        ServletRegistrationBean<SmartConfigurationServlet> registration =
                new ServletRegistrationBean<>(servlet, SmartConfigurationServlet.PATH);
        registration.setName("smartConfiguration");
        return registration;
    }

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http,
            Callers callers,
            AccessProperties properties,
            ErrorResponses errors,
            Environment environment)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .cors(cors -> cors.configurationSource(cors(properties.corsAllowedOrigins())));
        if (!callers.secured()) {
            DevelopmentMode.check(environment);
            log.warn("DEVELOPMENT MODE: no authorization server is configured"
                    + " (spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri), so every request is"
                    + " allowed without a token. The module listens on loopback only. Configure an authorization"
                    + " server before exposing it to anyone else.");
            http.addFilterBefore(new DevelopmentMode.LoopbackOnlyFilter(errors), CorsFilter.class);
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        AuthenticationEntryPoint unauthenticated = (request, response, failure) -> {
            boolean invalid = failure instanceof InvalidBearerTokenException
                    || failure.getClass().getSimpleName().startsWith("OAuth2");
            response.setHeader(
                    "WWW-Authenticate",
                    "Bearer realm=\"" + REALM + "\"" + (invalid ? ", error=\"invalid_token\"" : ""));
            errors.send(
                    request,
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    IssueType.LOGIN,
                    invalid
                            ? "The access token was not accepted: it is malformed, expired, not yet valid, for another"
                                    + " audience, from another issuer or not signed by the authorization server"
                            : "This request needs an access token: send it as 'Authorization: Bearer <token>'");
        };
        AccessDeniedHandler denied = (request, response, failure) -> {
            response.setHeader(
                    "WWW-Authenticate",
                    "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", scope=\""
                            + properties.operationsScope() + "\"");
            errors.send(
                    request,
                    response,
                    HttpServletResponse.SC_FORBIDDEN,
                    IssueType.FORBIDDEN,
                    "This endpoint needs the scope '" + properties.operationsScope() + "'");
        };
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                paths.matcher("/actuator/health"),
                                paths.matcher("/actuator/health/**"),
                                paths.matcher("/actuator/info"))
                        .permitAll()
                        .requestMatchers(paths.matcher("/actuator/**"))
                        .hasAuthority("SCOPE_" + properties.operationsScope())
                        // Everything on /fhir is decided per interaction by FhirAccessInterceptor.
                        .anyRequest()
                        .permitAll())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied));
        http.addFilterBefore(new AuthorizationServerUnavailable(errors), BearerTokenAuthenticationFilter.class);
        log.info("Secured mode: bearer tokens from the configured authorization server are required");
        return http.build();
    }

    /** CORS for {@code /fhir} only, and only for the configured origins. */
    private static CorsConfigurationSource cors(List<String> allowedOrigins) {
        if (allowedOrigins.isEmpty()) {
            return request -> null;
        }
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(allowedOrigins);
        configuration.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        configuration.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "If-None-Exist", "Prefer"));
        configuration.setExposedHeaders(
                List.of("Location", "Content-Location", "ETag", "Last-Modified", "Retry-After", "WWW-Authenticate"));
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(Duration.ofHours(1));
        // Matched on the full URI: the FHIR servlet is not Spring MVC's, so MVC's path lookup does not apply.
        return request ->
                request.getRequestURI().startsWith(request.getContextPath() + "/fhir/") ? configuration : null;
    }
}
