package org.twitchtriage.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The FHIR servers a SMART launch of the module's pages may name as {@code iss}: the module's own {@code /fhir},
 * as the browser reaches it, and the FHIR base of each trusted issuer ({@code security.trusted-issuers[*].fhir-base}).
 * A launch naming any other server is refused, so a launch link can never send a user to sign in at an
 * authorization server of someone else's choosing. Compared without a trailing slash.
 */
final class LaunchIssuers {

    private final List<String> trustedBases;

    LaunchIssuers(List<URI> trustedBases) {
        this.trustedBases = trustedBases.stream()
                .filter(Objects::nonNull)
                .map(URI::toString)
                .map(LaunchIssuers::normalized)
                .toList();
    }

    static LaunchIssuers of(AccessProperties properties) {
        return new LaunchIssuers(properties.trustedIssuers().stream()
                .map(AccessProperties.TrustedIssuer::fhirBase)
                .toList());
    }

    /** The servers a launch may name, the module's own first. */
    List<String> forRequest(HttpServletRequest request) {
        List<String> issuers = new ArrayList<>();
        issuers.add(ownFhirBase(request));
        issuers.addAll(trustedBases);
        return issuers;
    }

    boolean accepts(String iss, HttpServletRequest request) {
        return iss != null && !iss.isBlank() && forRequest(request).contains(normalized(iss));
    }

    static String normalized(String base) {
        return base.strip().replaceAll("/+$", "");
    }

    private static String ownFhirBase(HttpServletRequest request) {
        return normalized(ServletUriComponentsBuilder.fromContextPath(request)
                .path("/fhir")
                .replaceQuery(null)
                .build()
                .toUriString());
    }
}
