package org.twitchtriage.audit.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.twitchtriage.fhir.DateSearch;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.fhir.Paging;
import org.twitchtriage.fhir.PatientSearch;
import org.twitchtriage.fhir.WrittenOnce;

/**
 * Read and search over the audit trail, newest first. Who may use it is decided like every other type:
 * AuditEvent names no patient, so patient-context tokens are refused and a {@code user/} or {@code system/}
 * AuditEvent scope is needed.
 */
public class AuditEventProvider implements IResourceProvider {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{0,63}");

    private final AuditStore store;
    private final Paging paging;

    AuditEventProvider(AuditStore store, Paging paging) {
        this.store = store;
        this.paging = paging;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read(version = true)
    public AuditEvent read(@IdParam IdType id) {
        return WrittenOnce.read(id, store::read);
    }

    /**
     * {@code patient}: {@code Patient/x} or {@code x}. {@code date}: when recorded, with prefixes and precision.
     * {@code agent}: {@code Practitioner/12} (or {@code agent:Practitioner=12}) matches {@code who.reference};
     * {@code system|value} (or {@code agent:identifier=system|value}) and a bare {@code value} match
     * {@code who.identifier}, a bare value in any system. {@code entity}: {@code Type/id}, or an id of any type.
     */
    @Search
    public IBundleProvider search(
            @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
            @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
            @OptionalParam(name = AuditEvent.SP_AGENT) ReferenceParam agent,
            @OptionalParam(name = AuditEvent.SP_ENTITY) ReferenceParam entity,
            @Offset Integer offset,
            @Count Integer count) {
        PatientSearch patients = PatientSearch.of(null, patient);
        DateSearch dates = DateSearch.of(date);
        Agent who = agent(agent);
        String[] what = entity(entity);
        AuditCriteria criteria = new AuditCriteria(
                patients.patientId(),
                dates.from(),
                dates.to(),
                who.reference(),
                who.system(),
                who.value(),
                what[0],
                what[1],
                patients.matchesNothing());
        Paging.Page page = paging.request(offset, count);
        return page.of(store.count(criteria), p -> store.find(criteria, p.offset(), p.size()));
    }

    private record Agent(String reference, String system, String value) {}

    private static Agent agent(ReferenceParam agent) {
        if (agent == null) {
            return new Agent(null, null, null);
        }
        unchained(agent);
        String value = agent.getValue();
        String type = agent.getResourceType();
        int bar = value.indexOf('|');
        if (bar >= 0) {
            String system = value.substring(0, bar);
            return new Agent(null, system.isEmpty() ? null : system, value.substring(bar + 1));
        }
        if ("identifier".equals(type)) {
            return new Agent(null, null, value);
        }
        if (type != null && TYPE.matcher(type).matches() && FhirIds.isId(agent.getIdPart())) {
            return new Agent(FhirIds.reference(type, agent.getIdPart()), null, null);
        }
        return new Agent(null, null, value);
    }

    /** {type or null, id}; {null, null} without the parameter. */
    private static String[] entity(ReferenceParam entity) {
        if (entity == null) {
            return new String[2];
        }
        unchained(entity);
        String type = entity.getResourceType();
        String id = entity.getIdPart();
        if (id == null || id.isBlank()) {
            throw new InvalidRequestException("entity needs a reference: Type/id or an id");
        }
        return new String[] {type, id};
    }

    private static void unchained(ReferenceParam reference) {
        if (reference.getChain() != null) {
            throw new InvalidRequestException("Chained reference searches are not supported");
        }
    }
}
