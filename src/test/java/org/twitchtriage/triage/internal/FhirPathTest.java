package org.twitchtriage.triage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twitchtriage.testing.Content;

/**
 * Expressions that start from {@code repeat(item)} read the items computed once for the focus, and give what
 * the plain engine gives, wherever the call stands.
 */
class FhirPathTest {

    private static final FhirPath FHIR_PATH = new FhirPath(Content.FHIR);

    private static final QuestionnaireResponse RESPONSE = benign().codes("locations", "eyelid", "thigh")
            .codes("duration", "1-3m")
            .answer("weakness", true)
            .answer("weakness-progressive", true)
            .build();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "repeat(item).where(linkId = 'duration').answer.value.where(code = '1-3m').exists()",
                "repeat(item).where(linkId = 'locations').answer.value.code",
                "(repeat(item).where(linkId = 'weakness').answer.value = true) or false",
                "false or (repeat(item).where(linkId = 'weakness').answer.value = true)",
                "repeat(item).where(answer.value = true).count() + iif(repeat(item).exists(), 1, 0)",
                "(repeat(item)).count()",
                "item.repeat(item).count()",
                "item.where(repeat(item).exists()).count()",
                "repeat(answer).count()",
                "%flag and repeat(item).where(linkId = 'weakness-progressive').answer.value = true",
                "repeat(item).where(linkId = 'weakness')",
                "repeat(item).where(linkId = 'weakness').where(answer.value = true).exists()",
                "repeat(item).where(linkId = 'weakness' or linkId = 'locations').count()",
                "repeat(item).where('weakness' = linkId).answer.value",
                "repeat(item).where(linkId = 'weakness').answer.value and repeat(item).where(linkId = 'nothing').empty()",
            })
    void givesWhatThePlainEngineGives(String expression) {
        ExpressionNode parsed = FHIR_PATH.parse(expression);
        Map<String, List<Base>> variables = new HashMap<>(Map.of("flag", List.of(new BooleanType(true))));

        List<Base> ours = FHIR_PATH.evaluate(RESPONSE, parsed, variables);
        List<Base> again = FHIR_PATH.evaluate(RESPONSE, parsed, variables);

        List<Base> plain = plain(expression);
        assertThat(ours).isNotEmpty();
        assertThat(Base.compareDeep(ours, plain, false)).as(expression).isTrue();
        assertThat(Base.compareDeep(again, plain, false)).as(expression).isTrue();
    }

    @Test
    void onlyCallsOnTheWholeFocusReadTheItemsComputedOnce() {
        Map<String, List<Base>> variables = new HashMap<>();
        FHIR_PATH.evaluate(RESPONSE, FHIR_PATH.parse("item.repeat(item).count()"), variables);
        FHIR_PATH.evaluate(RESPONSE, FHIR_PATH.parse("item.where(repeat(item).exists()).count()"), variables);
        assertThat(variables).isEmpty();

        FHIR_PATH.evaluate(RESPONSE, FHIR_PATH.parse("false or repeat(item).exists()"), variables);
        assertThat(variables).hasSize(1);
        List<Base> items = variables.values().iterator().next();
        assertThat(Base.compareDeep(items, plain("repeat(item)"), false)).isTrue();

        FHIR_PATH.evaluate(RESPONSE, FHIR_PATH.parse("repeat(item).count()"), variables);
        assertThat(variables.values().iterator().next()).isSameAs(items);
    }

    @Test
    void aWhereOnTheLinkIdAloneReadsTheItemsWithThatLinkId() {
        ExpressionNode byLinkId = FHIR_PATH.parse("repeat(item).where(linkId = 'weakness').answer.value");
        ExpressionNode more = FHIR_PATH.parse("repeat(item).where(linkId = 'weakness' and answer.exists()).answer");

        assertThat(FHIR_PATH.reading(byLinkId).toString())
                .doesNotContain("where")
                .endsWith(".answer.value");
        assertThat(FHIR_PATH.reading(more).toString()).contains("where((linkId = 'weakness') and answer.exists())");
    }

    @Test
    void itemsWithTheSameLinkIdComeInTheOrderRepeatGivesThem() {
        QuestionnaireResponse repeated = new QuestionnaireResponse();
        repeated.addItem()
                .setLinkId("group")
                .addItem()
                .setLinkId("x")
                .addAnswer()
                .setValue(new StringType("inner"));
        repeated.addItem().setLinkId("x").addAnswer().setValue(new StringType("outer"));
        repeated.addItem().setLinkId("y").addAnswer().setValue(new StringType("other"));
        String expression = "repeat(item).where(linkId = 'x').answer.value";

        List<Base> ours = FHIR_PATH.evaluate(repeated, FHIR_PATH.parse(expression), new HashMap<>());

        FHIRPathEngine engine =
                new FHIRPathEngine(new HapiWorkerContext(Content.FHIR, Content.FHIR.getValidationSupport()));
        List<Base> plain = engine.evaluate(repeated, engine.parse(expression));
        assertThat(ours).extracting(Base::primitiveValue).containsExactly("outer", "inner");
        assertThat(ours)
                .extracting(Base::primitiveValue)
                .containsExactlyElementsOf(
                        plain.stream().map(Base::primitiveValue).toList());
        assertThat(FHIR_PATH.evaluate(repeated, FHIR_PATH.parse("repeat(item).where(linkId = 'z')"), new HashMap<>()))
                .isEmpty();
    }

    @Test
    void theExpressionCallersHoldIsNotChanged() {
        ExpressionNode parsed = FHIR_PATH.parse("repeat(item).where(linkId = 'weakness').exists()");

        assertThat(parsed.getKind()).isEqualTo(ExpressionNode.Kind.Function);
        assertThat(parsed.getFunction()).isEqualTo(ExpressionNode.Function.Repeat);
        assertThat(parsed.toString()).isEqualTo("repeat(item).where(linkId = 'weakness').exists()");
    }

    @Test
    void anotherFocusWithTheSameVariablesGetsItsOwnItems() {
        ExpressionNode count = FHIR_PATH.parse("repeat(item).where(answer.value = true).count()");
        QuestionnaireResponse other = benign().answer("weakness", true).build();
        Map<String, List<Base>> variables = new HashMap<>();

        List<Base> first = FHIR_PATH.evaluate(RESPONSE, count, variables);
        List<Base> second = FHIR_PATH.evaluate(other, count, variables);

        assertThat(first.get(0).primitiveValue())
                .isEqualTo(plain("repeat(item).where(answer.value = true).count()")
                        .get(0)
                        .primitiveValue());
        assertThat(second.get(0).primitiveValue()).isEqualTo("1");
        assertThat(first.get(0).primitiveValue()).isNotEqualTo("1");
    }

    /** The expression as the engine alone evaluates it, with %flag true. */
    private static List<Base> plain(String expression) {
        FHIRPathEngine engine =
                new FHIRPathEngine(new HapiWorkerContext(Content.FHIR, Content.FHIR.getValidationSupport()));
        String bound = expression.replace("%flag", "true");
        return new ArrayList<>(engine.evaluate(RESPONSE, engine.parse(bound)));
    }
}
