package org.twitchtriage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The {@code sandbox} profile for tests, and a client of its authorization server driven by plain HTTP as a
 * browser would: a cookie jar, the sign-in form, the authorization-code flow with PKCE. The sandbox's issuer is
 * {@code http://localhost:{server.port}}, so the application runs on a fixed free port rather than a random one.
 */
public final class Sandbox {

    public static final String FORM_CLIENT = "twitch-triage-form";
    public static final String PATIENT = "sandbox-patient";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"csrf\" content=\"([^\"]+)\"");

    private final int port;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    public Sandbox(int port) {
        this.port = port;
    }

    /** The sandbox profile's settings: the test database and a free port of this machine. */
    public static void configure(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
        int port = freePort();
        registry.add("server.port", () -> port);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String base() {
        return "http://localhost:" + port;
    }

    public String fhirBase() {
        return base() + "/fhir";
    }

    /** A PKCE verifier and its S256 challenge. */
    public record Pkce(String verifier, String challenge) {

        public static Pkce make() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                byte[] digest =
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(
                        verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The authorization request of the patient form's client: state {@code st}, the form's redirect URI. */
    public Map<String, String> formAuthorization(String scope, Pkce pkce) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", FORM_CLIENT);
        parameters.put("redirect_uri", base() + "/");
        parameters.put("scope", scope);
        parameters.put("state", "st");
        parameters.put("aud", fhirBase());
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        return parameters;
    }

    /** GET /oauth2/authorize with these parameters. */
    public HttpResponse<String> authorize(Map<String, String> parameters) {
        return get("/oauth2/authorize?" + form(parameters));
    }

    /**
     * The whole browser side for a user not yet signed in: the authorization request sends them to sign in, they
     * do, and come back with a code. Returns where the authorization endpoint finally redirects.
     */
    public URI authorizeSigningIn(Map<String, String> parameters, String user) {
        HttpResponse<String> first = authorize(parameters);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
        assertThat(location(first).getPath()).isEqualTo("/sandbox/login");
        HttpResponse<String> signedIn = signIn(user, user);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        URI back = location(signedIn);
        assertThat(back.getPath()).isEqualTo("/oauth2/authorize");
        HttpResponse<String> again = get(back.getRawPath() + "?" + back.getRawQuery());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(302);
        return location(again);
    }

    /** Fills in the sign-in page's form. */
    public HttpResponse<String> signIn(String username, String password) {
        HttpResponse<String> page = get("/sandbox/login");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = CSRF_INPUT.matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        return post(
                "/sandbox/login",
                form(Map.of("username", username, "password", password, "_csrf", unescape(csrf.group(1)))),
                null);
    }

    /** Exchanges the code at the token endpoint, as the public form client. */
    public HttpResponse<String> token(String code, Pkce pkce) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", "authorization_code");
        parameters.put("code", code);
        parameters.put("redirect_uri", base() + "/");
        parameters.put("client_id", FORM_CLIENT);
        parameters.put("code_verifier", pkce.verifier());
        return FhirRequests.send(HttpRequest.newBuilder(URI.create(base() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(parameters)))
                .build());
    }

    /** The standalone patient flow from start to the token response. */
    public JsonNode patientToken(String scope) {
        Pkce pkce = Pkce.make();
        URI back = authorizeSigningIn(formAuthorization(scope, pkce), "patient");
        Map<String, String> answer = query(back);
        assertThat(answer).as(back.toString()).containsKey("code").containsEntry("state", "st");
        return json(token(answer.get("code"), pkce), 200);
    }

    /** A launch made through the launcher page's endpoint, for {@code who}. */
    public HttpResponse<String> launch(String who) {
        HttpResponse<String> page = get("/sandbox/launcher");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = CSRF_META.matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        return post("/sandbox/launches", "who=" + who, unescape(csrf.group(1)));
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return remember(FhirRequests.send(request(pathAndQuery)
                .header("Accept", "text/html,application/json")
                .GET()
                .build()));
    }

    public HttpResponse<String> post(String path, String form, String csrfHeader) {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html,application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (csrfHeader != null) {
            request.header("X-CSRF-TOKEN", csrfHeader);
        }
        return remember(FhirRequests.send(request.build()));
    }

    public String cookieHeader() {
        return cookies.entrySet().stream()
                .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
                .collect(Collectors.joining("; "));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + pathAndQuery));
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookieHeader());
        }
        return request;
    }

    private HttpResponse<String> remember(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String[] pair = header.split(";", 2)[0].split("=", 2);
            cookies.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        return response;
    }

    public static URI location(HttpResponse<String> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return parameters;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(
                    URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    public static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
