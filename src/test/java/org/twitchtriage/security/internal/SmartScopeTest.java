package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.twitchtriage.security.Caller;
import org.twitchtriage.security.Caller.Reach;

class SmartScopeTest {

    @ParameterizedTest
    @CsvSource({
        "patient/QuestionnaireResponse.write, PATIENT, QuestionnaireResponse, CREATE UPDATE DELETE",
        "user/Observation.read, USER, Observation, READ SEARCH",
        "system/*.*, SYSTEM, *, CREATE READ UPDATE DELETE SEARCH",
        "patient/QuestionnaireResponse.c, PATIENT, QuestionnaireResponse, CREATE",
        "user/Observation.rs, USER, Observation, READ SEARCH",
        "system/*.cruds, SYSTEM, *, CREATE READ UPDATE DELETE SEARCH",
        "patient/ServiceRequest.rs, PATIENT, ServiceRequest, READ SEARCH"
    })
    void readsBothForms(String text, SmartScope.Context context, String type, String permissions) {
        SmartScope scope = SmartScope.parse(text).orElseThrow();
        assertThat(scope.context()).isEqualTo(context);
        assertThat(scope.type()).isEqualTo(type);
        EnumSet<Permission> expected = EnumSet.noneOf(Permission.class);
        for (String name : permissions.split(" ")) {
            expected.add(Permission.valueOf(name));
        }
        assertThat(scope.permissions()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "openid",
                "fhirUser",
                "launch/patient",
                "offline_access",
                "patient/Observation.sr",
                "patient/Observation.rr",
                "patient/Observation.x",
                "patient/observation.read",
                "patient/Observation.rs?category=laboratory",
                "clinician/Observation.read",
                "patient/Observation",
                "patient/.read",
                "operations"
            })
    void otherScopesGrantNothing(String text) {
        assertThat(SmartScope.parse(text)).isEmpty();
    }

    @Test
    void aPatientScopeReachesOnlyThePatientInContext() {
        Caller patient = caller("p1", "patient/QuestionnaireResponse.c");
        assertThat(patient.reach("QuestionnaireResponse", Permission.CREATE)).contains(Reach.OWN_PATIENT);
        assertThat(patient.reach("QuestionnaireResponse", Permission.READ)).isEmpty();
        assertThat(patient.reach("Observation", Permission.CREATE)).isEmpty();
        Caller withoutContext = caller(null, "patient/QuestionnaireResponse.c");
        assertThat(withoutContext.reach("QuestionnaireResponse", Permission.CREATE))
                .isEmpty();
    }

    @Test
    void userAndSystemScopesReachEveryPatient() {
        Caller both = caller("p1", "patient/Observation.rs user/Observation.r");
        assertThat(both.reach("Observation", Permission.READ)).contains(Reach.ALL);
        assertThat(both.reach("Observation", Permission.SEARCH)).contains(Reach.OWN_PATIENT);
        assertThat(caller(null, "system/*.read").reach("AuditEvent", Permission.SEARCH))
                .contains(Reach.ALL);
        assertThat(Caller.development().reach("Anything", Permission.DELETE)).contains(Reach.ALL);
        assertThat(Caller.anonymous().reach("Observation", Permission.READ)).isEmpty();
    }

    private static Caller caller(String patient, String scopes) {
        List<SmartScope> parsed = Arrays.stream(scopes.split(" "))
                .map(SmartScope::parse)
                .flatMap(Optional::stream)
                .toList();
        return new Caller(
                patient == null ? Caller.Kind.USER : Caller.Kind.PATIENT,
                "https://issuer.example.test",
                "subject",
                "client",
                patient,
                null,
                parsed);
    }
}
