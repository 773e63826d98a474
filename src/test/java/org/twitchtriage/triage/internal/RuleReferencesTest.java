package org.twitchtriage.triage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.internal.RuleReferences.AnswerComparison;
import org.twitchtriage.triage.internal.RuleReferences.LiteralType;

/**
 * The analysis of one expression's parsed tree, one case per shape documented in {@code docs/rule-checks.md}:
 * the linkIds it names, the comparisons of answers with literals it finds, and what it leaves unclear.
 */
class RuleReferencesTest {

    private static FhirPath fhirPath;
    private static Map<String, RuleReferences> variables;

    @BeforeAll
    static void defineVariables() {
        fhirPath = new FhirPath(Content.FHIR);
        variables = new LinkedHashMap<>();
        define("locations", "repeat(item).where(linkId = 'locations').answer.value.code");
        define("course", "repeat(item).where(linkId = 'course').answer.value");
        define("twoWeeks", "repeat(item).where(linkId = 'duration').answer.value.where(code = '2-4w').exists()");
        define("persistentTwitching", "(repeat(item).where(linkId = 'persistent').answer.value = true) or %twoWeeks");
        define("persistentBox", "repeat(item).where(linkId = 'persistent').answer.value");
    }

    static Stream<Arguments> understoodShapes() {
        return Stream.of(
                shape(
                        "a boolean item compared with true",
                        "repeat(item).where(linkId = 'muscle-loss').answer.value = true",
                        List.of("muscle-loss"),
                        bool("muscle-loss")),
                shape(
                        "the literal first",
                        "false != repeat(item).where('spreading' = linkId).answer.value",
                        List.of("spreading"),
                        new AnswerComparison(List.of("spreading"), LiteralType.BOOLEAN, "false", false)),
                shape(
                        "a boolean item's answers as the whole condition",
                        "repeat(item).where(linkId = 'weakness').answer.value",
                        List.of("weakness"),
                        bool("weakness")),
                shape(
                        "answers taken as true or false inside 'and'",
                        "repeat(item).where(linkId = 'weakness').answer.value and %persistentBox",
                        List.of("weakness"),
                        bool("weakness"),
                        bool("persistent")),
                shape(
                        "answers negated with not()",
                        "repeat(item).where(linkId = 'weakness').answer.value.not()",
                        List.of("weakness"),
                        bool("weakness")),
                shape(
                        "a count over items named in one 'or' with their answers in the same 'where'",
                        "repeat(item).where((linkId = 'persistent' or linkId = 'spreading') and answer.value = true)"
                                + ".count() >= 2",
                        List.of("persistent", "spreading"),
                        new AnswerComparison(List.of("persistent", "spreading"), LiteralType.BOOLEAN, "true", false)),
                shape(
                        "codes in a 'where' over the answer values",
                        "repeat(item).where(linkId = 'duration').answer.value.where(code = '2-4w' or code = '1-3m')"
                                + ".exists()",
                        List.of("duration"),
                        code("duration", "2-4w"),
                        code("duration", "1-3m")),
                shape(
                        "an answer code compared directly",
                        "repeat(item).where(linkId = 'course').answer.value.code = 'worsening'",
                        List.of("course"),
                        code("course", "worsening")),
                shape(
                        "an answer value (not its code) compared with a text",
                        "repeat(item).where(linkId = 'course').answer.value = 'worsening'",
                        List.of("course"),
                        new AnswerComparison(List.of("course"), LiteralType.CODE, "worsening", false)),
                shape(
                        "a nested path through a group",
                        "item.where(linkId = 'about').item.where(linkId = 'locations').answer.value.code"
                                + " contains 'eyelid'",
                        List.of("about", "locations"),
                        code("locations", "eyelid")),
                shape(
                        "a code in the answers",
                        "'face' in %resource.repeat(item).where(linkId = 'locations').answer.value.code",
                        List.of("locations"),
                        code("locations", "face")),
                shape(
                        "a variable holding an item's codes, with contains and all()",
                        "%locations contains 'eyelid' and %locations.all($this = 'eyelid' or $this = 'face')",
                        List.of(),
                        code("locations", "eyelid"),
                        code("locations", "eyelid"),
                        code("locations", "face")),
                shape(
                        "a variable holding an item's codes, compared with '='",
                        "%locations = 'eyelid'",
                        List.of(),
                        code("locations", "eyelid")),
                shape(
                        "a variable holding an item's values, narrowed by code",
                        "%course.where(code = 'worsening').exists()",
                        List.of(),
                        code("course", "worsening")),
                shape(
                        "a variable holding an item's answers as the whole condition",
                        "%persistentBox",
                        List.of(),
                        bool("persistent")),
                shape("a text that only looks like a reference", "'%notAVariable' = 'linkId = muscle-los'", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("understoodShapes")
    void anUnderstoodShapeIsReadFully(
            String name, String condition, List<String> linkIds, List<AnswerComparison> comparisons) {
        RuleReferences references = condition(condition);

        assertThat(references.linkIds()).containsExactlyElementsOf(linkIds);
        assertThat(references.comparisons()).containsExactlyElementsOf(comparisons);
        assertThat(references.unclear()).isEmpty();
    }

    static Stream<Arguments> unclearShapes() {
        return Stream.of(
                Arguments.of(
                        "answers of items not named",
                        "repeat(item).answer.value = true",
                        "reads the answers of items it does not name by linkId"),
                Arguments.of(
                        "answers of the children of a named group",
                        "repeat(item).where(linkId = 'checklist').item.answer.value",
                        "reads the answers of items it does not name by linkId"),
                Arguments.of(
                        "a linkId test in an 'or' with an answer test",
                        "repeat(item).where(linkId = 'weakness' or answer.value = true).exists()",
                        "reads the answers of items it does not name by linkId"),
                Arguments.of(
                        "an ordering operator",
                        "repeat(item).where(linkId = 'muscle-loss').answer.value > 0",
                        "uses the answers of 'muscle-loss' with the operator '>'"),
                Arguments.of(
                        "a number literal",
                        "repeat(item).where(linkId = 'muscle-loss').answer.value = 1",
                        "compares the answers of 'muscle-loss' with the integer 1"),
                Arguments.of(
                        "something other than a literal",
                        "%locations = %course.code",
                        "compares the answers of 'locations' with something other than a literal"),
                Arguments.of(
                        "a function on the codes",
                        "%locations.lower() contains 'eyelid'",
                        "applies lower() to the answers of 'locations'"),
                Arguments.of(
                        "a linkId tested with '!='",
                        "repeat(item).where(linkId != 'persistent').exists()",
                        "tests linkId 'persistent' with the operator '!='"),
                Arguments.of(
                        "answer elements, not their values",
                        "repeat(item).where(linkId = 'persistent').answer = true",
                        "compares the answers of 'persistent' themselves, not their values"),
                Arguments.of(
                        "codes taken as true or false",
                        "%locations and true",
                        "takes the answers of 'locations' as true or false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unclearShapes")
    void aShapeOutsideThoseUnderstoodIsNamedNotGuessed(String name, String condition, String unclear) {
        assertThat(condition(condition).unclear()).containsExactly(unclear);
    }

    @Test
    void readsFollowVariablesTransitivelyInOrderOfFirstAppearance() {
        RuleReferences references = condition("%persistentTwitching and "
                + "repeat(item).where(linkId = 'course').answer.value.where(code = 'worsening').exists() "
                + "and %twoWeeks");

        assertThat(references.reads()).containsExactly("persistent", "duration", "course");
        assertThat(references.linkIds()).containsExactly("course");
        assertThat(references.variables()).containsExactly("persistentTwitching", "twoWeeks");
    }

    @Test
    void builtInConstantsAreNotVariablesAndUnknownOnesAreListed() {
        RuleReferences references =
                condition("%resource.repeat(item).where(linkId = 'spreading').answer.value = true or %context.exists()"
                        + " or %spreadingFast");

        assertThat(references.variables()).containsExactly("spreadingFast");
        assertThat(references.comparisons()).containsExactly(bool("spreading"));
        assertThat(references.reads()).containsExactly("spreading");
    }

    @Test
    void aVariableYieldsTheAnswersItStandsFor() {
        assertThat(variables.get("locations").yields())
                .isEqualTo(new RuleReferences.Denotation(RuleReferences.Denotation.Kind.CODES, List.of("locations")));
        assertThat(variables.get("twoWeeks").yields().answers()).isFalse();
    }

    private static RuleReferences condition(String expression) {
        return RuleReferences.ofCondition(fhirPath.parse(expression), variables);
    }

    private static void define(String name, String expression) {
        variables.put(name, RuleReferences.of(fhirPath.parse(expression), variables));
    }

    private static Arguments shape(
            String name, String condition, List<String> linkIds, AnswerComparison... comparisons) {
        return Arguments.of(name, condition, linkIds, List.of(comparisons));
    }

    private static AnswerComparison bool(String linkId) {
        return new AnswerComparison(List.of(linkId), LiteralType.BOOLEAN, "true", false);
    }

    private static AnswerComparison code(String linkId, String code) {
        return new AnswerComparison(List.of(linkId), LiteralType.CODE, code, true);
    }
}
