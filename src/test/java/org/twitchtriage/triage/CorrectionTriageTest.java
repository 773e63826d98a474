package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/** What a correction or a retraction writes, worked out from the resources alone. */
class CorrectionTriageTest {

    private static final Instant FIRST = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-24T11:00:00Z");
    private static final String KEY = "submission-1";

    private static TriageEngine engine;
    private static RuleSet rules;
    private static TriageDocuments documents;
    private static TriageRevisions revisions;

    @BeforeAll
    static void setUp() {
        engine = new TriageEngine(Content.FHIR);
        rules = new TriageRules(Content.registry(), engine)
                .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                .orElseThrow();
        TriageProperties properties =
                new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage");
        documents = new TriageDocuments(properties, "1.0");
        revisions = new TriageRevisions(properties);
    }

    @Test
    void theNoteSaysWhenTheRulesChangedApartFromTheAnswers() {
        Observation before = written(benign(), 1, FIRST).observation();
        before.getMethod().setText("http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage|1.0.0");
        Observation after = written(benign(), 2, LATER).observation();

        List<String> lines = TriageRevisions.changes(before, after, 2);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("the level stays Self-care").contains("the same rules fired");
        assertThat(lines.get(1))
                .contains("The rules changed since the previous result")
                .contains("|1.0.0")
                .contains(after.getMethod().getText());
    }

    @Test
    void sameRulesSayNothingAboutTheRules() {
        Observation before = written(benign(), 1, FIRST).observation();
        Observation after =
                written(benign().answer("numbness-tingling", true), 2, LATER).observation();

        assertThat(TriageRevisions.changes(before, after, 2))
                .singleElement()
                .asString()
                .contains("changed from Self-care ('self-care') to Urgent")
                .contains("newly fired: Numbness");
    }

    @Test
    void anApprovedOrderIsRevokedWithItsProposal() {
        TriageResources first = written(benign().answer("numbness-tingling", true), 1, FIRST);
        List<Resource> previous = new ArrayList<>(stored(first));
        ServiceRequest proposal = first.serviceRequests().get(0);
        ServiceRequest approved = proposal.copy();
        approved.setId(proposal.getIdPart() + "-approved");
        approved.getMeta().setVersionId("1");
        approved.setIdentifier(List.of(new Identifier()
                .setSystem(TriageDocuments.IDENTIFIER_BASE + "approved-order")
                .setValue(proposal.getIdPart() + "-approved")));
        approved.setBasedOn(List.of(new Reference("ServiceRequest/" + proposal.getIdPart())));
        previous.add(approved);

        List<Resource> written = revisions.amend(response(benign(), 2), previous, written(benign(), 2, LATER), LATER);

        assertThat(written)
                .filteredOn(r -> r instanceof ServiceRequest)
                .extracting(r ->
                        r.getIdPart() + " " + ((ServiceRequest) r).getStatus().toCode())
                .contains(proposal.getIdPart() + " revoked", approved.getIdPart() + " revoked");
    }

    @Test
    void unchangedGuidanceAndOrdersAreNotWrittenAgain() {
        TriageResources first = written(benign().answer("numbness-tingling", true), 1, FIRST);

        List<Resource> written = revisions.amend(
                response(benign().answer("numbness-tingling", true).codes("triggers", "exercise"), 2),
                stored(first),
                written(benign().answer("numbness-tingling", true).codes("triggers", "exercise"), 2, LATER),
                LATER);

        assertThat(written).extracting(Resource::fhirType).containsExactly("Observation", "Provenance");
        Observation amended = (Observation) written.get(0);
        assertThat(amended.getStatus()).isEqualTo(Observation.ObservationStatus.AMENDED);
        assertThat(amended.getMeta().getVersionId()).isEqualTo("2");
        assertThat(amended.getText().getDivAsString()).isNotBlank();
        Provenance provenance = (Provenance) written.get(1);
        assertThat(provenance.getIdPart()).isEqualTo(KEY + "-2");
        assertThat(provenance.getTarget())
                .extracting(Reference::getReference)
                .containsExactly("Observation/" + KEY + "/_history/2");
    }

    @Test
    void aRetractionMarksRevokedOrdersTooButNoOrderCompletedElsewhere() {
        TriageResources first = written(benign().answer("numbness-tingling", true), 1, FIRST);
        List<Resource> previous = stored(first);
        List<ServiceRequest> orders = previous.stream()
                .filter(r -> r instanceof ServiceRequest)
                .map(ServiceRequest.class::cast)
                .toList();
        orders.get(0).setStatus(ServiceRequestStatus.REVOKED);
        orders.get(1).setStatus(ServiceRequestStatus.COMPLETED);

        List<Resource> written = revisions.retract(
                response(benign().answer("numbness-tingling", true), 2)
                        .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR),
                previous,
                LATER);

        assertThat(written)
                .extracting(CorrectionTriageTest::status)
                .containsExactly(
                        "Observation entered-in-error",
                        "ServiceRequest entered-in-error",
                        "Communication entered-in-error",
                        "Provenance");
        assertThat(written.get(1).getIdPart()).isEqualTo(orders.get(0).getIdPart());
        assertThat(((Communication) written.get(2)).getMeta().getVersionId()).isEqualTo("2");
        assertThat(((Provenance) written.get(3)).getActivity())
                .extracting(CodeableConcept::getCodingFirstRep)
                .extracting(c -> c.getCode())
                .isEqualTo("NULLIFY");
    }

    private static String status(Resource resource) {
        return resource instanceof Provenance
                ? resource.fhirType()
                : resource.fhirType() + " "
                        + resource.getNamedProperty("status").getValues().get(0).primitiveValue();
    }

    private static TriageResources written(ChecklistResponses builder, int version, Instant at) {
        QuestionnaireResponse response = response(builder, version);
        return documents.write(response, KEY, engine.evaluate(response, rules), at);
    }

    private static QuestionnaireResponse response(ChecklistResponses builder, int version) {
        QuestionnaireResponse response = builder.build();
        response.setId("QuestionnaireResponse/" + KEY + "/_history/" + version);
        response.getMeta().setVersionId(String.valueOf(version));
        return response;
    }

    /** The resources as storing them makes them: version 1, the Device aside. */
    private static List<Resource> stored(TriageResources resources) {
        List<Resource> stored = new ArrayList<>();
        for (Resource resource : resources.all()) {
            if (resource != resources.device()) {
                Resource copy = resource.copy();
                copy.getMeta().setVersionId("1");
                stored.add(copy);
            }
        }
        return stored;
    }
}
