package org.twitchtriage.questionnaire.internal;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

/** Comparable keys for answer values: a Coding by system and code, a primitive by type and value. */
public final class AnswerValues {

    private AnswerValues() {}

    public static String key(Type value) {
        if (value instanceof Coding coding) {
            return "Coding " + coding.getSystem() + "|" + coding.getCode();
        }
        if (value instanceof PrimitiveType<?> primitive) {
            return primitive.fhirType() + " " + primitive.getValueAsString();
        }
        if (value instanceof Reference reference) {
            return "Reference " + reference.getReference();
        }
        if (value instanceof Quantity quantity) {
            return "Quantity " + quantity.getValue() + " " + quantity.getSystem() + "|" + quantity.getCode();
        }
        return value.fhirType();
    }
}
