package org.twitchtriage.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.twitchtriage.fhir.ErrorResponses;

/**
 * Sign-in for the clinician pages in secured mode: OpenID Connect login with the provider configured under
 * {@code spring.security.oauth2.client.registration.*}, a session cookie, CSRF protection for the pages'
 * requests (the token in the {@code XSRF-TOKEN} cookie, sent back as {@code X-XSRF-TOKEN}), and a clinician
 * scope: a {@code user/} scope that allows reading Observations. An EHR opens the pages on a patient with a SMART
 * launch ({@link ClinicianLaunch}). Without a configured provider the pages are refused. In development mode this chain does not exist and the pages are open on loopback.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SecuredMode.class)
public class ClinicianSignIn {

    private static final Logger log = LoggerFactory.getLogger(ClinicianSignIn.class);

    @Bean
    @Order(1)
    SecurityFilterChain clinicianSignInChain(
            HttpSecurity http,
            ObjectProvider<ClientRegistrationRepository> registrations,
            ErrorResponses errors,
            AccessProperties properties)
            throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(
                paths.matcher("/clinician"),
                paths.matcher("/clinician/**"),
                paths.matcher("/oauth2/**"),
                paths.matcher("/login/**"),
                paths.matcher("/logout")));
        if (registrations.getIfAvailable() == null) {
            log.warn("The clinician pages are refused: no OpenID Connect provider is configured"
                    + " (spring.security.oauth2.client.registration.*)");
            http.authorizeHttpRequests(requests -> requests.anyRequest().denyAll())
                    .exceptionHandling(exceptions ->
                            exceptions.authenticationEntryPoint((request, response, failure) -> errors.send(
                                    request,
                                    response,
                                    HttpServletResponse.SC_FORBIDDEN,
                                    IssueType.SECURITY,
                                    "The clinician pages need an"
                                            + " OpenID Connect provider: configure"
                                            + " spring.security.oauth2.client.registration.*")));
            return http.build();
        }
        ClinicianLaunch launch = new ClinicianLaunch(registrations.getObject(), LaunchIssuers.of(properties), errors);
        CookieCsrfTokenRepository csrfTokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookieCustomizer(cookie -> cookie.path("/").sameSite("Strict"));
        http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
                // An EHR launch starts before sign-in: it sets up the sign-in it leads to.
                .addFilterBefore(launch.filter(), OAuth2AuthorizationRequestRedirectFilter.class)
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                paths.matcher("/oauth2/**"),
                                paths.matcher("/login/**"),
                                paths.matcher(ClinicianLaunch.PATH))
                        .permitAll()
                        .anyRequest()
                        .access(clinicianScope()))
                .oauth2Login(login -> login.authorizationEndpoint(
                                endpoint -> endpoint.authorizationRequestResolver(launch.authorizationRequests()))
                        .userInfoEndpoint(userInfo -> userInfo.oidcUserService(ClinicianLaunch.users()))
                        .successHandler(ClinicianLaunch.signedIn())
                        .failureHandler(launch.signInFailed()))
                .logout(logout -> logout.logoutSuccessUrl("/"))
                .exceptionHandling(exceptions -> exceptions
                        // The pages' own requests get 401 and the page sends the user to sign in; pages redirect.
                        .defaultAuthenticationEntryPointFor(
                                new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), paths.matcher("/clinician/api/**"))
                        .accessDeniedHandler((request, response, failure) -> {
                            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                            response.setContentType("text/plain;charset=UTF-8");
                            response.getOutputStream()
                                    .write(("Signed in, but without a clinician scope (a user/"
                                                    + " scope that allows reading Observations), or the request"
                                                    + " lacked its CSRF"
                                                    + " token.")
                                            .getBytes(StandardCharsets.UTF_8));
                        }));
        return http.build();
    }

    /** Granted when the signed-in user holds a {@code user/} scope allowing Observation reads. */
    static AuthorizationManager<RequestAuthorizationContext> clinicianScope() {
        return (Supplier<Authentication> authentication, RequestAuthorizationContext context) -> {
            Authentication user = authentication.get();
            boolean granted = user != null
                    && user.isAuthenticated()
                    && user.getAuthorities().stream()
                            .map(GrantedAuthority::getAuthority)
                            .filter(authority -> authority.startsWith("SCOPE_"))
                            .map(authority -> SmartScope.parse(authority.substring("SCOPE_".length())))
                            .flatMap(Optional::stream)
                            .anyMatch(scope -> scope.context() == SmartScope.Context.USER
                                    && scope.allows("Observation", Permission.READ));
            return new AuthorizationDecision(granted);
        };
    }

    /** Makes sure the CSRF cookie is set on every page, so the pages' scripts can send the token back. */
    private static final class CsrfCookieFilter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
