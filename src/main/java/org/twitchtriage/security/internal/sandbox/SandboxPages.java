package org.twitchtriage.security.internal.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The sandbox's pages: the authorization server's sign-in page and the launcher, which plays the EHR or portal
 * (it makes a launch context and opens the module's launch address with it), and the launcher's endpoint that
 * makes launches. Only in the {@code sandbox} profile; the pages are templates outside {@code static/}, so
 * nothing of them is served otherwise.
 */
@RestController
@Profile("sandbox")
class SandboxPages {

    private final SandboxLaunches launches;
    private final String fhirBase;

    SandboxPages(SandboxLaunches launches, SandboxAuthorizationServer server) {
        this.launches = launches;
        this.fhirBase = server.fhirBase();
    }

    /**
     * A launch made by the launcher.
     *
     * @param launch  the opaque launch id
     * @param patient the patient in context
     * @param who     who it is for: {@code patient} or {@code clinician}
     * @param url     the module's launch address for it, relative to the module
     */
    record Launch(String launch, String patient, String who, String url) {}

    @GetMapping(path = SandboxAuthorizationServer.LOGIN_PAGE, produces = MediaType.TEXT_HTML_VALUE)
    String signIn(HttpServletRequest request) throws IOException {
        boolean failed = request.getParameter("error") != null;
        HttpSession session = request.getSession(false);
        Object needed = session == null ? null : session.getAttribute(SignInForTheLaunch.NEEDED);
        return page("login.html", request)
                .replace(
                        "{{needed}}",
                        needed == null
                                ? ""
                                : "<p class=\"notice\" id=\"needed\">Sign in as the demo " + needed + ": name and"
                                        + " password <code>" + needed + "</code>.</p>")
                .replace(
                        "{{problem}}",
                        failed
                                ? "<p class=\"problems\" role=\"alert\" id=\"problem\">Wrong name or password. The demo"
                                        + " users are patient/patient and clinician/clinician.</p>"
                                : "");
    }

    @GetMapping(path = "/sandbox/launcher", produces = MediaType.TEXT_HTML_VALUE)
    String launcher(HttpServletRequest request) throws IOException {
        return page("launcher.html", request)
                .replace("{{fhirBase}}", HtmlUtils.htmlEscape(fhirBase))
                .replace("{{standalone}}", HtmlUtils.htmlEscape("/launch?iss=" + encode(fhirBase)));
    }

    @GetMapping(path = "/sandbox/launcher.js", produces = "text/javascript")
    String launcherScript() throws IOException {
        return read("launcher.js");
    }

    /** A launch for the demo patient, to be opened by {@code who}. */
    @PostMapping(path = "/sandbox/launches", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> launch(@RequestParam(name = "who", required = false) String who) {
        if (!"patient".equals(who) && !"clinician".equals(who)) {
            return ResponseEntity.badRequest().body(Map.of("detail", "'who' must be patient or clinician"));
        }
        String id = launches.open(SandboxUsers.PATIENT_ID, who);
        String path = "patient".equals(who) ? "/launch" : "/clinician/launch";
        String url = path + "?iss=" + encode(fhirBase) + "&launch=" + encode(id);
        return ResponseEntity.status(HttpStatus.CREATED).body(new Launch(id, SandboxUsers.PATIENT_ID, who, url));
    }

    private static String page(String name, HttpServletRequest request) throws IOException {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return read(name)
                .replace("{{csrfParameter}}", csrf == null ? "_csrf" : HtmlUtils.htmlEscape(csrf.getParameterName()))
                .replace("{{csrfHeader}}", csrf == null ? "X-CSRF-TOKEN" : HtmlUtils.htmlEscape(csrf.getHeaderName()))
                .replace("{{csrf}}", csrf == null ? "" : HtmlUtils.htmlEscape(csrf.getToken()));
    }

    private static String read(String name) throws IOException {
        try (InputStream in = new ClassPathResource("sandbox/" + name).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
