package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.triage.HeadacheResponses.none;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.questionnaire.AnswerProblem;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.questionnaire.QuestionnaireCatalog;
import org.twitchtriage.questionnaire.QuestionnaireCatalog.PublishedQuestionnaire;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.TriageOutcome.PlacedOrder;

/**
 * A second checklist (headache, with its own levels, rules, orders and guidance) works by adding its
 * files only: published next to the muscle-twitch content, both rule sets compile and each response
 * is validated and triaged by its own Questionnaire and rules.
 */
class SecondChecklistTest {

    private static final String SNOMED = "http://snomed.info/sct";
    private static final String EMERGENCY_ASSESSMENT = "emergency-assessment";
    private static final String GP_REVIEW = "gp-review";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static ConformanceRegistry registry;
    private static QuestionnaireCatalog catalog;
    private static TriageEngine engine;
    private static TriageRules rules;

    @BeforeAll
    static void publishBothChecklists() {
        registry = HeadacheResponses.registry(HeadacheResponses.SECOND_CHECKLIST);
        catalog = new QuestionnaireCatalog(registry);
        engine = new TriageEngine(Content.FHIR);
        rules = new TriageRules(registry, engine);
    }

    @Test
    void bothChecklistsCompileWithTheirOwnLevels() {
        assertThat(rules.all())
                .extracting(RuleSet::canonical)
                .containsExactlyInAnyOrder(
                        HeadacheResponses.RULES,
                        "http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage|1.1.0");

        RuleSet headache =
                rules.forQuestionnaire(HeadacheResponses.QUESTIONNAIRE).orElseThrow();
        assertThat(headache.canonical()).isEqualTo(HeadacheResponses.RULES);
        assertThat(headache.levels()).containsOnlyKeys("ok", "see-gp", "emergency");
        assertThat(headache.defaultLevel().code().getCode()).isEqualTo("ok");
        assertThat(headache.level("emergency").orElseThrow().rank())
                .isGreaterThan(headache.level("see-gp").orElseThrow().rank());
        assertThat(headache.rules())
                .extracting(RuleSet.Rule::id)
                .containsExactly("thunderclap", "meningism", "frequent");
        assertThat(headache.resultCode().getCode()).isEqualTo("headache-triage");

        RuleSet twitch =
                rules.forQuestionnaire(ChecklistResponses.QUESTIONNAIRE).orElseThrow();
        assertThat(twitch.levels()).containsOnlyKeys("self-care", "monitor", "soon", "urgent", "immediate");
        assertThat(catalog.all())
                .extracting(PublishedQuestionnaire::canonical)
                .contains(HeadacheResponses.CANONICAL, ChecklistResponses.CANONICAL);
    }

    static Stream<Arguments> headacheResponses() {
        return Stream.of(
                Arguments.of("no warning sign, occasional", none(), List.of(), "ok"),
                Arguments.of("no warning sign, weekly", none().frequency("weekly"), List.of(), "ok"),
                Arguments.of("most days", none().frequency("most-days"), List.of("frequent"), "see-gp"),
                Arguments.of("sudden severe", none().suddenSevere(true), List.of("thunderclap"), "emergency"),
                Arguments.of(
                        "fever and stiff neck, most days",
                        none().feverStiffNeck(true).frequency("most-days"),
                        List.of("meningism", "frequent"),
                        "emergency"),
                Arguments.of(
                        "both warning signs",
                        none().suddenSevere(true).feverStiffNeck(true),
                        List.of("thunderclap", "meningism"),
                        "emergency"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headacheResponses")
    void headacheResponsesAreTriagedByTheHeadacheRules(
            String name, HeadacheResponses response, List<String> expected, String level) {
        TriageOutcome outcome = triage(response.build());

        assertThat(outcome.ruleSet().canonical()).isEqualTo(HeadacheResponses.RULES);
        assertThat(outcome.fired()).extracting(f -> f.rule().id()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(outcome.level().code().getCode()).isEqualTo(level);
        assertThat(outcome.unevaluable()).isEmpty();
        assertThat(outcome.needsReview()).isFalse();
    }

    @Test
    void muscleTwitchResponsesAreStillTriagedByTheirOwnRules() {
        TriageOutcome wasting =
                triage(ChecklistResponses.benign().answer("muscle-loss", true).build());
        TriageOutcome benign = triage(ChecklistResponses.benign().build());

        assertThat(wasting.ruleSet().canonical())
                .isEqualTo("http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage|1.1.0");
        assertThat(wasting.fired())
                .extracting(f -> f.rule().id())
                .containsExactlyInAnyOrder("muscle-wasting", "single-flag");
        assertThat(wasting.level().code().getCode()).isEqualTo("immediate");
        assertThat(wasting.measures()).singleElement().satisfies(m -> {
            assertThat(m.measure().code().getCode()).isEqualTo("checklist-count");
            assertThat(m.value()).isEqualTo(1);
        });
        assertThat(benign.level().code().getCode()).isEqualTo("self-care");
        assertThat(benign.steps()).hasSize(5);
    }

    @Test
    void ordersMergeToOnePerCodeAtTheHighestPriority() {
        TriageOutcome outcome = triage(none().suddenSevere(true).build());

        assertThat(outcome.orders()).singleElement().satisfies(order -> {
            assertThat(order.orderable().code().getCode()).isEqualTo(EMERGENCY_ASSESSMENT);
            assertThat(order.priority()).isEqualTo(ServiceRequestPriority.STAT);
            assertThat(order.ruleIds()).containsExactly("thunderclap", "emergency");
            assertThat(order.occurrenceDays()).isNull();
            assertThat(order.orderable().patientInstruction()).startsWith("Go to the nearest emergency department");
            assertThat(order.orderable().category().getCodingFirstRep().getCode())
                    .isEqualTo("3457005");
        });
    }

    @Test
    void theLevelPlacesItsOwnOrderWithItsTimeWindow() {
        TriageOutcome seeGp = triage(none().frequency("most-days").build());
        TriageOutcome meningism = triage(none().feverStiffNeck(true).build());

        PlacedOrder review = order(seeGp, GP_REVIEW);
        assertThat(seeGp.orders()).hasSize(1);
        assertThat(review.priority()).isEqualTo(ServiceRequestPriority.ROUTINE);
        assertThat(review.occurrenceDays()).isEqualTo(14);
        assertThat(review.ruleIds()).containsExactly("see-gp");
        assertThat(review.reasons()).extracting(Coding::getCode).containsExactly("25064002");
        assertThat(meningism.orders()).singleElement().satisfies(order -> {
            assertThat(order.orderable().code().getCode()).isEqualTo(EMERGENCY_ASSESSMENT);
            assertThat(order.priority()).isEqualTo(ServiceRequestPriority.ASAP);
        });
        assertThat(triage(none().build()).orders()).isEmpty();
    }

    @Test
    void findingsComeFromTheHeadacheItemsAnsweredYes() {
        TriageOutcome outcome = triage(none().feverStiffNeck(true).build());

        assertThat(outcome.fired()).singleElement().satisfies(fired -> {
            assertThat(fired.findingLinkIds()).containsExactly("fever-stiff-neck");
            assertThat(fired.findings())
                    .extracting(c -> c.getSystem() + "|" + c.getCode())
                    .containsExactly(SNOMED + "|386661006", SNOMED + "|161882006");
        });
        assertThat(order(outcome, EMERGENCY_ASSESSMENT).reasons())
                .extracting(Coding::getCode)
                .containsExactly("386661006", "161882006");
    }

    @Test
    void theMeasureCountsTheWarningSignsAnsweredYes() {
        assertThat(triage(none().build()).measures()).singleElement().satisfies(m -> {
            assertThat(m.measure().code().getCode()).isEqualTo("warning-sign-count");
            assertThat(m.value()).isZero();
        });
        assertThat(triage(none().suddenSevere(true).feverStiffNeck(true).build())
                        .measures())
                .singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(2));
    }

    @Test
    void selfCareStepsMatchingTheAnswersComeFirst() {
        TriageOutcome mostDays = triage(none().frequency("most-days").build());
        TriageOutcome occasional = triage(none().build());
        TriageOutcome emergency =
                triage(none().suddenSevere(true).frequency("most-days").build());

        assertThat(mostDays.steps())
                .extracting(RuleSet.GuidanceStep::id)
                .containsExactly("step-painkillers", "step-rest", "step-drink");
        assertThat(occasional.steps())
                .extracting(RuleSet.GuidanceStep::id)
                .containsExactly("step-rest", "step-drink", "step-painkillers");
        assertThat(emergency.steps()).isEmpty();
        assertThat(mostDays.ruleSet().selfCareTitle()).isEqualTo("Self-care plan");
        assertThat(mostDays.ruleSet().warningSigns().signs().get(0))
                .startsWith("Go to an emergency department at once");
    }

    @Test
    void theWrittenResultsCarryTheHeadacheCodesAndGuidance() {
        QuestionnaireResponse response = none().frequency("most-days").build();
        response.setId("headache-1");
        TriageResources resources = documents().write(response, "headache-1", triage(response), NOW);

        Observation observation = resources.observation();
        assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(observation.getCode().getCodingFirstRep().getCode()).isEqualTo("headache-triage");
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("see-gp");
        assertThat(observation.getComponent())
                .extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("frequent", "warning-sign-count");
        assertThat(observation.getMethod().getText()).isEqualTo(HeadacheResponses.RULES);
        ServiceRequest review = resources.serviceRequests().get(0);
        assertThat(review.getCode().getCodingFirstRep().getCode()).isEqualTo(GP_REVIEW);
        assertThat(review.getOccurrencePeriod().getEnd()).isEqualTo("2026-12-04T09:30:00Z");
        List<String> payload = resources.communication().getPayload().stream()
                .map(p -> p.getContentStringType().getValue())
                .toList();
        assertThat(payload.get(0)).startsWith("See your general practitioner. ");
        assertThat(payload.get(1)).isEqualTo("Self-care plan:");
        assertThat(payload.get(2)).startsWith("1. Limit painkillers. ");
        assertThat(payload.get(payload.size() - 1)).startsWith("Go to an emergency department at once");
    }

    @Test
    void validResponsesToTheSecondQuestionnairePassItsChecks() {
        PublishedQuestionnaire headache =
                catalog.resolve(HeadacheResponses.CANONICAL).orElseThrow();

        assertThat(catalog.resolve(HeadacheResponses.QUESTIONNAIRE))
                .get()
                .extracting(PublishedQuestionnaire::canonical)
                .isEqualTo(HeadacheResponses.CANONICAL);
        assertThat(headache.plan().check(none().build())).isEmpty();
        assertThat(headache.plan()
                        .check(none().suddenSevere(true)
                                .feverStiffNeck(true)
                                .frequency("most-days")
                                .build()))
                .isEmpty();
    }

    static Stream<Arguments> invalidResponses() {
        return Stream.of(
                Arguments.of("required answer missing", none().suddenSevere(null), "sudden-severe"),
                Arguments.of("frequency code not in the value set", none().frequency("daily"), "frequency"),
                Arguments.of(
                        "frequency code from another checklist",
                        none().frequency("http://twitchtriage.org/fhir/CodeSystem/twitch-duration", "1-2w"),
                        "frequency"),
                Arguments.of("frequency missing", none().frequency(null), "frequency"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResponses")
    void invalidResponsesToTheSecondQuestionnaireAreReported(String name, HeadacheResponses response, String linkId) {
        PublishedQuestionnaire headache =
                catalog.resolve(HeadacheResponses.CANONICAL).orElseThrow();

        assertThat(headache.plan().check(response.build()))
                .isNotEmpty()
                .extracting(AnswerProblem::linkId)
                .contains(linkId);
    }

    @Test
    void aMuscleTwitchResponseDoesNotPassTheHeadacheChecks() {
        PublishedQuestionnaire headache =
                catalog.resolve(HeadacheResponses.CANONICAL).orElseThrow();

        assertThat(headache.plan().check(ChecklistResponses.benign().build())).isNotEmpty();
    }

    @Test
    void theSecondChecklistsFilesAndResponsesAreValidFhir() {
        ProfileValidator validator = new ProfileValidator(Content.FHIR, registry);
        List<MetadataResource> added = registry.all().stream()
                .filter(r -> r.getUrl().startsWith(HeadacheResponses.BASE + "/"))
                .toList();

        assertThat(added).hasSize(10);
        for (MetadataResource resource : added) {
            assertThat(errors(validator, resource))
                    .as(resource.fhirType() + "/" + resource.getIdPart())
                    .isEmpty();
        }
        assertThat(errors(
                        validator, none().suddenSevere(true).frequency("weekly").build()))
                .isEmpty();
        assertThat(errors(validator, none().frequency("daily").build())).isNotEmpty();
    }

    private static List<String> errors(ProfileValidator validator, IBaseResource resource) {
        return validator.errors(resource).stream()
                .map(SingleValidationMessage::toString)
                .toList();
    }

    /** As intake does: the response's Questionnaire, then the rules of that Questionnaire. */
    private static TriageOutcome triage(QuestionnaireResponse response) {
        PublishedQuestionnaire questionnaire =
                catalog.resolve(response.getQuestionnaire()).orElseThrow();
        assertThat(questionnaire.plan().check(response))
                .as("the response is valid")
                .isEmpty();
        RuleSet ruleSet =
                rules.forQuestionnaire(questionnaire.questionnaire().getUrl()).orElseThrow();
        return engine.evaluate(response, ruleSet);
    }

    private static TriageDocuments documents() {
        return new TriageDocuments(
                new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage"), "1.0");
    }

    private static PlacedOrder order(TriageOutcome outcome, String code) {
        return outcome.orders().stream()
                .filter(o -> code.equals(o.orderable().code().getCode()))
                .findFirst()
                .orElseThrow();
    }
}
