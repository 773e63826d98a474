package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemEnableWhenComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.testing.Content;

/**
 * The definitional content as it sits in the repository: every file is valid FHIR for HAPI's full
 * validator, is published by the registry, and the checklist matches the clinical contract
 * (sections 1 and 5) item by item.
 */
class DefinitionalContentValidationTest {

    private static final List<String> CONTENT_DIRECTORIES = List.of("questionnaires", "fhir-profiles");

    private static final String CHECKLIST = "http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist";
    private static final String BASE = "http://twitchtriage.org/fhir/CodeSystem/";
    private static final String SNOMED = "http://snomed.info/sct";

    /**
     * Contract section 1 (version 1.1.0) as data, in Questionnaire order: the groups and their items, each with its
     * type, cardinality (required, repeats), answer codes (CodeSystem and codes) and enableWhen.
     */
    private static final List<ExpectedItem> CONTRACT_ITEMS = List.of(
            display("emergency"),
            group(
                    "about",
                    choice(
                            "locations",
                            true,
                            true,
                            "twitch-location",
                            "eyelid",
                            "face",
                            "arm-hand",
                            "shoulder",
                            "back",
                            "chest-abdomen",
                            "thigh",
                            "calf-foot",
                            "other"),
                    choice("duration", true, false, "twitch-duration", "lt-1w", "1-2w", "2-4w", "1-3m", "gt-3m"),
                    choice("course", true, false, "twitch-course", "improving", "unchanged", "worsening"),
                    bool("one-side", null),
                    choice(
                            "triggers",
                            false,
                            true,
                            "twitch-trigger",
                            "caffeine",
                            "stress",
                            "fatigue",
                            "dehydration",
                            "exercise",
                            "poor-sleep",
                            "stimulant-medication")),
            group(
                    "checklist",
                    bool("persistent", null),
                    bool("muscle-loss", null),
                    bool("weakness", null),
                    bool("weakness-progressive", "weakness = true"),
                    bool("spreading", null),
                    bool("speech-swallowing-coordination", null),
                    bool("family-history", null)),
            group("other-symptoms", bool("numbness-tingling", null)));

    /** Contract section 5: item codes (SNOMED CT) with their displays; every other item carries none. */
    private static final Map<String, List<String>> CONTRACT_ITEM_CODES = Map.of(
            "persistent", List.of("82470000 Muscle fasciculation"),
            "muscle-loss", List.of("88092000 Muscle atrophy"),
            "weakness", List.of("26544005 Muscle weakness"),
            "speech-swallowing-coordination",
                    List.of("8011004 Dysarthria", "40739000 Dysphagia", "302289002 Coordination problem"),
            "family-history",
                    List.of("160344000 Family history of motor neurone disease", "160343006 FH: Muscular dystrophy"),
            "numbness-tingling", List.of("44077006 Numbness", "62507009 Pins and needles"));

    private static ProfileValidator validator;

    @BeforeAll
    static void buildValidator() {
        validator = new ProfileValidator(Content.FHIR, Content.registry());
    }

    static Stream<String> contentFiles() throws IOException {
        List<String> files = new ArrayList<>();
        for (String directory : CONTENT_DIRECTORIES) {
            try (Stream<Path> listing = Files.list(projectRoot().resolve(directory))) {
                listing.filter(p -> p.getFileName().toString().endsWith(".json"))
                        .map(p -> directory + "/" + p.getFileName())
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contentFiles")
    void fileValidatesWithoutErrors(String file) throws IOException {
        IBaseResource resource = parse(file);

        List<String> errors = validator.errors(resource).stream()
                .map(DefinitionalContentValidationTest::describe)
                .toList();

        assertThat(errors).as("errors HAPI reports for %s", file).isEmpty();
    }

    @Test
    void everyFileIsPublishedByTheRegistry() throws IOException {
        List<String> files = contentFiles().toList();
        List<String> published = Content.registry().all().stream()
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .toList();

        List<String> fromFiles = new ArrayList<>();
        for (String file : files) {
            MetadataResource resource = (MetadataResource) parse(file);
            fromFiles.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }

        assertThat(files).anyMatch(f -> f.startsWith("questionnaires/")).anyMatch(f -> f.startsWith("fhir-profiles/"));
        assertThat(published).hasSameSizeAs(files);
        assertThat(published).containsExactlyInAnyOrderElementsOf(fromFiles);
    }

    @Test
    void everyAnswerOptionCodingIsDefinedByItsPublishedCodeSystemWithTheSameDisplay() {
        List<Questionnaire> questionnaires = Content.registry().all(Questionnaire.class);
        List<Coding> codings = questionnaires.stream()
                .flatMap(q -> flatten(q.getItem()).stream())
                .flatMap(item -> item.getAnswerOption().stream())
                .filter(QuestionnaireItemAnswerOptionComponent::hasValueCoding)
                .map(QuestionnaireItemAnswerOptionComponent::getValueCoding)
                .toList();

        List<String> mismatches = new ArrayList<>();
        for (Coding coding : codings) {
            Optional<CodeSystem> codeSystem = Content.registry().byCanonical(CodeSystem.class, coding.getSystem());
            if (codeSystem.isEmpty()) {
                mismatches.add(coding.getSystem() + "|" + coding.getCode() + ": code system not published");
                continue;
            }
            Optional<ConceptDefinitionComponent> concept = find(codeSystem.get().getConcept(), coding.getCode());
            if (concept.isEmpty()) {
                mismatches.add(coding.getSystem() + "|" + coding.getCode() + ": no such code");
            } else if (!concept.get().getDisplay().equals(coding.getDisplay())) {
                mismatches.add(coding.getSystem() + "|" + coding.getCode() + ": display '" + coding.getDisplay()
                        + "' but the code system says '" + concept.get().getDisplay() + "'");
            }
        }

        assertThat(questionnaires).isNotEmpty();
        assertThat(codings).hasSizeGreaterThanOrEqualTo(24);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void checklistIsActiveWithASemanticVersion() {
        Questionnaire checklist = checklist();

        assertThat(checklist.getStatus()).isEqualTo(Enumerations.PublicationStatus.ACTIVE);
        assertThat(checklist.getVersion()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(Content.catalog().resolve(CHECKLIST + "|" + checklist.getVersion()))
                .isPresent();
    }

    @Test
    void checklistItemsAreThoseOfTheContract() {
        Questionnaire checklist = checklist();

        assertThat(checklist.getVersion()).isEqualTo("1.1.0");
        assertThat(rows(checklist.getItem(), "")).containsExactlyElementsOf(expectedRows(CONTRACT_ITEMS, ""));
    }

    @Test
    void version100IsUnchangedButForTheItemsThatVersion110Added() {
        Questionnaire previous = Content.registry()
                .byCanonical(Questionnaire.class, CHECKLIST + "|1.0.0")
                .orElseThrow();

        assertThat(previous.getIdPart()).isEqualTo("muscle-twitch-checklist");
        assertThat(previous.getStatus()).isEqualTo(Enumerations.PublicationStatus.ACTIVE);
        List<String> expected = new ArrayList<>(expectedRows(CONTRACT_ITEMS, ""));
        expected.removeIf(
                row -> row.trim().startsWith("emergency |") || row.trim().startsWith("one-side |"));
        assertThat(rows(previous.getItem(), "")).containsExactlyElementsOf(expected);
    }

    @Test
    void theEmergencyNoticeComesBeforeAnyQuestion() {
        QuestionnaireItemComponent first = checklist().getItemFirstRep();

        assertThat(first.getLinkId()).isEqualTo("emergency");
        assertThat(first.getType()).isEqualTo(Questionnaire.QuestionnaireItemType.DISPLAY);
        assertThat(first.getText())
                .contains("emergency number")
                .contains("weak")
                .contains("breath")
                .contains("swallow");
    }

    @Test
    void weaknessProgressiveIsEnabledOnlyWhenWeaknessIsTrue() {
        QuestionnaireItemComponent item = findItem(checklist().getItem(), "weakness-progressive");

        assertThat(item.getEnableWhen()).hasSize(1);
        QuestionnaireItemEnableWhenComponent when = item.getEnableWhen().get(0);
        assertThat(when.getQuestion()).isEqualTo("weakness");
        assertThat(when.getOperator()).isEqualTo(Questionnaire.QuestionnaireItemOperator.EQUAL);
        assertThat(when.hasAnswerBooleanType()).isTrue();
        assertThat(when.getAnswerBooleanType().booleanValue()).isTrue();
    }

    @Test
    void checklistItemCodesAreThoseOfTheContract() {
        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (QuestionnaireItemComponent item : flatten(checklist().getItem())) {
            actual.put(
                    item.getLinkId(),
                    item.getCode().stream()
                            .map(c -> c.getSystem() + "|" + c.getCode() + " " + c.getDisplay())
                            .toList());
        }

        Map<String, List<String>> expected = new LinkedHashMap<>();
        allLinkIds(CONTRACT_ITEMS)
                .forEach(linkId -> expected.put(
                        linkId,
                        CONTRACT_ITEM_CODES.getOrDefault(linkId, List.of()).stream()
                                .map(c -> SNOMED + "|" + c)
                                .toList()));

        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    private static Questionnaire checklist() {
        return Content.registry().byCanonical(Questionnaire.class, CHECKLIST).orElseThrow();
    }

    private static List<String> rows(List<QuestionnaireItemComponent> items, String indent) {
        List<String> rows = new ArrayList<>();
        for (QuestionnaireItemComponent item : items) {
            String answers;
            if (item.hasAnswerValueSet()) {
                answers = "answerValueSet " + item.getAnswerValueSet();
            } else {
                answers = String.join(
                        " ",
                        item.getAnswerOption().stream()
                                .map(DefinitionalContentValidationTest::optionKey)
                                .toList());
            }
            String enableWhen = String.join(
                    " and ",
                    item.getEnableWhen().stream()
                            .map(w -> w.getQuestion() + " " + w.getOperator().toCode() + " "
                                    + w.getAnswer().primitiveValue())
                            .toList());
            rows.add(row(
                    indent,
                    item.getLinkId(),
                    item.getType().toCode(),
                    item.getRequired(),
                    item.getRepeats(),
                    answers,
                    enableWhen,
                    item.hasRequired(),
                    item.hasRepeats()));
            rows.addAll(rows(item.getItem(), indent + "  "));
        }
        return rows;
    }

    private static List<String> expectedRows(List<ExpectedItem> items, String indent) {
        List<String> rows = new ArrayList<>();
        for (ExpectedItem item : items) {
            String answers = String.join(
                    " ",
                    item.codes().stream()
                            .map(c -> BASE + item.system() + "|" + c)
                            .toList());
            boolean stated = !"display".equals(item.type());
            rows.add(row(
                    indent,
                    item.linkId(),
                    item.type(),
                    item.required(),
                    item.repeats(),
                    answers,
                    item.enableWhen() == null ? "" : item.enableWhen(),
                    stated,
                    stated));
            rows.addAll(expectedRows(item.children(), indent + "  "));
        }
        return rows;
    }

    private static String row(
            String indent,
            String linkId,
            String type,
            boolean required,
            boolean repeats,
            String answers,
            String enableWhen,
            boolean requiredStated,
            boolean repeatsStated) {
        return indent + linkId + " | " + type
                + " | required=" + (requiredStated ? required : "unstated")
                + " | repeats=" + (repeatsStated ? repeats : "unstated")
                + " | answers=[" + answers + "]"
                + " | enableWhen=[" + enableWhen + "]";
    }

    private static List<String> allLinkIds(List<ExpectedItem> items) {
        List<String> linkIds = new ArrayList<>();
        for (ExpectedItem item : items) {
            linkIds.add(item.linkId());
            linkIds.addAll(allLinkIds(item.children()));
        }
        return linkIds;
    }

    private static QuestionnaireItemComponent findItem(List<QuestionnaireItemComponent> items, String linkId) {
        return flatten(items).stream()
                .filter(item -> linkId.equals(item.getLinkId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no item '" + linkId + "' in the checklist"));
    }

    private static List<QuestionnaireItemComponent> flatten(List<QuestionnaireItemComponent> items) {
        List<QuestionnaireItemComponent> all = new ArrayList<>();
        for (QuestionnaireItemComponent item : items) {
            all.add(item);
            all.addAll(flatten(item.getItem()));
        }
        return all;
    }

    private static Optional<ConceptDefinitionComponent> find(List<ConceptDefinitionComponent> concepts, String code) {
        for (ConceptDefinitionComponent concept : concepts) {
            if (concept.getCode().equals(code)) {
                return Optional.of(concept);
            }
            Optional<ConceptDefinitionComponent> nested = find(concept.getConcept(), code);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }

    private static IBaseResource parse(String file) throws IOException {
        IParser parser = Content.FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return parser.parseResource(Files.readString(projectRoot().resolve(file), StandardCharsets.UTF_8));
    }

    private static Path projectRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    private static String describe(SingleValidationMessage message) {
        return message.getSeverity() + " " + message.getLocationString() + " [" + message.getMessageId() + "] "
                + message.getMessage();
    }

    private static ExpectedItem group(String linkId, ExpectedItem... children) {
        return new ExpectedItem(linkId, "group", true, false, null, List.of(), null, List.of(children));
    }

    private static ExpectedItem choice(
            String linkId, boolean required, boolean repeats, String codeSystem, String... codes) {
        return new ExpectedItem(linkId, "choice", required, repeats, codeSystem, List.of(codes), null, List.of());
    }

    private static ExpectedItem display(String linkId) {
        return new ExpectedItem(linkId, "display", false, false, null, List.of(), null, List.of());
    }

    private static ExpectedItem bool(String linkId, String enableWhen) {
        return new ExpectedItem(linkId, "boolean", true, false, null, List.of(), enableWhen, List.of());
    }

    private record ExpectedItem(
            String linkId,
            String type,
            boolean required,
            boolean repeats,
            String system,
            List<String> codes,
            String enableWhen,
            List<ExpectedItem> children) {}

    private static String optionKey(QuestionnaireItemAnswerOptionComponent option) {
        if (option.hasValueCoding()) {
            return option.getValueCoding().getSystem() + "|"
                    + option.getValueCoding().getCode();
        }
        return option.getValue().fhirType() + " " + option.getValue().primitiveValue();
    }
}
