package org.twitchtriage.audit.internal;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.twitchtriage.security.Caller;

/**
 * The agents of an AuditEvent, from the caller of the request: the client application (DICOM "Application",
 * named by the token's issuer and client id) and the person behind it, who is the requestor: the
 * {@code fhirUser} of the token if it has one, else the patient in context, and the token's issuer and subject
 * as identifier either way. A back-end system without a person is itself the requestor. The client's network
 * address is recorded on the client (on the requestor when there is no client).
 */
public final class Agents {

    static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    private Agents() {}

    static List<AuditEventAgentComponent> of(Caller caller, String remoteAddress, boolean authoring) {
        List<AuditEventAgentComponent> agents = new ArrayList<>();
        switch (caller.kind()) {
            case DEVELOPMENT ->
                agents.add(person(authoring)
                        .setWho(new Reference()
                                .setIdentifier(new Identifier().setValue("development"))
                                .setDisplay("Development mode: no authorization server")));
            case ANONYMOUS -> agents.add(person(authoring).setWho(new Reference().setDisplay("anonymous")));
            case SYSTEM ->
                agents.add(client(caller, caller.clientId() == null ? caller.subject() : caller.clientId())
                        .setRequestor(true));
            case PATIENT, USER -> {
                if (caller.clientId() != null) {
                    agents.add(client(caller, caller.clientId()));
                }
                agents.add(person(authoring).setWho(personReference(caller)));
            }
        }
        if (remoteAddress != null && !agents.isEmpty()) {
            agents.get(0).getNetwork().setAddress(remoteAddress).setType(AuditEventAgentNetworkType._2);
        }
        return agents;
    }

    private static AuditEventAgentComponent client(Caller caller, String id) {
        AuditEventAgentComponent client = new AuditEventAgentComponent().setRequestor(false);
        client.getType().addCoding(new Coding(AuditEvents.DICOM, "110150", "Application"));
        client.setWho(new Reference()
                .setIdentifier(new Identifier().setSystem(caller.issuer()).setValue(id)));
        return client;
    }

    private static AuditEventAgentComponent person(boolean authoring) {
        AuditEventAgentComponent person = new AuditEventAgentComponent().setRequestor(true);
        person.getType()
                .addCoding(
                        authoring
                                ? new Coding(PARTICIPATION, "AUT", "author (originator)")
                                : new Coding(PARTICIPATION, "IRCP", "information recipient"));
        return person;
    }

    private static Reference personReference(Caller caller) {
        Reference who = new Reference();
        if (caller.fhirUser() != null) {
            who.setReference(caller.fhirUser());
        } else {
            caller.patientReference().ifPresent(who::setReference);
        }
        if (caller.subject() != null) {
            who.setIdentifier(new Identifier().setSystem(caller.issuer()).setValue(caller.subject()));
        }
        return who;
    }
}
