package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.testing.StoredResults;
import org.twitchtriage.triage.internal.RuleSetCompiler;

/** The written resources conform to the project's profiles and carry what contract section 6 asks. */
class TriageDocumentsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final TriageProperties PROPERTIES =
            new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage");

    private static TriageEngine engine;
    private static RuleSet rules;
    private static ProfileValidator validator;
    private static TriageDocuments documents;

    @BeforeAll
    static void setUp() {
        engine = new TriageEngine(Content.FHIR);
        rules = new TriageRules(Content.registry(), engine)
                .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                .orElseThrow();
        validator = new ProfileValidator(Content.FHIR, Content.registry());
        documents = new TriageDocuments(PROPERTIES, "1.0");
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

        assertThat(resources
                        .observation()
                        .getValueCodeableConcept()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo(level);
        assertConforms(resources.all());
    }

    static Stream<Arguments> corrections() {
        return Stream.of(
                Arguments.of(
                        "urgent to self-care: orders revoked",
                        benign().answer("numbness-tingling", true),
                        benign(),
                        List.of(ServiceRequest.ServiceRequestStatus.REVOKED)),
                Arguments.of(
                        "urgent to soon: orders revoked, added and changed",
                        benign().answer("numbness-tingling", true),
                        benign().answer("weakness", true).answer("weakness-progressive", true),
                        List.of(
                                ServiceRequest.ServiceRequestStatus.REVOKED,
                                ServiceRequest.ServiceRequestStatus.ACTIVE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrections")
    void aCorrectionsRevisionConformsToTheProfiles(
            String name,
            ChecklistResponses first,
            ChecklistResponses corrected,
            List<ServiceRequest.ServiceRequestStatus> orderStatuses) {
        TriageResources original = write(first.build());
        QuestionnaireResponse amended = corrected
                .status(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)
                .build();
        amended.setId("qr-1");
        amended.getMeta().setVersionId("2");
        TriageResources fresh = documents.write(amended, "qr-1", engine.evaluate(amended, rules), NOW);

        List<Resource> revision = new TriageRevisions(PROPERTIES)
                .amend(amended, StoredResults.atVersionOne(original), fresh, NOW.plusSeconds(60));

        assertThat(revision)
                .filteredOn(Observation.class::isInstance)
                .extracting(r -> ((Observation) r).getStatus())
                .containsExactly(Observation.ObservationStatus.AMENDED);
        assertThat(revision)
                .filteredOn(ServiceRequest.class::isInstance)
                .extracting(r -> ((ServiceRequest) r).getStatus())
                .containsOnlyElementsOf(orderStatuses)
                .containsAll(orderStatuses);
        assertThat(revision).filteredOn(Communication.class::isInstance).hasSize(1);
        Provenance provenance = provenanceOf(revision);
        assertThat(provenance.getActivity().getCodingFirstRep().getCode()).isEqualTo("UPDATE");
        assertThat(provenance.getEntity())
                .extracting(Provenance.ProvenanceEntityComponent::getRole)
                .containsOnly(Provenance.ProvenanceEntityRole.SOURCE, Provenance.ProvenanceEntityRole.REVISION)
                .contains(Provenance.ProvenanceEntityRole.REVISION);
        assertThat(provenance.getTarget())
                .allMatch(target -> target.getReference().contains("/_history/"));
        assertConforms(revision);
    }

    @Test
    void aRetractionsRevisionConformsToTheProfiles() {
        TriageResources original =
                write(benign().answer("numbness-tingling", true).build());
        QuestionnaireResponse retracted = benign().answer("numbness-tingling", true)
                .status(QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR)
                .build();
        retracted.setId("qr-1");
        retracted.getMeta().setVersionId("2");

        List<Resource> revision = new TriageRevisions(PROPERTIES)
                .retract(retracted, StoredResults.atVersionOne(original), NOW.plusSeconds(60));

        assertThat(revision)
                .filteredOn(r -> !(r instanceof Provenance))
                .hasSize(2 + original.serviceRequests().size())
                .allSatisfy(r -> assertThat(
                                r.getNamedProperty("status").getValues().get(0).primitiveValue())
                        .isEqualTo("entered-in-error"));
        Provenance provenance = provenanceOf(revision);
        assertThat(provenance.getActivity().getCodingFirstRep().getCode()).isEqualTo("NULLIFY");
        assertConforms(revision);
    }

    @Test
    void theFirstTriagesProvenanceHasNoActivity() {
        TriageResources resources = write(benign().build());

        assertThat(resources.provenance().hasActivity()).isFalse();
        assertThat(resources.provenance().getEntity())
                .extracting(Provenance.ProvenanceEntityComponent::getRole)
                .containsExactly(Provenance.ProvenanceEntityRole.SOURCE);
    }

    @Test
    void theProfilesRefuseAStatusTheModuleNeverWrites() {
        TriageResources resources =
                write(benign().answer("numbness-tingling", true).build());
        resources.observation().setStatus(Observation.ObservationStatus.CANCELLED);
        resources.serviceRequests().get(0).setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
        resources.communication().setStatus(Communication.CommunicationStatus.INPROGRESS);
        resources
                .provenance()
                .setActivity(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "DELETE", "delete")));

        assertThat(locations(resources.observation())).contains("Observation.status");
        assertThat(locations(resources.serviceRequests().get(0))).contains("ServiceRequest.status");
        assertThat(locations(resources.communication())).contains("Communication.status");
        assertThat(locations(resources.provenance())).contains("Provenance.activity");
    }

    @Test
    void theProvenanceProfileRefusesARoleOtherThanSourceOrRevisionAndASecondSource() {
        Provenance provenance = write(benign().build()).provenance();
        provenance
                .addEntity()
                .setRole(Provenance.ProvenanceEntityRole.QUOTATION)
                .setWhat(new Reference("Observation/x"));
        provenance
                .addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference("QuestionnaireResponse/y"));

        assertThat(validator.errors(provenance))
                .extracting(SingleValidationMessage::getMessage)
                .anyMatch(message -> message.contains("tt-prov-1"));
        assertThat(locations(provenance)).anyMatch(location -> location.startsWith("Provenance.entity[1].role"));
    }

    private static List<String> locations(Resource resource) {
        return validator.errors(resource).stream()
                .map(SingleValidationMessage::getLocationString)
                .toList();
    }

    /** What the results store hands a revision: the current version of each resource, version 1 after a triage. */
    private static Provenance provenanceOf(List<Resource> revision) {
        return revision.stream()
                .filter(Provenance.class::isInstance)
                .map(Provenance.class::cast)
                .findFirst()
                .orElseThrow();
    }

    private static void assertConforms(List<? extends Resource> resources) {
        for (Resource resource : resources) {
            List<String> errors = validator.errors(resource).stream()
                    .map(SingleValidationMessage::toString)
                    .toList();
            assertThat(errors)
                    .as(resource.fhirType() + "/" + resource.getIdPart())
                    .isEmpty();
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
        QuestionnaireResponse response = benign().answer("weakness", true)
                .answer("weakness-progressive", true)
                .build();
        Observation observation = write(response).observation();

        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(observation.getIdentifierFirstRep().getValue()).isEqualTo("qr-1");
        assertThat(observation.getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("progressive-weakness", "single-flag", "checklist-count");
        assertThat(observation.getDerivedFromFirstRep().getReference()).isEqualTo("QuestionnaireResponse/qr-1");
        assertThat(observation.getMethod().getText()).isEqualTo(rules.canonical());
        assertThat(notes(observation))
                .contains("progressive-weakness", rules.canonical(), "“Do you feel weak where it twitches");
        assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-20T09:30:00Z");
    }

    @Test
    void theObservationNamesTheModulesDeviceAsTheProvenanceDoes() {
        TriageResources resources = write(benign().build());

        assertThat(resources.observation().getDevice().getReference())
                .isEqualTo("Device/twitch-triage")
                .isEqualTo(resources.provenance().getAgentFirstRep().getWho().getReference())
                .isEqualTo("Device/" + resources.device().getIdPart());
    }

    @Test
    void theObservationProfileRequiresTheDevice() {
        Observation observation = write(benign().build()).observation();
        observation.setDevice(null);

        assertThat(validator.errors(observation))
                .extracting(SingleValidationMessage::getMessage)
                .anyMatch(message -> message.contains("Observation.device"));
    }

    @Test
    void serviceRequestsCarryPriorityReasonsAndTheSharedRequisition() {
        TriageResources resources = write(benign().answer("weakness", true)
                .answer("weakness-progressive", true)
                .build());

        List<ServiceRequest> labs = resources.serviceRequests().stream()
                .filter(r -> "http://loinc.org"
                        .equals(r.getCode().getCodingFirstRep().getSystem()))
                .toList();
        assertThat(labs).hasSize(6);
        assertThat(labs).extracting(r -> r.getRequisition().getValue()).containsOnly("qr-1-blood-panel");
        ServiceRequest referral = resources.serviceRequests().stream()
                .filter(r -> "183521007".equals(r.getCode().getCodingFirstRep().getCode()))
                .findFirst()
                .orElseThrow();
        assertThat(referral.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
        assertThat(referral.getOccurrencePeriod().getEnd()).isEqualTo("2026-12-11T09:30:00Z");
        assertThat(referral.getRequester().getReference()).isEqualTo("Organization/site-1");
        assertThat(referral.getReasonReferenceFirstRep().getReference()).isEqualTo("Observation/qr-1");
        assertThat(referral.getReasonCode())
                .extracting(c -> c.getCodingFirstRep().getCode())
                .contains("26544005");
        assertThat(referral.getPerformerType().getCodingFirstRep().getCode()).isEqualTo("56397003");
        assertThat(referral.getPatientInstruction()).isNotBlank();
    }

    @Test
    void guidanceSaysWhenToSeekHelpSooner() {
        TriageResources resources =
                write(benign().codes("triggers", "poor-sleep").build());

        List<String> payload = texts(resources);
        List<String> parts = parts(resources);
        assertThat(parts.subList(0, 3)).containsExactly("level-message", "time-frame", "self-care-plan");
        assertThat(payload.get(3)).startsWith("1. ").contains("sleep");
        RuleSet.WarningSigns signs = rules.warningSigns();
        assertThat(signs.signs()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(payload.subList(payload.size() - signs.signs().size() - 1, payload.size()))
                .first()
                .isEqualTo(signs.title());
        assertThat(payload.subList(payload.size() - signs.signs().size(), payload.size()))
                .containsExactlyElementsOf(signs.signs());
        assertThat(parts.get(parts.size() - 1)).isEqualTo("warning-sign");
        assertThat(resources.provenance().getTarget())
                .hasSize(2 + resources.serviceRequests().size());
    }

    @Test
    void theTimeFrameIsTheLevelsOwnAndSaidOnce() {
        for (String level : List.of("self-care", "monitor", "soon", "urgent", "immediate")) {
            QuestionnaireResponse response = switch (level) {
                case "self-care" -> benign().build();
                case "monitor" -> benign().answer("family-history", true).build();
                case "soon" -> benign().answer("spreading", true).build();
                case "urgent" -> benign().answer("numbness-tingling", true).build();
                default -> benign().answer("muscle-loss", true).build();
            };
            TriageResources resources = write(response);
            List<String> parts = parts(resources);

            assertThat(parts).as(level).containsOnlyOnce("time-frame");
            String timeFrame = texts(resources).get(parts.indexOf("time-frame"));
            assertThat(timeFrame)
                    .as(level)
                    .isEqualTo(rules.level(level).orElseThrow().timeFrame())
                    .isNotBlank();
        }
    }

    private static List<String> texts(TriageResources resources) {
        return resources.communication().getPayload().stream()
                .map(p -> p.getContentStringType().getValue())
                .toList();
    }

    private static List<String> parts(TriageResources resources) {
        return resources.communication().getPayload().stream()
                .map(p -> p.getExtensionByUrl(TriageDocuments.GUIDANCE_PART_EXTENSION)
                        .getValue()
                        .primitiveValue())
                .toList();
    }

    @Test
    void theNoteExplainsEachFiredRuleInTheQuestionnairesWordsWithoutExpressions() {
        QuestionnaireResponse response = benign().answer("weakness", true)
                .answer("weakness-progressive", true)
                .answer("numbness-tingling", true)
                .build();
        Observation observation = write(response).observation();

        List<String> notes =
                observation.getNote().stream().map(n -> n.getText()).toList();
        TriageOutcome outcome = engine.evaluate(response, rules);
        assertThat(notes).hasSize(1 + outcome.fired().size());
        assertThat(notes.get(0)).contains("'urgent'", rules.canonical(), ChecklistResponses.CANONICAL);
        assertThat(notes)
                .anySatisfy(note -> assertThat(note)
                        .startsWith("Fired: “Weakness that is getting worse”")
                        .contains("“Do you feel weak where it twitches, for example trouble gripping things, climbing"
                                + " stairs or getting up from a chair?” Yes"));
        assertThat(notes)
                .anySatisfy(note -> assertThat(note)
                        .contains("(rule 'neuro-deficit', level 'urgent')")
                        .contains("“Do you have numbness, or pins and needles, anywhere?” Yes")
                        .as("a boolean answered no is left out")
                        .doesNotContain("slurred speech"));
        assertThat(String.join("\n", notes)).doesNotContain("repeat(", "linkId", "where(", "%");
    }

    @Test
    void aResponseCitingTheBareUrlIsExplainedInTheWordsOfTheNewestDeclaredVersion() {
        QuestionnaireResponse response = benign().questionnaire(ChecklistResponses.QUESTIONNAIRE)
                .answer("numbness-tingling", true)
                .build();

        assertThat(notes(write(response).observation()))
                .contains("“Do you have numbness, or pins and needles, anywhere?” Yes");
    }

    @Test
    void aChoiceItemIsExplainedWithTheDisplaysOfItsAnswers() {
        PlanDefinition plan = Content.registry()
                .byCanonical(PlanDefinition.class, rules.canonical())
                .orElseThrow()
                .copy();
        // The eyelid rule reads the locations and, through a variable, the duration.
        PlanDefinition.PlanDefinitionActionComponent eyelid = plan.getAction().stream()
                .filter(a -> "eyelid".equals(a.getId()))
                .findFirst()
                .orElseThrow();
        eyelid.addExtension(RuleSetCompiler.FINDING_EXTENSION, new StringType("locations"));
        eyelid.addExtension(RuleSetCompiler.FINDING_EXTENSION, new StringType("duration"));
        RuleSet withReads = engine.compile(plan, Content.registry());
        QuestionnaireResponse response =
                benign().codes("locations", "eyelid", "face").build();
        response.setId("qr-1");

        Observation observation = documents
                .write(response, "qr-1", engine.evaluate(response, withReads), NOW)
                .observation();

        assertThat(notes(observation))
                .contains(
                        "“Where do you feel the twitching? Tick every place that applies.”"
                                + " Eyelid, Face (other than the eyelid)",
                        "“How long has the twitching been going on?” 1 to 2 weeks");
    }

    @Test
    void eachComponentSaysWhatItIsInWords() {
        Observation observation =
                write(benign().answer("spreading", true).build()).observation();

        assertThat(observation.getComponent())
                .allSatisfy(component -> assertThat(component.getCode().getText())
                        .isNotBlank()
                        .isNotEqualTo(component.getCode().getCodingFirstRep().getCode()));
        Observation.ObservationComponentComponent spreading = observation.getComponent().stream()
                .filter(c -> "spreading".equals(c.getCode().getCodingFirstRep().getCode()))
                .findFirst()
                .orElseThrow();
        assertThat(spreading.getCode().getText()).isEqualTo("Twitching spreading to unrelated muscle groups");
        assertThat(spreading.getCode().getCodingFirstRep().getDisplay())
                .isEqualTo(spreading.getCode().getText());
    }

    private static String notes(Observation observation) {
        return String.join(
                "\n", observation.getNote().stream().map(n -> n.getText()).toList());
    }

    private static TriageResources write(QuestionnaireResponse response) {
        response.setId("qr-1");
        return documents.write(response, "qr-1", engine.evaluate(response, rules), NOW);
    }
}
