package org.twitchtriage.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;
import org.twitchtriage.fhir.ErrorResponses;
import org.twitchtriage.fhir.FhirIds;

/**
 * The SMART EHR launch of the clinician pages: the EHR opens {@code /clinician/launch?iss=...&launch=...}, the
 * clinician signs in through the pages' OpenID Connect provider with the {@code launch} passed on (and
 * {@code aud} = {@code iss}, and the {@code launch} scope), the token response's {@code patient} is kept in the
 * session, and the pages open on the worklist filtered to that patient. {@code iss} must be the module's own
 * FHIR base or a trusted issuer's ({@code security.trusted-issuers[].fhir-base}); anything else is refused, so
 * a launch cannot send the clinician's sign-in on behalf of a server the module does not know.
 */
final class ClinicianLaunch {

    static final String PATH = "/clinician/launch";
    /** The launch being signed in for: set by the launch, ended by the sign-in. */
    static final String PENDING = ClinicianLaunch.class.getName() + ".pending";
    /** The patient the last launch's token response named (an id, without {@code Patient/}). */
    static final String PATIENT = ClinicianLaunch.class.getName() + ".patient";

    record Pending(String iss, String launch) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final ClientRegistrationRepository registrations;
    private final LaunchIssuers issuers;
    private final ErrorResponses errors;

    ClinicianLaunch(ClientRegistrationRepository registrations, LaunchIssuers issuers, ErrorResponses errors) {
        this.registrations = registrations;
        this.issuers = issuers;
        this.errors = errors;
    }

    /** Starts a launch: checks {@code iss}, remembers the launch, and goes to sign in. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return !(request.getContextPath() + PATH).equals(request.getRequestURI());
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws IOException {
                start(request, response);
            }
        };
    }

    private void start(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String iss = request.getParameter("iss");
        String launch = request.getParameter("launch");
        if (iss == null || iss.isBlank() || launch == null || launch.isBlank()) {
            refuse(request, response, "A clinician launch needs both 'iss' (the EHR's FHIR base) and 'launch'.");
            return;
        }
        if (!issuers.accepts(iss, request)) {
            refuse(
                    request,
                    response,
                    "The launch names a FHIR server this module does not trust as 'iss'. It takes launches from its"
                            + " own FHIR base (" + issuers.forRequest(request).get(0) + ") and from the FHIR bases of"
                            + " security.trusted-issuers.");
            return;
        }
        String registration = registrationId();
        if (registration == null) {
            refuse(request, response, "No OpenID Connect provider is configured for the clinician pages.");
            return;
        }
        HttpSession session = request.getSession();
        session.removeAttribute(PATIENT);
        session.setAttribute(PENDING, new Pending(LaunchIssuers.normalized(iss), launch));
        response.sendRedirect(request.getContextPath()
                + OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI + "/"
                + URLEncoder.encode(registration, StandardCharsets.UTF_8));
    }

    /** The registration launches sign in with: the first configured. */
    private String registrationId() {
        if (registrations instanceof Iterable<?> all) {
            for (Object registration : all) {
                return ((ClientRegistration) registration).getRegistrationId();
            }
        }
        return null;
    }

    /** A 400 saying why, as a page for a browser and as an OperationOutcome otherwise. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, String why) throws IOException {
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("text/html")) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("text/html;charset=UTF-8");
            response.getOutputStream()
                    .write(("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
                                    + " content=\"width=device-width, initial-scale=1\"><title>Launch refused</title>"
                                    + "<link rel=\"stylesheet\" href=\"" + request.getContextPath()
                                    + "/css/pages.css\"></head><body><main><h1>Launch refused</h1>"
                                    + "<p class=\"problems\" role=\"alert\" id=\"problem\">" + HtmlUtils.htmlEscape(why)
                                    + "</p></main></body></html>")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        errors.send(request, response, HttpServletResponse.SC_BAD_REQUEST, IssueType.INVALID, why);
    }

    /** The pages' authorization requests, with the launch's {@code launch}, {@code aud} and scope during a launch. */
    OAuth2AuthorizationRequestResolver authorizationRequests() {
        DefaultOAuth2AuthorizationRequestResolver defaults = new DefaultOAuth2AuthorizationRequestResolver(
                registrations, OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
        return new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                return withLaunch(request, defaults.resolve(request));
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
                return withLaunch(request, defaults.resolve(request, registrationId));
            }
        };
    }

    private static OAuth2AuthorizationRequest withLaunch(
            HttpServletRequest request, OAuth2AuthorizationRequest authorization) {
        HttpSession session = request.getSession(false);
        if (authorization == null || session == null || !(session.getAttribute(PENDING) instanceof Pending pending)) {
            return authorization;
        }
        Set<String> scopes = new HashSet<>(authorization.getScopes());
        scopes.add("launch");
        return OAuth2AuthorizationRequest.from(authorization)
                .scopes(scopes)
                .additionalParameters(parameters -> {
                    parameters.put("launch", pending.launch());
                    parameters.put("aud", pending.iss());
                })
                .build();
    }

    /** Reads the ID token as usual, and keeps the token response's {@code patient} for the end of the launch. */
    static OAuth2UserService<OidcUserRequest, OidcUser> users() {
        OidcUserService defaults = new OidcUserService();
        return request -> {
            OidcUser user = defaults.loadUser(request);
            Object patient = request.getAdditionalParameters().get("patient");
            RequestAttributes current = RequestContextHolder.getRequestAttributes();
            if (patient != null && current != null) {
                String id = patient.toString().startsWith("Patient/")
                        ? patient.toString().substring("Patient/".length())
                        : patient.toString();
                if (FhirIds.isId(id)) {
                    current.setAttribute(PATIENT, id, RequestAttributes.SCOPE_SESSION);
                }
            }
            return user;
        };
    }

    /** After a launch's sign-in, the worklist filtered to the launch's patient; otherwise where the user was going. */
    static AuthenticationSuccessHandler signedIn() {
        SavedRequestAwareAuthenticationSuccessHandler otherwise = new SavedRequestAwareAuthenticationSuccessHandler();
        return (HttpServletRequest request, HttpServletResponse response, Authentication authentication) -> {
            HttpSession session = request.getSession(false);
            if (session == null || session.getAttribute(PENDING) == null) {
                otherwise.onAuthenticationSuccess(request, response, authentication);
                return;
            }
            session.removeAttribute(PENDING);
            Object patient = session.getAttribute(PATIENT);
            response.sendRedirect(request.getContextPath() + "/clinician/"
                    + (patient == null
                            ? ""
                            : "?patient=" + URLEncoder.encode("Patient/" + patient, StandardCharsets.UTF_8)));
        };
    }

    /**
     * A launch's sign-in that failed (the authorization server refused the launch, or the clinician) ends on a
     * page saying so; any other failed sign-in goes where it always did. Only the error's code is shown, never the
     * description that came in the address.
     */
    AuthenticationFailureHandler signInFailed() {
        SimpleUrlAuthenticationFailureHandler otherwise = new SimpleUrlAuthenticationFailureHandler("/login?error");
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) -> {
            HttpSession session = request.getSession(false);
            if (session == null || session.getAttribute(PENDING) == null) {
                otherwise.onAuthenticationFailure(request, response, failure);
                return;
            }
            session.removeAttribute(PENDING);
            String code = failure instanceof OAuth2AuthenticationException oauth
                    ? oauth.getError().getErrorCode()
                    : "sign-in failed";
            refuse(
                    request,
                    response,
                    "The sign-in for this launch did not succeed (" + code.replaceAll("[^a-z_ -]", "") + "). The"
                            + " launch may have expired or be meant for someone else: open the patient again from"
                            + " the EHR.");
        };
    }
}
