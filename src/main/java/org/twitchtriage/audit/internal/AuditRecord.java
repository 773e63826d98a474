package org.twitchtriage.audit.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.security.Caller;

/**
 * What one AuditEvent says, before it is shaped as FHIR.
 *
 * @param caller          who asked
 * @param activity        what was done
 * @param outcome         how it ended
 * @param outcomeDesc     a fixed phrase describing the outcome (never an exception message)
 * @param remoteAddress   the client's network address, {@code null} if not over the network
 * @param patients        the patients concerned, as ids
 * @param entities        the resources touched, as {@code Type/id}, at most {@link #MAX_ENTITIES}
 * @param entitiesOmitted how many more resources were touched than are listed
 * @param query           the search as executed ({@code Type?name=value&...}), {@code null} if not a search
 * @param destination     where data was sent, for a disclosure to another system; otherwise {@code null}
 */
public record AuditRecord(
        Caller caller,
        Activity activity,
        Outcome outcome,
        String outcomeDesc,
        String remoteAddress,
        List<String> patients,
        List<String> entities,
        int entitiesOmitted,
        String query,
        String destination) {

    /** The most resources (and, separately, patients) one AuditEvent lists. */
    static final int MAX_ENTITIES = 100;

    private static final Pattern REFERENCE = Pattern.compile("[A-Z][A-Za-z]{0,63}/" + FhirIds.ID_PATTERN);

    public AuditRecord {
        patients = List.copyOf(patients);
        entities = List.copyOf(entities);
    }

    public static AuditRecord of(
            Caller caller, Activity activity, Outcome outcome, String patientId, List<String> entityReferences) {
        Builder builder = new Builder().patient(patientId);
        entityReferences.forEach(builder::entity);
        return builder.build(caller, activity, outcome, outcome.description, null, null, null);
    }

    /** Collects patients and entities, keeping each once and in the order met, up to the limit. */
    static final class Builder {

        private final Set<String> patients = new LinkedHashSet<>();
        private final Set<String> entities = new LinkedHashSet<>();
        private int patientsOmitted;
        private int entitiesOmitted;

        Builder patient(String id) {
            // Anything but a FHIR id is left out of the audit trail rather than stored.
            if (FhirIds.isId(id) && !patients.contains(id)) {
                if (patients.size() < MAX_ENTITIES) {
                    patients.add(id);
                } else {
                    patientsOmitted++;
                }
            }
            return this;
        }

        Builder entity(String reference) {
            if (reference != null && REFERENCE.matcher(reference).matches() && !entities.contains(reference)) {
                if (entities.size() < MAX_ENTITIES) {
                    entities.add(reference);
                } else {
                    entitiesOmitted++;
                }
            }
            return this;
        }

        AuditRecord build(
                Caller caller,
                Activity activity,
                Outcome outcome,
                String outcomeDesc,
                String remoteAddress,
                String query,
                String destination) {
            return new AuditRecord(
                    caller,
                    activity,
                    outcome,
                    outcomeDesc,
                    remoteAddress,
                    new ArrayList<>(patients),
                    new ArrayList<>(entities),
                    entitiesOmitted + patientsOmitted,
                    query,
                    destination);
        }
    }
}
