package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/** The written resources conform to the project's profiles and carry what contract section 6 asks. */
class TriageDocumentsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static TriageEngine engine;
    private static RuleSet rules;
    private static ProfileValidator validator;
    private static TriageDocuments documents;

    @BeforeAll
    static void setUp() {
        engine = new TriageEngine(Content.FHIR);
        rules = new TriageRules(Content.registry(), engine).forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                .orElseThrow();
        validator = new ProfileValidator(Content.FHIR, Content.registry());
        documents = new TriageDocuments(new TriageProperties("Organization/site-1", "order", "twitch-triage"), "1.0");
    }

    static Stream<Arguments> representative() {
        return Stream.of(
                Arguments.of("self-care", benign().codes("triggers", "stress")),
                Arguments.of("monitor", benign().codes("locations", "eyelid", "face")),
                Arguments.of("soon", benign().answer("weakness", true).answer("weakness-progressive", true)),
                Arguments.of("urgent", benign().answer("numbness-tingling", true)),
                Arguments.of("immediate", benign().answer("muscle-loss", true).answer("spreading", true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("representative")
    void everyOutputConformsToItsProfile(String level, ChecklistResponses builder) {
        TriageResources resources = write(builder.build());

        assertThat(resources.observation().getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo(level);
        for (Resource resource : resources.all()) {
            List<String> errors = validator.errors(resource).stream().map(SingleValidationMessage::toString).toList();
            assertThat(errors).as(resource.fhirType() + "/" + resource.getIdPart()).isEmpty();
        }
    }

    @Test
    void theProfilesAreEnforced() {
        TriageResources resources = write(benign().answer("spreading", true).build());
        resources.observation().setMethod(null);
        resources.serviceRequests().get(0).setRequester(null);

        assertThat(validator.errors(resources.observation())).isNotEmpty();
        assertThat(validator.errors(resources.serviceRequests().get(0))).isNotEmpty();
    }

    @Test
    void theObservationRecordsLevelRulesCountAndSource() {
        QuestionnaireResponse response = benign().answer("weakness", true).answer("weakness-progressive", true).build();
        Observation observation = write(response).observation();

        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(observation.getIdentifierFirstRep().getValue()).isEqualTo("qr-1");
        assertThat(observation.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("progressive-weakness", "single-flag", "checklist-count");
        assertThat(observation.getDerivedFromFirstRep().getReference()).isEqualTo("QuestionnaireResponse/qr-1");
        assertThat(observation.getMethod().getText()).isEqualTo(rules.canonical());
        assertThat(observation.getNoteFirstRep().getText()).contains("progressive-weakness", "'weakness'");
        assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-20T09:30:00Z");
    }

    @Test
    void theObservationNamesTheModulesDeviceAsTheProvenanceDoes() {
        TriageResources resources = write(benign().build());

        assertThat(resources.observation().getDevice().getReference()).isEqualTo("Device/twitch-triage")
                .isEqualTo(resources.provenance().getAgentFirstRep().getWho().getReference())
                .isEqualTo("Device/" + resources.device().getIdPart());
    }

    @Test
    void theObservationProfileRequiresTheDevice() {
        Observation observation = write(benign().build()).observation();
        observation.setDevice(null);

        assertThat(validator.errors(observation)).extracting(SingleValidationMessage::getMessage)
                .anyMatch(message -> message.contains("Observation.device"));
    }

    @Test
    void serviceRequestsCarryPriorityReasonsAndTheSharedRequisition() {
        TriageResources resources = write(benign().answer("weakness", true).answer("weakness-progressive", true)
                .build());

        List<ServiceRequest> labs = resources.serviceRequests().stream()
                .filter(r -> "http://loinc.org".equals(r.getCode().getCodingFirstRep().getSystem())).toList();
        assertThat(labs).hasSize(6);
        assertThat(labs).extracting(r -> r.getRequisition().getValue()).containsOnly("qr-1-blood-panel");
        ServiceRequest referral = resources.serviceRequests().stream()
                .filter(r -> "183521007".equals(r.getCode().getCodingFirstRep().getCode())).findFirst().orElseThrow();
        assertThat(referral.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
        assertThat(referral.getOccurrencePeriod().getEnd()).isEqualTo("2026-12-11T09:30:00Z");
        assertThat(referral.getRequester().getReference()).isEqualTo("Organization/site-1");
        assertThat(referral.getReasonReferenceFirstRep().getReference()).isEqualTo("Observation/qr-1");
        assertThat(referral.getReasonCode()).extracting(c -> c.getCodingFirstRep().getCode()).contains("26544005");
        assertThat(referral.getPerformerType().getCodingFirstRep().getCode()).isEqualTo("56397003");
        assertThat(referral.getPatientInstruction()).isNotBlank();
    }

    @Test
    void guidanceSaysWhenToSeekHelpSooner() {
        TriageResources resources = write(benign().codes("triggers", "poor-sleep").build());

        List<String> payload = resources.communication().getPayload().stream()
                .map(p -> p.getContentStringType().getValue()).toList();
        assertThat(payload).hasSizeGreaterThanOrEqualTo(7);
        assertThat(payload.get(2)).startsWith("1. ").contains("sleep");
        assertThat(payload.get(payload.size() - 1)).isEqualTo(rules.warningSigns());
        assertThat(resources.provenance().getTarget()).hasSize(2 + resources.serviceRequests().size());
    }

    private static TriageResources write(QuestionnaireResponse response) {
        response.setId("qr-1");
        return documents.write(response, "qr-1", engine.evaluate(response, rules), NOW);
    }
}
