package org.twitchtriage.review;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.stereotype.Component;

/**
 * Who is reviewing: the signed-in user's name when there is one, else {@value #DEVELOPMENT} (development mode,
 * where the clinician pages are open on loopback). The one place to change when sign-in arrives.
 */
@Component
public class ReviewerIdentity {

    static final String DEVELOPMENT = "development";

    public String of(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null || principal.getName() == null || principal.getName().isBlank() ? DEVELOPMENT
                : principal.getName();
    }
}
