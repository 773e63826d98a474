package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.twitchtriage.fhir.ErrorResponses;

class ClinicianLaunchTest {

    private static final String EHR = "https://ehr.example.test/fhir";

    /** A portal's issuer without a FHIR base of its own, and an EHR's with one. */
    private final LaunchIssuers issuers = new LaunchIssuers(Arrays.asList(null, URI.create(EHR + "/")));

    private final InMemoryClientRegistrationRepository registrations =
            new InMemoryClientRegistrationRepository(ClientRegistration.withRegistrationId("clinic")
                    .clientId("pages")
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .scope("openid", "user/Observation.rs")
                    .authorizationUri("https://ehr.example.test/auth/authorize")
                    .tokenUri("https://ehr.example.test/auth/token")
                    .jwkSetUri("https://ehr.example.test/auth/jwks")
                    .build());
    private final ClinicianLaunch launch =
            new ClinicianLaunch(registrations, issuers, new ErrorResponses(FhirContext.forR4Cached()));

    @Test
    void fromTheModulesOwnFhirBaseItGoesToSignInWithTheLaunch() throws Exception {
        MockHttpServletRequest request = launch("http://localhost/fhir", "abc");
        MockHttpServletResponse response = run(request);

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getRedirectedUrl()).isEqualTo("/oauth2/authorization/clinic");
        assertThat(request.getSession().getAttribute(ClinicianLaunch.PENDING))
                .isEqualTo(new ClinicianLaunch.Pending("http://localhost/fhir", "abc"));

        MockHttpServletRequest signIn = new MockHttpServletRequest("GET", "/oauth2/authorization/clinic");
        signIn.setServletPath("/oauth2/authorization/clinic");
        signIn.setSession(request.getSession());
        OAuth2AuthorizationRequest authorization =
                launch.authorizationRequests().resolve(signIn);
        assertThat(authorization.getAdditionalParameters())
                .containsEntry("launch", "abc")
                .containsEntry("aud", "http://localhost/fhir");
        assertThat(authorization.getScopes()).contains("launch", "openid");
        assertThat(authorization.getAuthorizationRequestUri()).contains("launch=abc");
    }

    @Test
    void fromATrustedIssuersFhirBaseToo() throws Exception {
        assertThat(run(launch(EHR, "abc")).getStatus()).isEqualTo(302);
    }

    @Test
    void fromAnyOtherServerOrWithoutALaunchItIsRefused() throws Exception {
        for (MockHttpServletRequest request : new MockHttpServletRequest[] {
            launch("https://elsewhere.example.test/fhir", "abc"),
            launch("https://portal.example.test", "abc"),
            launch("http://localhost/fhir", null),
            launch(null, "abc")
        }) {
            MockHttpServletResponse response = run(request);
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getContentAsString()).contains("OperationOutcome");
            assertThat(request.getSession(false) == null
                            || request.getSession().getAttribute(ClinicianLaunch.PENDING) == null)
                    .isTrue();
        }
    }

    @Test
    void withoutALaunchTheSignInAsksForNone() {
        MockHttpServletRequest signIn = new MockHttpServletRequest("GET", "/oauth2/authorization/clinic");
        signIn.setServletPath("/oauth2/authorization/clinic");
        OAuth2AuthorizationRequest authorization =
                launch.authorizationRequests().resolve(signIn);
        assertThat(authorization.getAdditionalParameters()).doesNotContainKeys("launch", "aud");
        assertThat(authorization.getScopes()).doesNotContain("launch");
    }

    private static MockHttpServletRequest launch(String iss, String id) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", ClinicianLaunch.PATH);
        request.setServerName("localhost");
        request.setServerPort(80);
        if (iss != null) {
            request.setParameter("iss", iss);
        }
        if (id != null) {
            request.setParameter("launch", id);
        }
        return request;
    }

    private MockHttpServletResponse run(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        launch.filter().doFilter(request, response, new MockFilterChain());
        return response;
    }
}
