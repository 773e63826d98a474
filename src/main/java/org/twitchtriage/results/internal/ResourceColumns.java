package org.twitchtriage.results.internal;

import java.time.Instant;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/** The searchable values of a written resource, taken out once when it is stored. */
public record ResourceColumns(
        String resourceType,
        String resourceId,
        String subjectId,
        String codeSystem,
        String codeValue,
        String valueSystem,
        String valueCode,
        String priority,
        String status,
        String requisition,
        Instant recorded) {

    public static ResourceColumns of(Resource resource) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        if (resource instanceof Observation o) {
            Coding code = o.getCode().getCodingFirstRep();
            Coding value =
                    o.hasValueCodeableConcept() ? o.getValueCodeableConcept().getCodingFirstRep() : new Coding();
            return new ResourceColumns(
                    type,
                    id,
                    patientId(o.getSubject()),
                    code.getSystem(),
                    code.getCode(),
                    value.getSystem(),
                    value.getCode(),
                    null,
                    o.getStatus().toCode(),
                    null,
                    o.hasEffectiveDateTimeType()
                            ? o.getEffectiveDateTimeType().getValue().toInstant()
                            : null);
        }
        if (resource instanceof ServiceRequest r) {
            Coding code = first(r.getCode());
            return new ResourceColumns(
                    type,
                    id,
                    patientId(r.getSubject()),
                    code.getSystem(),
                    code.getCode(),
                    null,
                    null,
                    r.getPriority() == null ? null : r.getPriority().toCode(),
                    r.getStatus().toCode(),
                    r.hasRequisition() ? r.getRequisition().getValue() : null,
                    r.hasAuthoredOn() ? r.getAuthoredOn().toInstant() : null);
        }
        if (resource instanceof Communication c) {
            return new ResourceColumns(
                    type,
                    id,
                    patientId(c.getSubject()),
                    null,
                    null,
                    null,
                    null,
                    null,
                    c.getStatus().toCode(),
                    null,
                    c.hasSent() ? c.getSent().toInstant() : null);
        }
        if (resource instanceof Task t) {
            Coding code = first(t.getCode());
            return new ResourceColumns(
                    type,
                    id,
                    patientId(t.getFor()),
                    code.getSystem(),
                    code.getCode(),
                    null,
                    null,
                    null,
                    t.getStatus().toCode(),
                    null,
                    t.hasAuthoredOn() ? t.getAuthoredOn().toInstant() : null);
        }
        if (resource instanceof Provenance p) {
            return new ResourceColumns(
                    type,
                    id,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    p.getRecorded().toInstant());
        }
        return new ResourceColumns(type, id, null, null, null, null, null, null, null, null, null);
    }

    private static Coding first(CodeableConcept concept) {
        return concept.getCodingFirstRep();
    }

    private static String patientId(Reference reference) {
        return reference == null || reference.getReferenceElement().getIdPart() == null
                ? null
                : reference.getReferenceElement().getIdPart();
    }
}
