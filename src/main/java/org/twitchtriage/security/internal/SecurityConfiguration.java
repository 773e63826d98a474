package org.twitchtriage.security.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.twitchtriage.fhir.ErrorResponses;
import org.twitchtriage.security.Callers;

/**
 * The two ways the module runs. Secured: an authorization server is configured through Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri} (JWTs: signature,
 * issuer, expiry and, if configured, audience are verified), its {@code opaquetoken.introspection-uri}
 * (opaque tokens: the authorization server is asked, {@link TokenIntrospection}), further trusted issuers
 * ({@code security.trusted-issuers}, {@link TrustedIssuers}), or several of these (each token goes to one of
 * them by its shape and issuer, {@link BearerTokenRouting}); every bearer token is checked before anything
 * else happens, and the FHIR interceptor {@link FhirAccessInterceptor} applies SMART scopes and patient context to each
 * interaction. Development: nothing is configured; every request is allowed, and the module listens on
 * loopback only ({@link DevelopmentMode}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String REALM = "twitch-triage";

    /**
     * Spring Security would time every one of its filters, and each authorization, as observations of their own
     * (the {@code spring.security.*} metrics): a few per cent of a submission's CPU for figures nobody reads. The
     * request's own timing ({@code http.server.requests}) is kept.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security takes the firewall bean there is: its own checks of headers, without regular expressions. */
    @Bean
    StrictHttpFirewall httpFirewall() {
        return HeaderCheck.firewall();
    }

    /** Spring Security takes this handler bean too: what the firewall refuses on /fhir gets an OperationOutcome. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ErrorResponses errors) {
        return new RejectedRequests(errors);
    }

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

    /** Present when an introspection endpoint is configured; Spring Boot's own introspector then backs off. */
    @Bean
    @Conditional(TokenIntrospection.Configured.class)
    OpaqueTokenIntrospector opaqueTokenIntrospector(Environment environment, AccessProperties properties) {
        return TokenIntrospection.introspector(environment, properties.introspection());
    }

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http,
            Callers callers,
            AccessProperties properties,
            ErrorResponses errors,
            Environment environment,
            ObjectProvider<OpaqueTokenIntrospector> introspector,
            ObjectProvider<JwtDecoder> jwtDecoder,
            ObjectProvider<JwtAuthenticationConverter> jwtConverter)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .cors(cors -> cors.configurationSource(cors(properties.corsAllowedOrigins())));
        if (!callers.secured()) {
            DevelopmentMode.check(environment);
            log.warn("DEVELOPMENT MODE: no authorization server is configured"
                    + " (spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri,"
                    + " spring.security.oauth2.resourceserver.opaquetoken.introspection-uri or"
                    + " security.trusted-issuers), so every request is"
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
                                    + " audience, from another issuer, not signed by the authorization server or not"
                                    + " active according to it"
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
                .oauth2ResourceServer(resourceServer -> {
                    OpaqueTokenIntrospector opaque = introspector.getIfAvailable();
                    JwtAuthenticationConverter converter = jwtConverter.getIfAvailable();
                    resourceServer.authenticationManagerResolver(new BearerTokenRouting(
                            DevelopmentMode.jwtConfigured(environment)
                                    ? jwtManager(jwtDecoder.getObject(), converter)
                                    : null,
                            TrustedIssuers.of(properties.trustedIssuers(), converter),
                            opaque == null
                                    ? null
                                    : new ProviderManager(new OpaqueTokenAuthenticationProvider(opaque))));
                    resourceServer.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied);
                })
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied));
        http.addFilterBefore(new AuthorizationServerUnavailable(errors), BearerTokenAuthenticationFilter.class);
        log.info(
                "Secured mode: bearer tokens are required; accepted: {}",
                acceptedTokens(
                        DevelopmentMode.jwtConfigured(environment),
                        properties.trustedIssuers().size(),
                        introspector.getIfAvailable() != null));
        return http.build();
    }

    private static String acceptedTokens(boolean jwt, int trustedIssuers, boolean introspected) {
        List<String> kinds = new ArrayList<>();
        if (jwt) {
            kinds.add("JWTs of the configured issuer");
        }
        if (trustedIssuers > 0) {
            kinds.add("JWTs of " + trustedIssuers + " trusted issuer(s)");
        }
        if (introspected) {
            kinds.add("introspected tokens");
        }
        return String.join(", ", kinds);
    }

    /** What {@code .jwt(Customizer.withDefaults())} would use: the decoder and, if defined, converter beans. */
    private static AuthenticationManager jwtManager(JwtDecoder decoder, JwtAuthenticationConverter converter) {
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        if (converter != null) {
            provider.setJwtAuthenticationConverter(converter);
        }
        return new ProviderManager(provider);
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
        return request -> RejectedRequests.isFhir(request) ? configuration : null;
    }
}
