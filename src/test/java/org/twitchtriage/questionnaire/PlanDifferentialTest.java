package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.questionnaire.QuestionnaireCatalog.PublishedQuestionnaire;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/**
 * The compiled {@link ValidationPlan} and HAPI's full validator must agree on every response of the
 * corpus: both accept the valid ones, both reject the invalid ones, and the plan names the offending
 * linkId, at an item HAPI also points at. Envelope rules (status, subject, authored) are not the plan's
 * job and stay valid throughout; the exception is the Questionnaire reference: an unresolvable one must
 * not resolve in the catalog and must be an error for HAPI.
 */
class PlanDifferentialTest {

    private static final String BASE = ChecklistResponses.BASE;
    private static final String LOCATION = BASE + "/CodeSystem/twitch-location";
    private static final String DURATION = BASE + "/CodeSystem/twitch-duration";
    private static final String COURSE = BASE + "/CodeSystem/twitch-course";
    private static final String TRIGGER = BASE + "/CodeSystem/twitch-trigger";

    private static final String ROOT = "(root)";
    private static final Pattern LOCATION_STEP = Pattern.compile("\\.(item|answer)\\[(\\d+)]");

    private static ProfileValidator hapi;

    @BeforeAll
    static void buildValidator() {
        hapi = new ProfileValidator(Content.FHIR, Content.registry());
    }

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();

        cases.add(valid("benign answers", ChecklistResponses.benign().build()));
        cases.add(valid(
                "weakness true and getting worse",
                ChecklistResponses.benign()
                        .answer("weakness", true)
                        .answer("weakness-progressive", true)
                        .build()));
        cases.add(valid(
                "weakness true and not getting worse",
                ChecklistResponses.benign()
                        .answer("weakness", true)
                        .answer("weakness-progressive", false)
                        .build()));
        cases.add(valid("every warning sign", everyWarningSign().build()));
        cases.add(valid(
                "bare questionnaire url without version",
                ChecklistResponses.benign()
                        .questionnaire(ChecklistResponses.QUESTIONNAIRE)
                        .build()));
        cases.add(valid(
                "amended status",
                ChecklistResponses.benign()
                        .status(QuestionnaireResponseStatus.AMENDED)
                        .build()));
        cases.add(valid(
                "authored with a timezone offset",
                ChecklistResponses.benign()
                        .authored("2026-11-20T10:30:00+01:00")
                        .build()));
        cases.add(valid(
                "every location and every trigger",
                ChecklistResponses.benign()
                        .codes(
                                "locations",
                                "eyelid",
                                "face",
                                "arm-hand",
                                "shoulder",
                                "back",
                                "chest-abdomen",
                                "thigh",
                                "calf-foot",
                                "other")
                        .codes(
                                "triggers",
                                "caffeine",
                                "stress",
                                "fatigue",
                                "dehydration",
                                "exercise",
                                "poor-sleep",
                                "stimulant-medication")
                        .build()));
        cases.add(valid(
                "optional triggers left out",
                ChecklistResponses.benign().without("triggers").build()));
        cases.add(valid(
                "eyelid and face, for months, worsening",
                ChecklistResponses.benign()
                        .codes("locations", "eyelid", "face")
                        .codes("duration", "gt-3m")
                        .codes("course", "worsening")
                        .codes("triggers", "stress", "poor-sleep")
                        .build()));
        cases.add(valid(
                "portal shape: id, tags, known profile, language, item texts, displays",
                portalShaped(
                        everyWarningSign()
                                .codes("locations", "arm-hand", "thigh", "other")
                                .codes("triggers", "exercise", "dehydration")
                                .build(),
                        true)));
        cases.add(valid(
                "portal shape without meta.profile, bare url, amended, offset",
                portalShaped(
                        ChecklistResponses.benign()
                                .questionnaire(ChecklistResponses.QUESTIONNAIRE)
                                .status(QuestionnaireResponseStatus.AMENDED)
                                .authored("2026-11-21T18:05:12-05:00")
                                .identifier("urn:ietf:rfc:3986", "urn:uuid:5f0c1a0e-8f43-4f3e-9a2b-000000000001")
                                .build(),
                        false)));
        cases.add(valid("form renderer JSON", parse(RENDERER_JSON)));
        cases.add(valid(
                "code display in the patient's language",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "locations").getAnswerFirstRep().getValueCoding().setDisplay("Mollet ou pied")));
        // Portals word or translate the questions themselves; ProfileValidator keeps HAPI's text-mismatch
        // finding as a warning, since neither FHIR R4 nor the contract (section 2) makes it an error.
        cases.add(valid(
                "item texts in the portal's own wording",
                ChecklistResponses.benign().build(),
                qr -> {
                    item(qr, "checklist").setText("Signes d'alerte");
                    item(qr, "weakness").setText("Avez-vous une faiblesse musculaire ?");
                }));
        cases.add(valid(
                "a profile this server does not hold (SDC)",
                ChecklistResponses.benign().build(),
                qr -> qr.getMeta()
                        .addProfile("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse")));

        cases.add(invalid(
                "unknown linkId at the root",
                ProblemCode.UNKNOWN_ITEM,
                "mood",
                ChecklistResponses.benign().build(),
                qr -> qr.addItem().setLinkId("mood").addAnswer().setValue(new BooleanType(true))));
        cases.add(invalid(
                "unknown linkId inside a group",
                ProblemCode.UNKNOWN_ITEM,
                "sleep-hours",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "checklist")
                        .addItem()
                        .setLinkId("sleep-hours")
                        .addAnswer()
                        .setValue(new BooleanType(false))));
        cases.add(invalid(
                "linkId with different case",
                ProblemCode.UNKNOWN_ITEM,
                "Weakness",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "weakness").setLinkId("Weakness")));
        cases.add(invalid(
                "item nested under a boolean item",
                ProblemCode.UNKNOWN_ITEM,
                "weakness-detail",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "weakness")
                        .addItem()
                        .setLinkId("weakness-detail")
                        .addAnswer()
                        .setValue(new StringType("left hand"))));
        cases.add(invalid(
                "item nested under an answer",
                ProblemCode.UNKNOWN_ITEM,
                "weakness-side",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "weakness")
                        .getAnswerFirstRep()
                        .addItem()
                        .setLinkId("weakness-side")
                        .addAnswer()
                        .setValue(new StringType("left"))));
        cases.add(invalid(
                "items out of order inside a group",
                ProblemCode.ITEM_ORDER,
                "duration",
                ChecklistResponses.benign().build(),
                qr -> swap(item(qr, "about").getItem(), "duration", "course")));
        cases.add(invalid(
                "groups out of order",
                ProblemCode.ITEM_ORDER,
                "checklist",
                ChecklistResponses.benign().build(),
                qr -> swap(qr.getItem(), "checklist", "other-symptoms")));
        cases.add(invalid(
                "non-repeating item twice",
                ProblemCode.DUPLICATE_ITEM,
                "duration",
                ChecklistResponses.benign().build(),
                qr -> {
                    List<QuestionnaireResponseItemComponent> about =
                            item(qr, "about").getItem();
                    about.add(2, item(qr, "duration").copy());
                }));
        // Not on 'weakness': when the question of an enableWhen has an answer of another type, HAPI 8.8 throws
        // (UnprocessableEntityException from its EnableWhenEvaluator) instead of reporting a message.
        cases.add(invalid(
                "valueString for a boolean item",
                ProblemCode.WRONG_TYPE,
                "spreading",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "spreading").getAnswerFirstRep().setValue(new StringType("no"))));
        cases.add(invalid(
                "valueBoolean for a choice item",
                ProblemCode.WRONG_TYPE,
                "duration",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "duration").getAnswerFirstRep().setValue(new BooleanType(true))));
        cases.add(invalid(
                "valueString for a choice item",
                ProblemCode.WRONG_TYPE,
                "locations",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "locations").addAnswer().setValue(new StringType("neck"))));
        cases.add(invalid(
                "code without a system",
                ProblemCode.INVALID_CODE,
                "duration",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "duration").getAnswerFirstRep().getValueCoding().setSystem(null)));
        cases.add(invalid(
                "unknown code",
                ProblemCode.INVALID_CODE,
                "duration",
                ChecklistResponses.benign().codes("duration", "6-12m").build(),
                qr -> {}));
        cases.add(invalid(
                "unknown code among several locations",
                ProblemCode.INVALID_CODE,
                "locations",
                ChecklistResponses.benign()
                        .codes("locations", "calf-foot", "neck")
                        .build(),
                qr -> {}));
        cases.add(invalid(
                "known code in the wrong system",
                ProblemCode.INVALID_CODE,
                "duration",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "duration").getAnswerFirstRep().setValue(new Coding(COURSE, "1-2w", null))));
        cases.add(invalid(
                "empty answer to a required item",
                ProblemCode.EMPTY_ANSWER,
                "weakness",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "weakness").getAnswer().set(0, new QuestionnaireResponseItemAnswerComponent())));
        cases.add(invalid(
                "two answers to a non-repeating choice",
                ProblemCode.TOO_MANY_ANSWERS,
                "duration",
                ChecklistResponses.benign().codes("duration", "1-2w", "2-4w").build(),
                qr -> {}));
        cases.add(invalid(
                "two answers to a non-repeating boolean",
                ProblemCode.TOO_MANY_ANSWERS,
                "spreading",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "spreading").addAnswer().setValue(new BooleanType(true))));
        cases.add(invalid(
                "required item missing",
                ProblemCode.REQUIRED,
                "muscle-loss",
                ChecklistResponses.benign().without("muscle-loss").build(),
                qr -> {}));
        cases.add(invalid(
                "required repeating item missing",
                ProblemCode.REQUIRED,
                "locations",
                ChecklistResponses.benign().without("locations").build(),
                qr -> {}));
        cases.add(invalid(
                "required group missing",
                ProblemCode.REQUIRED,
                "other-symptoms",
                ChecklistResponses.benign().without("numbness-tingling").build(),
                qr -> {}));
        cases.add(invalid(
                "answer to a disabled item",
                ProblemCode.DISABLED_ANSWERED,
                "weakness-progressive",
                ChecklistResponses.benign()
                        .answer("weakness", false)
                        .answer("weakness-progressive", true)
                        .build(),
                qr -> {}));
        cases.add(invalid(
                "false answer to a disabled item",
                ProblemCode.DISABLED_ANSWERED,
                "weakness-progressive",
                ChecklistResponses.benign()
                        .answer("weakness", false)
                        .answer("weakness-progressive", false)
                        .build(),
                qr -> {}));
        cases.add(invalid(
                "enabled item missing",
                ProblemCode.REQUIRED,
                "weakness-progressive",
                ChecklistResponses.benign().answer("weakness", true).build(),
                qr -> {}));
        cases.add(invalid(
                "answer on a group",
                ProblemCode.WRONG_TYPE,
                "checklist",
                ChecklistResponses.benign().build(),
                qr -> item(qr, "checklist").addAnswer().setValue(new BooleanType(true))));

        cases.add(unresolvable(
                "unknown questionnaire url",
                ChecklistResponses.benign()
                        .questionnaire(BASE + "/Questionnaire/no-such-checklist")
                        .build()));
        cases.add(unresolvable(
                "unknown questionnaire version",
                ChecklistResponses.benign()
                        .questionnaire(ChecklistResponses.QUESTIONNAIRE + "|9.9.9")
                        .build()));
        return cases.stream();
    }

    @Test
    void corpusCoversEveryRule() {
        List<Case> cases = corpus().toList();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        assertThat(cases).filteredOn(c -> c.kind() == Kind.VALID).hasSizeGreaterThanOrEqualTo(10);
        assertThat(cases.stream()
                        .filter(c -> c.kind() == Kind.INVALID)
                        .map(Case::code)
                        .distinct())
                .containsExactlyInAnyOrder(
                        ProblemCode.UNKNOWN_ITEM,
                        ProblemCode.ITEM_ORDER,
                        ProblemCode.DUPLICATE_ITEM,
                        ProblemCode.WRONG_TYPE,
                        ProblemCode.INVALID_CODE,
                        ProblemCode.EMPTY_ANSWER,
                        ProblemCode.TOO_MANY_ANSWERS,
                        ProblemCode.REQUIRED,
                        ProblemCode.DISABLED_ANSWERED);
        assertThat(cases).filteredOn(c -> c.kind() == Kind.UNRESOLVABLE).isNotEmpty();
        assertThat(cases).extracting(Case::name).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void planAndHapiAgree(Case testCase) {
        QuestionnaireResponse response = testCase.response();
        if (testCase.kind() == Kind.UNRESOLVABLE) {
            assertThat(Content.catalog().resolve(response.getQuestionnaire())).isEmpty();
            assertThat(hapiErrors(response))
                    .as("HAPI errors")
                    .anyMatch(m -> m.startsWith("ERROR ")
                            && m.contains("[Questionnaire_QR_Q_NotFound]")
                            && m.contains("'" + response.getQuestionnaire() + "'"));
            return;
        }

        // A bare url stands for the newest active version the answers are valid against (contract section 2);
        // intake then cites that version, which is what HAPI is given here too.
        List<PublishedQuestionnaire> candidates = Content.catalog().candidates(response.getQuestionnaire());
        PublishedQuestionnaire cited = candidates.stream()
                .filter(c -> c.plan().check(response).isEmpty())
                .findFirst()
                .orElse(candidates.get(0));
        List<AnswerProblem> planProblems = cited.plan().check(response);
        QuestionnaireResponse citing = response.copy();
        citing.setQuestionnaire(cited.canonical());
        List<String> hapiErrors = hapiErrors(citing);

        if (testCase.kind() == Kind.VALID) {
            assertThat(planProblems).as("plan problems").isEmpty();
            assertThat(hapiErrors).as("HAPI errors").isEmpty();
        } else {
            assertThat(planProblems).as("plan problems").anySatisfy(p -> {
                assertThat(p.linkId()).isEqualTo(testCase.linkId());
                assertThat(p.code()).isEqualTo(testCase.code());
            });
            String parent = parentOf(response, testCase.linkId());
            assertThat(hapiErrors)
                    .as("HAPI errors naming '%s' or located at it or at its parent %s", testCase.linkId(), parent)
                    .anyMatch(m -> m.contains("'" + testCase.linkId() + "'")
                            || m.endsWith("{at " + testCase.linkId() + "}")
                            || m.endsWith("{at " + parent + "}"));
        }
    }

    private static List<String> hapiErrors(QuestionnaireResponse response) {
        return hapi.errors(response).stream()
                .map(m -> describe(m) + " {at " + itemAt(response, m.getLocationString()) + "}")
                .toList();
    }

    /** The linkId of the item a HAPI location points into ({@code (root)} for the response itself). */
    private static String itemAt(QuestionnaireResponse response, String location) {
        if (location == null) {
            return "(none)";
        }
        Matcher step = LOCATION_STEP.matcher(location);
        List<QuestionnaireResponseItemComponent> items = response.getItem();
        QuestionnaireResponseItemComponent item = null;
        while (step.find()) {
            int index = Integer.parseInt(step.group(2));
            if (step.group(1).equals("item")) {
                item = index < items.size() ? items.get(index) : null;
                if (item == null) {
                    return "(unresolved " + location + ")";
                }
                items = item.getItem();
            } else if (item != null && index < item.getAnswer().size()) {
                items = item.getAnswer().get(index).getItem();
            }
        }
        return item == null ? ROOT : item.getLinkId();
    }

    /** The linkId of the item holding {@code linkId}: in the response if it is there, else in the Questionnaire. */
    private static String parentOf(QuestionnaireResponse response, String linkId) {
        String inResponse = responseParent(response.getItem(), linkId, ROOT);
        if (inResponse != null) {
            return inResponse;
        }
        String inQuestionnaire = questionnaireParent(checklist().getItem(), linkId, ROOT);
        return inQuestionnaire == null ? "(nowhere)" : inQuestionnaire;
    }

    private static String responseParent(List<QuestionnaireResponseItemComponent> items, String linkId, String parent) {
        for (QuestionnaireResponseItemComponent item : items) {
            if (linkId.equals(item.getLinkId())) {
                return parent;
            }
            List<QuestionnaireResponseItemComponent> children = new ArrayList<>(item.getItem());
            item.getAnswer().forEach(answer -> children.addAll(answer.getItem()));
            String found = responseParent(children, linkId, item.getLinkId());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String questionnaireParent(List<QuestionnaireItemComponent> items, String linkId, String parent) {
        for (QuestionnaireItemComponent item : items) {
            if (linkId.equals(item.getLinkId())) {
                return parent;
            }
            String found = questionnaireParent(item.getItem(), linkId, item.getLinkId());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static ChecklistResponses everyWarningSign() {
        ChecklistResponses builder = ChecklistResponses.benign();
        for (String linkId : List.of(
                "persistent",
                "muscle-loss",
                "weakness",
                "weakness-progressive",
                "spreading",
                "speech-swallowing-coordination",
                "family-history",
                "numbness-tingling")) {
            builder.answer(linkId, true);
        }
        return builder.codes("duration", "1-3m").codes("course", "worsening");
    }

    /** What portals and form renderers add: ids, tags, language, the item texts and the code displays. */
    private static QuestionnaireResponse portalShaped(QuestionnaireResponse response, boolean withProfile) {
        response.setId("synthetic-response-1");
        response.getMeta().addTag("http://example.org/portal-tags", "portal-web", "Submitted from the web portal");
        response.getMeta().addTag().setCode("lformsVersion: 36.0.0");
        if (withProfile) {
            response.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/QuestionnaireResponse");
        }
        response.setLanguage("en-GB");
        Questionnaire questionnaire = checklist();
        describeItems(response.getItem(), questionnaire);
        return response;
    }

    private static void describeItems(List<QuestionnaireResponseItemComponent> items, Questionnaire questionnaire) {
        for (QuestionnaireResponseItemComponent item : items) {
            QuestionnaireItemComponent definition = definition(questionnaire.getItem(), item.getLinkId());
            item.setText(definition.getText());
            for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
                if (answer.hasValueCoding()) {
                    Coding coding = answer.getValueCoding();
                    CodeSystem codeSystem = Content.registry()
                            .byCanonical(CodeSystem.class, coding.getSystem())
                            .orElseThrow();
                    coding.setDisplay(codeSystem.getConcept().stream()
                            .filter(c -> c.getCode().equals(coding.getCode()))
                            .findFirst()
                            .orElseThrow()
                            .getDisplay());
                }
            }
            describeItems(item.getItem(), questionnaire);
        }
    }

    private static QuestionnaireItemComponent definition(List<QuestionnaireItemComponent> items, String linkId) {
        for (QuestionnaireItemComponent item : items) {
            if (item.getLinkId().equals(linkId)) {
                return item;
            }
            QuestionnaireItemComponent nested = item.hasItem() ? definition(item.getItem(), linkId) : null;
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    private static Questionnaire checklist() {
        return Content.catalog()
                .resolve(ChecklistResponses.CANONICAL)
                .orElseThrow()
                .questionnaire();
    }

    private static QuestionnaireResponseItemComponent item(QuestionnaireResponse response, String linkId) {
        QuestionnaireResponseItemComponent item = ChecklistResponses.item(response, linkId);
        if (item == null) {
            throw new IllegalArgumentException("the response has no item " + linkId);
        }
        return item;
    }

    private static void swap(List<QuestionnaireResponseItemComponent> items, String first, String second) {
        int i = indexOf(items, first);
        int j = indexOf(items, second);
        QuestionnaireResponseItemComponent held = items.get(i);
        items.set(i, items.get(j));
        items.set(j, held);
    }

    private static int indexOf(List<QuestionnaireResponseItemComponent> items, String linkId) {
        for (int i = 0; i < items.size(); i++) {
            if (linkId.equals(items.get(i).getLinkId())) {
                return i;
            }
        }
        throw new IllegalArgumentException("no item " + linkId);
    }

    private static QuestionnaireResponse parse(String json) {
        return Content.FHIR
                .newJsonParser()
                .setParserErrorHandler(new StrictErrorHandler())
                .parseResource(QuestionnaireResponse.class, json);
    }

    private static String describe(SingleValidationMessage message) {
        return message.getSeverity() + " " + message.getLocationString() + " [" + message.getMessageId() + "] "
                + message.getMessage();
    }

    private static Case valid(String name, QuestionnaireResponse response) {
        return new Case(name, Kind.VALID, response, null, null);
    }

    private static Case valid(String name, QuestionnaireResponse response, Consumer<QuestionnaireResponse> change) {
        change.accept(response);
        return valid(name, response);
    }

    private static Case invalid(
            String name,
            ProblemCode code,
            String linkId,
            QuestionnaireResponse response,
            Consumer<QuestionnaireResponse> change) {
        change.accept(response);
        return new Case(name, Kind.INVALID, response, code, linkId);
    }

    private static Case unresolvable(String name, QuestionnaireResponse response) {
        return new Case(name, Kind.UNRESOLVABLE, response, null, null);
    }

    enum Kind {
        VALID,
        INVALID,
        UNRESOLVABLE
    }

    /** One response of the corpus and what both validators must conclude about it. */
    record Case(String name, Kind kind, QuestionnaireResponse response, ProblemCode code, String linkId) {

        @Override
        public String toString() {
            return kind == Kind.INVALID ? name + " -> " + code.code() + " at " + linkId : name + " -> " + kind;
        }
    }

    /** As a form renderer sends it: tag, language, texts, displays, no narrative, authored with an offset. */
    private static final String RENDERER_JSON = """
            {
              "resourceType": "QuestionnaireResponse",
              "id": "synthetic-renderer-7",
              "meta": { "tag": [ { "code": "lformsVersion: 36.0.0" } ] },
              "language": "en",
              "questionnaire": "http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist|1.0.0",
              "status": "completed",
              "subject": { "reference": "Patient/synthetic-7" },
              "authored": "2026-11-22T07:45:10.123+02:00",
              "item": [
                {
                  "linkId": "about",
                  "text": "About your twitching",
                  "item": [
                    {
                      "linkId": "locations",
                      "text": "Where do you feel the twitching? Tick every place that applies.",
                      "answer": [
                        { "valueCoding": { "system": "%1$s", "code": "eyelid", "display": "Eyelid" } },
                        { "valueCoding": { "system": "%1$s", "code": "back", "display": "Back" } }
                      ]
                    },
                    {
                      "linkId": "duration",
                      "text": "How long has the twitching been going on?",
                      "answer": [ { "valueCoding": { "system": "%2$s", "code": "2-4w", "display": "2 to 4 weeks" } } ]
                    },
                    {
                      "linkId": "course",
                      "text": "Over the past days, how has it changed?",
                      "answer": [ { "valueCoding": { "system": "%3$s", "code": "improving", "display": "Getting better" } } ]
                    },
                    {
                      "linkId": "triggers",
                      "text": "Does anything seem to set it off? Tick any that apply, or leave blank.",
                      "answer": [
                        { "valueCoding": { "system": "%4$s", "code": "stress", "display": "Stress or worry" } },
                        { "valueCoding": { "system": "%4$s", "code": "fatigue", "display": "Being tired" } },
                        { "valueCoding": { "system": "%4$s", "code": "poor-sleep", "display": "Poor sleep" } }
                      ]
                    }
                  ]
                },
                {
                  "linkId": "checklist",
                  "text": "Warning signs",
                  "item": [
                    { "linkId": "persistent", "answer": [ { "valueBoolean": true } ] },
                    { "linkId": "muscle-loss", "answer": [ { "valueBoolean": false } ] },
                    { "linkId": "weakness", "answer": [ { "valueBoolean": true } ] },
                    { "linkId": "weakness-progressive", "answer": [ { "valueBoolean": false } ] },
                    { "linkId": "spreading", "answer": [ { "valueBoolean": false } ] },
                    { "linkId": "speech-swallowing-coordination", "answer": [ { "valueBoolean": false } ] },
                    { "linkId": "family-history", "answer": [ { "valueBoolean": false } ] }
                  ]
                },
                {
                  "linkId": "other-symptoms",
                  "item": [ { "linkId": "numbness-tingling", "answer": [ { "valueBoolean": false } ] } ]
                }
              ]
            }
            """.formatted(LOCATION, DURATION, COURSE, TRIGGER);
}
