package org.twitchtriage.delivery.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.twitchtriage.fhir.FhirIds;

/**
 * Whether the EHR knows a submission's patient, asked before the submission is sent. Everything a delivery
 * sends names the patient, so an EHR without it would refuse the delivery with an error of its own wording;
 * the module asks by reading the Patient, never by reading that wording. A patient the EHR answers 404 or 410
 * for fails the delivery as {@code patient-unknown}, to be re-driven once the patient exists. Patients found
 * are remembered for a while; patients not found are asked about again on the next attempt.
 */
final class KnownPatients {

    static final String PATIENT_UNKNOWN = "patient-unknown: the EHR does not know the submission's patient;"
            + " re-drive this delivery once the patient exists there";

    /** How long a patient found is taken as still there. */
    static final Duration FOUND_TTL = Duration.ofMinutes(10);
    /** Beyond this many remembered patients the memory starts afresh, so it stays small. */
    static final int REMEMBERED = 10_000;

    private final EhrClient client;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Instant> found = new ConcurrentHashMap<>();

    KnownPatients(EhrClient client, Duration timeout, Clock clock) {
        this.client = client;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Empty when the resources may be sent: the EHR knows their patient, they name none, or the EHR would not
     * say (a refusal to read Patients is left to the delivery itself); otherwise why they are not sent now.
     */
    Optional<EhrClient.Result> problem(List<Resource> resources) {
        Optional<String> patient = patientOf(resources).map(FhirIds::reference);
        if (patient.isEmpty() || remembered(patient.get())) {
            return Optional.empty();
        }
        EhrClient.Lookup lookup = client.read(patient.get(), timeout);
        if (lookup.found()) {
            if (found.size() >= REMEMBERED) {
                found.clear();
            }
            found.put(patient.get(), clock.instant());
            return Optional.empty();
        }
        if (lookup.absent()) {
            return Optional.of(new EhrClient.Refused(PATIENT_UNKNOWN, lookup.httpStatus(), null));
        }
        if (lookup.httpStatus() == null) {
            return Optional.of(new EhrClient.Retry(
                    "Could not ask the EHR for the submission's patient (" + lookup.failure() + ")", null, null));
        }
        int status = lookup.httpStatus();
        if (status == 408 || status == 429 || status >= 500) {
            return Optional.of(
                    new EhrClient.Retry("The EHR answered " + status + " when asked for the patient", status, null));
        }
        return Optional.empty();
    }

    private boolean remembered(String patient) {
        Instant at = found.get(patient);
        return at != null && clock.instant().isBefore(at.plus(FOUND_TTL));
    }

    /** The patient the submission's response is about, when it names a local one (absolute ones are not asked about). */
    static Optional<IIdType> patientOf(List<Resource> resources) {
        return resources.stream()
                .filter(QuestionnaireResponse.class::isInstance)
                .map(r -> ((QuestionnaireResponse) r).getSubject().getReferenceElement())
                .filter(id -> "Patient".equals(id.getResourceType()) && id.hasIdPart() && !id.isAbsolute())
                .findFirst();
    }
}
