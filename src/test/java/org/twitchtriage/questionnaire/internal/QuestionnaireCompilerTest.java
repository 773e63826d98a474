package org.twitchtriage.questionnaire.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemOperator;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.twitchtriage.questionnaire.AnswerProblem;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.questionnaire.ProblemCode;
import org.twitchtriage.questionnaire.ValidationPlan;

/** A Questionnaire the plan could not check faithfully stops start-up, with a message naming the item. */
class QuestionnaireCompilerTest {

    private static final String URL = "http://example.org/fhir/Questionnaire/test";

    @Test
    void refusesDuplicateLinkIds() {
        Questionnaire questionnaire = questionnaire();
        questionnaire.addItem().setLinkId("a").setType(QuestionnaireItemType.BOOLEAN);
        questionnaire.addItem().setLinkId("a").setType(QuestionnaireItemType.STRING);

        assertThatThrownBy(() -> compile(questionnaire))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("item 'a'")
                .hasMessageContaining("used twice");
    }

    @Test
    void refusesEnableWhenOnAnUnknownQuestion() {
        Questionnaire questionnaire = questionnaire();
        questionnaire
                .addItem()
                .setLinkId("b")
                .setType(QuestionnaireItemType.BOOLEAN)
                .addEnableWhen()
                .setQuestion("missing")
                .setOperator(QuestionnaireItemOperator.EQUAL)
                .setAnswer(new BooleanType(true));

        assertThatThrownBy(() -> compile(questionnaire))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("item 'b'")
                .hasMessageContaining("'missing'");
    }

    @Test
    void refusesAChoiceWithoutAnswers() {
        Questionnaire questionnaire = questionnaire();
        questionnaire.addItem().setLinkId("c").setType(QuestionnaireItemType.CHOICE);

        assertThatThrownBy(() -> compile(questionnaire))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("item 'c'")
                .hasMessageContaining("answerOption or answerValueSet");
    }

    @Test
    void refusesAnAnswerValueSetThatIsNotPublished() {
        Questionnaire questionnaire = questionnaire();
        questionnaire
                .addItem()
                .setLinkId("d")
                .setType(QuestionnaireItemType.CHOICE)
                .setAnswerValueSet("http://example.org/fhir/ValueSet/elsewhere");

        assertThatThrownBy(() -> compile(questionnaire))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("item 'd'")
                .hasMessageContaining("not published");
    }

    @Test
    void expandsAPublishedAnswerValueSetFromItsCodeSystem() {
        CodeSystem colours = new CodeSystem()
                .setUrl("http://example.org/fhir/CodeSystem/colour")
                .setVersion("1");
        colours.setId("colour");
        colours.addConcept().setCode("red").addConcept().setCode("dark-red");
        ValueSet valueSet =
                new ValueSet().setUrl("http://example.org/fhir/ValueSet/colour").setVersion("1");
        valueSet.setId("colour");
        valueSet.getCompose().addInclude().setSystem(colours.getUrl());
        Questionnaire questionnaire = questionnaire();
        questionnaire
                .addItem()
                .setLinkId("colour")
                .setType(QuestionnaireItemType.CHOICE)
                .setAnswerValueSet(valueSet.getUrl());
        ValidationPlan plan = compile(questionnaire, colours, valueSet);

        assertThat(plan.check(answer("colour", new Coding(colours.getUrl(), "dark-red", null))))
                .isEmpty();
        assertThat(plan.check(answer("colour", new Coding(colours.getUrl(), "blue", null))))
                .extracting(AnswerProblem::code)
                .containsExactly(ProblemCode.INVALID_CODE);
    }

    @Test
    void evaluatesEnableWhenWithAnyBehaviour() {
        Questionnaire questionnaire = questionnaire();
        questionnaire.addItem().setLinkId("x").setType(QuestionnaireItemType.BOOLEAN);
        questionnaire.addItem().setLinkId("y").setType(QuestionnaireItemType.BOOLEAN);
        QuestionnaireItemComponent dependent = questionnaire
                .addItem()
                .setLinkId("z")
                .setType(QuestionnaireItemType.BOOLEAN)
                .setRequired(true)
                .setEnableBehavior(Questionnaire.EnableWhenBehavior.ANY);
        dependent
                .addEnableWhen()
                .setQuestion("x")
                .setOperator(QuestionnaireItemOperator.EQUAL)
                .setAnswer(new BooleanType(true));
        dependent
                .addEnableWhen()
                .setQuestion("y")
                .setOperator(QuestionnaireItemOperator.EXISTS)
                .setAnswer(new BooleanType(true));
        ValidationPlan plan = compile(questionnaire);

        assertThat(plan.check(answer("y", new BooleanType(false))))
                .extracting(AnswerProblem::linkId)
                .containsExactly("z");
        assertThat(plan.check(answer("x", new BooleanType(false)))).isEmpty();
    }

    private static QuestionnaireResponse answer(String linkId, Type value) {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.addItem().setLinkId(linkId).addAnswer().setValue(value);
        return response;
    }

    private static Questionnaire questionnaire() {
        Questionnaire questionnaire =
                new Questionnaire().setUrl(URL).setVersion("1.0.0").setStatus(PublicationStatus.ACTIVE);
        questionnaire.setId("test");
        return questionnaire;
    }

    private static ValidationPlan compile(Questionnaire questionnaire, MetadataResource... others) {
        List<MetadataResource> all = new ArrayList<>(List.of(others));
        all.add(questionnaire);
        return QuestionnaireCompiler.compile(questionnaire, new ConformanceRegistry(all));
    }
}
