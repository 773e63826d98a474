package org.twitchtriage.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.junit.jupiter.api.Test;
import org.twitchtriage.security.Caller;
import org.twitchtriage.security.Caller.Kind;

/** Who an AuditEvent names, for each kind of caller. */
class AgentsTest {

    private static final String ISSUER = "https://auth.example.org";

    @Test
    void aPatientIsTheRequestorAndThePortalItsClient() {
        Caller patient = new Caller(Kind.PATIENT, ISSUER, "user-7", "portal", "p1", null, List.of());

        List<AuditEventAgentComponent> agents = Agents.of(patient, "10.0.0.5", false);

        assertThat(agents).hasSize(2);
        AuditEventAgentComponent client = agents.get(0);
        assertThat(client.getRequestor()).isFalse();
        assertThat(client.getType().getCodingFirstRep().getCode()).isEqualTo("110150");
        assertThat(client.getWho().getIdentifier().getSystem()).isEqualTo(ISSUER);
        assertThat(client.getWho().getIdentifier().getValue()).isEqualTo("portal");
        assertThat(client.getNetwork().getAddress()).isEqualTo("10.0.0.5");
        AuditEventAgentComponent person = agents.get(1);
        assertThat(person.getRequestor()).isTrue();
        assertThat(person.getWho().getReference()).isEqualTo("Patient/p1");
        assertThat(person.getWho().getIdentifier().getValue()).isEqualTo("user-7");
        assertThat(person.getType().getCodingFirstRep().getCode()).isEqualTo("IRCP");
    }

    @Test
    void aUserIsNamedByFhirUserAndAnAuthorWhenWriting() {
        Caller user = new Caller(Kind.USER, ISSUER, "dr-who", "ehr-app", null, "Practitioner/12", List.of());

        AuditEventAgentComponent person = Agents.of(user, null, true).get(1);

        assertThat(person.getWho().getReference()).isEqualTo("Practitioner/12");
        assertThat(person.getWho().getIdentifier().getSystem()).isEqualTo(ISSUER);
        assertThat(person.getType().getCodingFirstRep().getCode()).isEqualTo("AUT");
    }

    @Test
    void aUserWithoutFhirUserIsNamedByIssuerAndSubject() {
        Caller user = new Caller(Kind.USER, ISSUER, "dr-who", null, null, null, List.of());

        List<AuditEventAgentComponent> agents = Agents.of(user, "10.0.0.6", false);

        assertThat(agents).hasSize(1);
        assertThat(agents.get(0).getRequestor()).isTrue();
        assertThat(agents.get(0).getWho().hasReference()).isFalse();
        assertThat(agents.get(0).getWho().getIdentifier().getValue()).isEqualTo("dr-who");
        assertThat(agents.get(0).getNetwork().getAddress()).isEqualTo("10.0.0.6");
    }

    @Test
    void aBackEndSystemIsItselfTheRequestor() {
        Caller system = new Caller(Kind.SYSTEM, ISSUER, "svc", "svc", null, null, List.of());

        List<AuditEventAgentComponent> agents = Agents.of(system, null, false);

        assertThat(agents).hasSize(1);
        assertThat(agents.get(0).getRequestor()).isTrue();
        assertThat(agents.get(0).getType().getCodingFirstRep().getCode()).isEqualTo("110150");
        assertThat(agents.get(0).getWho().getIdentifier().getSystem()).isEqualTo(ISSUER);
        assertThat(agents.get(0).getWho().getIdentifier().getValue()).isEqualTo("svc");
    }

    @Test
    void developmentModeIsOneAgentNamedDevelopment() {
        List<AuditEventAgentComponent> agents = Agents.of(Caller.development(), "127.0.0.1", false);

        assertThat(agents).hasSize(1);
        assertThat(agents.get(0).getRequestor()).isTrue();
        assertThat(agents.get(0).getWho().getIdentifier().getValue()).isEqualTo("development");
        assertThat(agents.get(0).getNetwork().getAddress()).isEqualTo("127.0.0.1");
    }
}
