package org.twitchtriage.security.internal.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.util.StringUtils;

/**
 * The {@code sandbox} profile: a real authorization server (Spring Authorization Server) in the module's own
 * process and on its port, with a demo patient and a demo clinician, the patient form's and the clinician
 * pages' clients, SMART launch context ({@link SmartContext}) and a launcher page that plays the EHR
 * ({@link SandboxPages}). The module trusts it as it would any authorization server, through the
 * resource-server and client settings of {@code application-sandbox.yml}. It never starts unless the profile
 * is asked for, and refuses to start on anything but loopback ({@link SandboxAddress}).
 *
 * <p>Its filter chains come before the module's own: the authorization server's endpoints (which include
 * {@code /oauth2/token}, under the clinician chain's {@code /oauth2/**}), then its sign-in and launcher pages
 * under {@code /sandbox/}. Its sign-in is kept in the session under a key of its own, so signing in here
 * never signs anyone in to the clinician pages, and {@code /fhir} (stateless) never reads a session.
 */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
public class SandboxAuthorizationServer {

    private static final Logger log = LoggerFactory.getLogger(SandboxAuthorizationServer.class);

    static final String FORM_CLIENT = "twitch-triage-form";
    static final String CLINICIAN_CLIENT = "twitch-triage-clinician";
    static final String CLINICIAN_REGISTRATION = "sandbox";
    static final String LOGIN_PAGE = "/sandbox/login";
    static final String CONTEXT_KEY = "SANDBOX_AUTHORIZATION_SERVER_SIGN_IN";
    static final String SAVED_REQUEST_KEY = "SANDBOX_AUTHORIZATION_SERVER_SAVED_REQUEST";
    private static final String ISSUER = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

    static final List<String> FORM_SCOPES = List.of(
            "openid",
            "fhirUser",
            "launch",
            "launch/patient",
            "patient/Questionnaire.rs",
            "patient/QuestionnaireResponse.c",
            "patient/QuestionnaireResponse.cru",
            "patient/QuestionnaireResponse.crus",
            "patient/QuestionnaireResponse.rs",
            "patient/Observation.rs",
            "patient/ServiceRequest.rs",
            "patient/Communication.rs",
            "patient/CodeSystem.rs",
            "patient/ValueSet.rs");
    static final List<String> CLINICIAN_SCOPES = List.of(
            "openid",
            "fhirUser",
            "launch",
            "launch/patient",
            "user/QuestionnaireResponse.rs",
            "user/Observation.rs",
            "user/ServiceRequest.rs",
            "user/Communication.rs",
            "user/Provenance.rs",
            "user/AuditEvent.rs");

    private final String issuer;

    SandboxAuthorizationServer(Environment environment) {
        SandboxAddress.check(environment);
        String configured = environment.getProperty(ISSUER);
        if (!StringUtils.hasText(configured)) {
            throw new IllegalStateException("The sandbox profile needs " + ISSUER + " (application-sandbox.yml sets"
                    + " it to http://localhost:${server.port})");
        }
        this.issuer = configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        log.warn(
                "SANDBOX: an authorization server with demo users (patient/patient, clinician/clinician) runs in"
                        + " this process, issuer {}. For trying the module on this machine only; never for real patients."
                        + " Launcher: {}/sandbox/launcher",
                issuer,
                issuer);
    }

    /** The module's FHIR base, the audience of the tokens and the {@code iss} of launches. */
    String fhirBase() {
        return issuer + "/fhir";
    }

    @Bean
    SandboxLaunches sandboxLaunches() {
        return new SandboxLaunches(Clock.systemUTC());
    }

    @Bean
    OAuth2AuthorizationService sandboxAuthorizations() {
        return new InMemoryOAuth2AuthorizationService();
    }

    @Bean
    OAuth2AuthorizationConsentService sandboxConsents() {
        return new InMemoryOAuth2AuthorizationConsentService();
    }

    @Bean
    SmartContext smartContext(SandboxLaunches launches, OAuth2AuthorizationService authorizations) {
        return new SmartContext(launches, fhirBase(), authorizations);
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> sandboxTokenClaims(SmartContext smart) {
        return smart::customize;
    }

    @Bean
    AuthorizationServerSettings sandboxServerSettings() {
        return AuthorizationServerSettings.builder().issuer(issuer).build();
    }

    /** A key made at each start: tokens issued before a restart are refused after it. */
    @Bean
    JWKSource<SecurityContext> sandboxSigningKey() {
        try {
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
            return new ImmutableJWKSet<>(new JWKSet(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not make the sandbox's signing key", e);
        }
    }

    @Bean
    RegisteredClientRepository sandboxClients(Environment environment) {
        Duration lifetime =
                environment.getProperty("security.sandbox.access-token-lifetime", Duration.class, Duration.ofHours(1));
        TokenSettings tokens =
                TokenSettings.builder().accessTokenTimeToLive(lifetime).build();
        ClientSettings publicWithPkce = ClientSettings.builder()
                .requireProofKey(true)
                .requireAuthorizationConsent(false)
                .build();
        RegisteredClient form = RegisteredClient.withId(FORM_CLIENT)
                .clientId(FORM_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(issuer + "/")
                .scopes(scopes -> scopes.addAll(FORM_SCOPES))
                .clientSettings(publicWithPkce)
                .tokenSettings(tokens)
                .build();
        RegisteredClient clinician = RegisteredClient.withId(CLINICIAN_CLIENT)
                .clientId(CLINICIAN_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(issuer + "/login/oauth2/code/" + CLINICIAN_REGISTRATION)
                .scopes(scopes -> scopes.addAll(CLINICIAN_SCOPES))
                .clientSettings(publicWithPkce)
                .tokenSettings(tokens)
                .build();
        return new InMemoryRegisteredClientRepository(form, clinician);
    }

    /** The authorization server's endpoints; first of all chains. */
    @Bean
    @Order(-20)
    SecurityFilterChain sandboxAuthorizationServerChain(
            HttpSecurity http, SmartContext smart, OAuth2AuthorizationService authorizations, SandboxLaunches launches)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse =
                new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        tokenResponse.setAccessTokenResponseCustomizer(smart::addToTokenResponse);
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(
                        server,
                        as -> as.authorizationService(authorizations)
                                .oidc(Customizer.withDefaults())
                                .authorizationEndpoint(endpoint ->
                                        endpoint.authenticationProviders(providers -> providers.stream()
                                                .filter(
                                                        OAuth2AuthorizationCodeRequestAuthenticationProvider.class
                                                                ::isInstance)
                                                .map(OAuth2AuthorizationCodeRequestAuthenticationProvider.class::cast)
                                                .forEach(provider -> provider.setAuthenticationValidator(
                                                        new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                                                .andThen(smart::checkAuthorizationRequest)))))
                                .tokenEndpoint(token -> token.accessTokenResponseHandler(tokenResponse)))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .securityContext(context -> context.securityContextRepository(signIns()))
                .addFilterAfter(new SignInForTheLaunch(launches), SecurityContextHolderFilter.class)
                .requestCache(cache -> cache.requestCache(savedRequests()))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE), paths.matcher("/oauth2/authorize")))
                // The OpenID Connect user-info endpoint takes the server's own access tokens.
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()));
        return http.build();
    }

    /** The sign-in page and the launcher. */
    @Bean
    @Order(-19)
    SecurityFilterChain sandboxPagesChain(HttpSecurity http) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(paths.matcher("/sandbox/**"))
                .userDetailsService(SandboxUsers.store())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(form -> form.loginPage(LOGIN_PAGE).loginProcessingUrl(LOGIN_PAGE))
                .securityContext(context -> context.securityContextRepository(signIns()))
                .requestCache(cache -> cache.requestCache(savedRequests()))
                .logout(logout -> logout.disable())
                .httpBasic(basic -> basic.disable());
        return http.build();
    }

    private static HttpSessionSecurityContextRepository signIns() {
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        repository.setSpringSecurityContextKey(CONTEXT_KEY);
        return repository;
    }

    private static HttpSessionRequestCache savedRequests() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setSessionAttrName(SAVED_REQUEST_KEY);
        return cache;
    }
}
