package org.twitchtriage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.twitchtriage.security.internal.Permission;

/** An introspection answer describes its caller as the same claims of a JWT would. */
class CallersTest {

    private static Caller answer(Object... members) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("active", true);
        for (int i = 0; i < members.length; i += 2) {
            attributes.put((String) members[i], members[i + 1]);
        }
        return Callers.of(new OAuth2IntrospectionAuthenticatedPrincipal(attributes, List.of()));
    }

    @Test
    void thePatientAndScopesComeFromTheAnswer() {
        // Spring's introspector hands the scope over split into a list.
        Caller caller = answer(
                "sub", "portal-user-7",
                "client_id", "portal",
                "iss", "https://auth.example.test",
                "patient", "p-7",
                "scope", List.of("launch/patient", "patient/QuestionnaireResponse.c"));
        assertThat(caller.kind()).isEqualTo(Caller.Kind.PATIENT);
        assertThat(caller.patient()).isEqualTo("p-7");
        assertThat(caller.subject()).isEqualTo("portal-user-7");
        assertThat(caller.clientId()).isEqualTo("portal");
        assertThat(caller.issuer()).isEqualTo("https://auth.example.test");
        assertThat(caller.reach("QuestionnaireResponse", Permission.CREATE)).hasValue(Caller.Reach.OWN_PATIENT);
        assertThat(caller.reach("QuestionnaireResponse", Permission.READ)).isEmpty();
    }

    @Test
    void aPatientReferenceIsReadAsItsIdAndAnInvalidOneAsNone() {
        assertThat(answer("patient", "Patient/p-7", "scope", "patient/*.rs").patient())
                .isEqualTo("p-7");
        assertThat(answer("patient", "not a valid id!", "scope", "patient/*.rs").patient())
                .isNull();
    }

    @Test
    void aClinicianAndABackEndAreToldApartAsForJwts() {
        Caller clinician = answer(
                "sub", "clinician-1", "fhirUser", "Practitioner/clinician-1", "scope", "openid user/Observation.rs");
        assertThat(clinician.kind()).isEqualTo(Caller.Kind.USER);
        assertThat(clinician.fhirUser()).isEqualTo("Practitioner/clinician-1");
        assertThat(clinician.reach("Observation", Permission.READ)).hasValue(Caller.Reach.ALL);

        assertThat(answer("sub", "backend", "client_id", "backend", "scope", "operations")
                        .kind())
                .isEqualTo(Caller.Kind.SYSTEM);
        assertThat(answer("sub", "x", "scope", "system/Observation.rs").kind()).isEqualTo(Caller.Kind.SYSTEM);
    }
}
