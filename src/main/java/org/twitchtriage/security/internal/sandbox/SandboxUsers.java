package org.twitchtriage.security.internal.sandbox;

import java.util.List;
import java.util.Optional;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** The sandbox's two demo users; their passwords are their names, which is why the sandbox is loopback only. */
final class SandboxUsers {

    /** The demo patient's FHIR id: the {@code patient} of its tokens and the subject of what it submits. */
    static final String PATIENT_ID = "sandbox-patient";

    static final String CLINICIAN_ID = "sandbox-clinician";

    /**
     * One demo user.
     *
     * @param username the login name (and password)
     * @param who      {@code patient} or {@code clinician}, as a launch names it
     * @param fhirUser the {@code fhirUser} claim
     * @param patient  the patient a standalone {@code launch/patient} gives; null for the clinician
     */
    record DemoUser(String username, String who, String fhirUser, String patient) {}

    static final DemoUser PATIENT = new DemoUser("patient", "patient", "Patient/" + PATIENT_ID, PATIENT_ID);
    static final DemoUser CLINICIAN = new DemoUser("clinician", "clinician", "Practitioner/" + CLINICIAN_ID, null);

    private static final List<DemoUser> ALL = List.of(PATIENT, CLINICIAN);

    private SandboxUsers() {}

    static Optional<DemoUser> named(String username) {
        return ALL.stream().filter(user -> user.username().equals(username)).findFirst();
    }

    /** The login store of the authorization server's sign-in page. */
    static UserDetailsService store() {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(ALL.stream()
                .map(user -> User.withUsername(user.username())
                        .password(encoder.encode(user.username()))
                        .roles(user.who().toUpperCase(java.util.Locale.ROOT))
                        .build())
                .toList());
    }
}
