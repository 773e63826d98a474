package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition.ChildTypeEnum;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.junit.jupiter.api.Test;
import org.twitchtriage.fhir.internal.FhirConfiguration;

/**
 * {@link ResourceJson} reads each child through the model's own {@code getProperty} and falls back to HAPI's
 * reflective accessor (the same text, more slowly) for a child that method does not know. Every child it means
 * to read that way, in every element the module stores, is known to it: the fallback is left to the narrative's
 * div, as meant.
 */
class ResourceJsonFastPathTest {

    private static final FhirContext FHIR = FhirConfiguration.newContext();

    /** What the module stores: the response, what its triage and corrections write, and the audit trail. */
    private static final List<String> STORED = List.of(
            "QuestionnaireResponse",
            "Observation",
            "ServiceRequest",
            "DocumentReference",
            "Communication",
            "Provenance",
            "Device",
            "AuditEvent");

    @Test
    void everyChildOfWhatTheModuleStoresIsReadWithoutReflection() {
        ResourceJson json = new ResourceJson(FHIR);
        List<String> unknown = new ArrayList<>();
        Set<BaseRuntimeElementCompositeDefinition<?>> seen = new HashSet<>();
        Deque<BaseRuntimeElementCompositeDefinition<?>> next = new ArrayDeque<>();
        STORED.forEach(type -> next.add(FHIR.getResourceDefinition(type)));
        int checked = 0;
        while (!next.isEmpty()) {
            BaseRuntimeElementCompositeDefinition<?> definition = next.poll();
            if (!seen.add(definition)) {
                continue;
            }
            Base element = (Base) definition.newInstance();
            for (String name : json.childrenReadThroughModel(definition)) {
                checked++;
                if (element.getProperty(name.hashCode(), name, false) == null) {
                    unknown.add(definition.getName() + "." + name);
                }
                BaseRuntimeChildDefinition child = definition.getChildren().stream()
                        .filter(candidate -> candidate.getElementName().equals(name))
                        .findFirst()
                        .orElseThrow();
                for (String valid : child.getValidChildNames()) {
                    if (child.getChildByName(valid) instanceof BaseRuntimeElementCompositeDefinition<?> composite
                            && composite.getChildType() != ChildTypeEnum.RESOURCE) {
                        next.add(composite);
                    }
                }
            }
        }

        assertThat(checked).isGreaterThan(300);
        assertThat(unknown).isEmpty();
    }
}
