package org.twitchtriage.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;
import org.twitchtriage.security.Callers;

/**
 * The patient form's SMART App Launch page, {@code /launch?iss=...[&launch=...]}, and what it needs to know,
 * {@code /launch/config}. The page hands the browser to the authorization server of the FHIR server named by
 * {@code iss}, so only FHIR servers the module trusts may be named: its own {@code /fhir}, or the FHIR base of
 * a trusted issuer ({@code security.trusted-issuers[*].fhir-base}). Anything else is refused here, before the
 * page runs, so the page can never be used to send a patient to an authorization server of someone else's
 * choosing.
 */
@Controller
public class PatientLaunch {

    // Outside static/, so the page is reached only through /launch and its check of iss.
    private static final String PAGE = "launch/launch.html";

    private final Callers callers;
    private final AccessProperties properties;
    private final LaunchIssuers issuers;
    private final String page;

    PatientLaunch(Callers callers, AccessProperties properties) {
        this.callers = callers;
        this.properties = properties;
        this.issuers = LaunchIssuers.of(properties);
        this.page = read(PAGE);
    }

    @GetMapping("/launch")
    ResponseEntity<String> launch(
            @RequestParam(name = "iss", required = false) String iss, HttpServletRequest request) {
        if (iss == null || iss.isBlank()) {
            return refused("This page is opened by your patient portal or your health record, which names the"
                    + " FHIR server to sign in for (the iss parameter). It was opened without one.");
        }
        if (!issuers.accepts(iss, request)) {
            return refused("This launch was refused: the FHIR server it names (iss) is not one this checklist"
                    + " trusts, so your sign-in is not sent there.");
        }
        return html(HttpStatus.OK, page);
    }

    /** What the launch page and the form need: no secrets, since the form is a public client. */
    @GetMapping(path = "/launch/config", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, Object>> config(HttpServletRequest request) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("secured", callers.secured());
        if (callers.secured()) {
            AccessProperties.Launch launch = properties.launch();
            config.put("clientId", launch.clientId());
            config.put("scope", launch.scopes());
            config.put("redirectUri", launch.redirectUri());
            config.put("issuers", issuers.forRequest(request));
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(config);
    }

    private static ResponseEntity<String> refused(String message) {
        String body = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Muscle twitching checklist</title>\n<link rel=\"stylesheet\" href=\"css/pages.css\">\n"
                + "</head>\n<body>\n<main>\n<h1>Muscle twitching checklist</h1>\n<p id=\"launch-refused\">"
                + HtmlUtils.htmlEscape(message) + "</p>\n<p>Please open the checklist again from your patient"
                + " portal.</p>\n</main>\n</body>\n</html>\n";
        return html(HttpStatus.BAD_REQUEST, body);
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer")
                .body(body);
    }

    private static String read(String location) {
        try (var in = new ClassPathResource(location).getInputStream()) {
            return StreamUtils.copyToString(in, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("The launch page " + location + " is missing from the build", e);
        }
    }
}
