package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;
import org.twitchtriage.testing.TestTokens;

/**
 * Secured mode: the clinician pages sign in with OpenID Connect (the provider played by WireMock, its ID
 * tokens signed by the test's key), keep a session, need a clinician scope, and protect their requests with
 * CSRF tokens. The session never opens {@code /fhir}, which takes bearer tokens only.
 */
class ClinicianSignInIT extends FhirHttpTest {

    private static final String REGISTRATION = "clinic";
    private static final String CLIENT_ID = "triage-pages";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        TestTokens.configure(registry);
        String client = "spring.security.oauth2.client.registration." + REGISTRATION + ".";
        registry.add(client + "client-id", () -> CLIENT_ID);
        registry.add(client + "client-secret", () -> "test-secret");
        registry.add(client + "authorization-grant-type", () -> "authorization_code");
        registry.add(client + "scope", () -> "openid,user/Observation.rs,user/ServiceRequest.rs");
        registry.add(client + "redirect-uri", () -> "{baseUrl}/login/oauth2/code/{registrationId}");
        String provider = "spring.security.oauth2.client.provider." + REGISTRATION + ".";
        registry.add(provider + "authorization-uri", () -> TestTokens.issuer() + "/authorize");
        registry.add(provider + "token-uri", () -> TestTokens.issuer() + "/token");
        registry.add(provider + "jwk-set-uri", TestTokens::jwkSetUri);
        registry.add(provider + "user-name-attribute", () -> "sub");
    }

    @Test
    void withoutASessionPagesGoToSignInAndTheirApiSays401() {
        HttpResponse<String> page = page("GET", "/clinician/", null, null);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/oauth2/authorization/" + REGISTRATION);
        assertThat(page("GET", "/clinician/api/results", null, null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aClinicianSignsInAndSeesTheWorklist() {
        Session session = signIn("openid user/Observation.rs user/ServiceRequest.rs");
        HttpResponse<String> page = page("GET", "/clinician/", session, null);
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> results = page("GET", "/clinician/api/results", session, null);
        assertThat(results.statusCode()).as(results.body()).isEqualTo(200);
        // The session is for the pages; /fhir still needs a bearer token.
        assertThat(send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Observation"))
                                .header("Cookie", session.cookieHeader())
                                .GET()
                                .build())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void theirRequestsThatChangeThingsNeedTheCsrfToken() {
        Session session = signIn("openid user/Observation.rs");
        String missing = "/clinician/api/results/no-such-result/review";
        assertThat(page("POST", missing, session, null).statusCode()).isEqualTo(403);
        HttpResponse<String> withToken = page("POST", missing, session, session.csrf());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(404);
    }

    @Test
    void signingInWithoutAClinicianScopeIsNotEnough() {
        Session session = signIn("openid patient/Observation.rs");
        assertThat(page("GET", "/clinician/", session, null).statusCode()).isEqualTo(403);
        assertThat(page("GET", "/clinician/api/results", session, null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theSandboxIsNotThereUnlessAskedFor() {
        for (String path : new String[] {"/sandbox/launcher", "/oauth2/jwks", "/.well-known/openid-configuration"}) {
            assertThat(page("GET", path, null, null).statusCode()).as(path).isIn(401, 404);
        }
        assertThat(page("GET", "/sandbox/launcher", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anEhrLaunchFromAnUntrustedServerIsRefusedAndOneFromTheModuleSignsInWithIt() {
        HttpResponse<String> foreign =
                page("GET", "/clinician/launch?iss=https://ehr.example.test/fhir&launch=abc", null, null);
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("Launch refused");

        Session session = new Session();
        HttpResponse<String> launch = page("GET", "/clinician/launch?iss=" + fhirBase() + "&launch=xyz", session, null);
        assertThat(launch.statusCode()).isEqualTo(302);
        session.remember(launch);
        HttpResponse<String> start = page("GET", "/oauth2/authorization/" + REGISTRATION, session, null);
        Map<String, String> authorize =
                query(start.headers().firstValue("Location").orElseThrow());
        assertThat(authorize).containsEntry("launch", "xyz").containsEntry("aud", fhirBase());
        assertThat(authorize.get("scope").split(" ")).contains("launch", "openid");

        // Without a launch, the sign-in asks for no launch.
        Map<String, String> direct = query(page("GET", "/oauth2/authorization/" + REGISTRATION, new Session(), null)
                .headers()
                .firstValue("Location")
                .orElseThrow());
        assertThat(direct).doesNotContainKeys("launch", "aud");
        assertThat(direct.get("scope").split(" ")).doesNotContain("launch");
    }

    /** The authorization-code flow, with the provider's side answered by the test. */
    private Session signIn(String grantedScopes) {
        Session session = new Session();
        HttpResponse<String> start = page("GET", "/oauth2/authorization/" + REGISTRATION, session, null);
        assertThat(start.statusCode()).isEqualTo(302);
        session.remember(start);
        Map<String, String> authorize =
                query(start.headers().firstValue("Location").orElseThrow());
        assertThat(authorize).containsEntry("client_id", CLIENT_ID).containsKeys("state", "nonce");
        String idToken = TestTokens.user(grantedScopes)
                .audience(CLIENT_ID)
                .claim("nonce", authorize.get("nonce"))
                .build();
        TestTokens.answerTokenRequestsWith("{\"access_token\":\"opaque-access-token\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"scope\":\"" + grantedScopes + "\",\"id_token\":\"" + idToken + "\"}");
        HttpResponse<String> callback = page(
                "GET",
                "/login/oauth2/code/" + REGISTRATION + "?code=test-code&state=" + authorize.get("state"),
                session,
                null);
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
        assertThat(callback.headers().firstValue("Location").orElse("")).doesNotContain("error");
        session.remember(callback);
        // A first page view sets the CSRF cookie.
        session.remember(page("GET", "/clinician/api/levels", session, null));
        return session;
    }

    private HttpResponse<String> page(String method, String path, Session session, String csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", path.startsWith("/clinician/api") ? "application/json" : "text/html");
        if (session != null && !session.cookies.isEmpty()) {
            request.header("Cookie", session.cookieHeader());
        }
        if (csrf != null) {
            request.header("X-XSRF-TOKEN", csrf);
        }
        return send(request.build());
    }

    private static Map<String, String> query(String location) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(parts[0], parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    /** The browser's cookie jar, as far as these pages need one. */
    private static final class Session {

        private final Map<String, String> cookies = new LinkedHashMap<>();

        void remember(HttpResponse<String> response) {
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                String[] parts = pair.split("=", 2);
                cookies.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }

        String cookieHeader() {
            StringBuilder header = new StringBuilder();
            cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ")
                    .append(name)
                    .append('=')
                    .append(value));
            return header.toString();
        }

        String csrf() {
            return cookies.get("XSRF-TOKEN");
        }
    }
}
