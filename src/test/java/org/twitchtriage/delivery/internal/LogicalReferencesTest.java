package org.twitchtriage.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.Map;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** References to resources an EHR cannot take become logical references, or go. */
class LogicalReferencesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void aReferenceToALeftOutResourceBecomesItsIdentifier() {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setId("QuestionnaireResponse/s-1");
        response.setIdentifier(new Identifier().setSystem("urn:test:portal").setValue("r-1"));
        Observation observation = new Observation();
        observation.setId("Observation/s-1");
        observation.addDerivedFrom(new Reference("QuestionnaireResponse/s-1"));
        observation.setSubject(new Reference("Patient/p-1"));

        new LogicalReferences(FHIR).rewrite(observation, Map.of("QuestionnaireResponse/s-1", response));

        Reference derived = observation.getDerivedFromFirstRep();
        assertThat(derived.hasReference()).isFalse();
        assertThat(derived.getType()).isEqualTo("QuestionnaireResponse");
        assertThat(derived.getIdentifier().getSystem()).isEqualTo("urn:test:portal");
        assertThat(derived.getIdentifier().getValue()).isEqualTo("r-1");
        assertThat(observation.getSubject().getReference()).isEqualTo("Patient/p-1");
    }

    @Test
    void aVersionedReferenceIsRewrittenTooAndOneWithoutIdentifierIsDropped() {
        Provenance left = new Provenance();
        left.setId("Provenance/s-1");
        Observation observation = new Observation();
        observation.setId("Observation/s-1");
        observation.addIdentifier().setSystem("urn:test:sid").setValue("s-1");
        Provenance revision = new Provenance();
        revision.addTarget(new Reference("Observation/s-1/_history/2"));
        revision.addTarget(new Reference("Provenance/s-1"));

        new LogicalReferences(FHIR)
                .rewrite(revision, Map.<String, Resource>of("Observation/s-1", observation, "Provenance/s-1", left));

        assertThat(revision.getTarget().get(0).getIdentifier().getValue()).isEqualTo("s-1");
        assertThat(revision.getTarget().get(1).isEmpty()).isTrue();
        String json = FHIR.newJsonParser().encodeResourceToString(revision);
        assertThat(json).doesNotContain("Provenance/s-1").doesNotContain("_history");
    }
}
