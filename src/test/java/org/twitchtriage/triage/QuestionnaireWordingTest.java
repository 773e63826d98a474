package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.junit.jupiter.api.Test;

/** Explanations use the words of the Questionnaire version a response cites, whichever versions the rules read. */
class QuestionnaireWordingTest {

    private static final String URL = "http://example.org/fhir/Questionnaire/check";
    private static final String SYSTEM = "http://example.org/fhir/CodeSystem/how-long";

    private final QuestionnaireWording wording = QuestionnaireWording.of(List.of(
            version("1.0.0", "How long has it lasted?", "Under a week"),
            version("2.0.0", "For how long has it gone on?", "Less than 7 days")));

    @Test
    void theCitedVersionsWordsWin() {
        QuestionnaireWording.Question question =
                wording.question(URL + "|1.0.0", "how-long").orElseThrow();

        assertThat(question.text()).isEqualTo("How long has it lasted?");
        assertThat(question.display(new Coding(SYSTEM, "short", null))).isEqualTo("Under a week");
        assertThat(question.yesNo()).isFalse();
    }

    @Test
    void aBareUrlOrAnUndeclaredVersionGetsTheNewestVersionThatHasTheItem() {
        assertThat(wording.question(URL, "how-long").orElseThrow().text()).isEqualTo("For how long has it gone on?");
        assertThat(wording.question(URL + "|9.9.9", "how-long").orElseThrow().text())
                .isEqualTo("For how long has it gone on?");
        assertThat(wording.question(URL + "|1.0.0", "only-in-2").orElseThrow().yesNo())
                .isTrue();
    }

    @Test
    void groupsAndUnknownItemsHaveNoWordsAndAnUnknownCodeIsShownAsGiven() {
        assertThat(wording.question(URL + "|2.0.0", "about")).isEmpty();
        assertThat(wording.question(URL + "|2.0.0", "no-such-item")).isEmpty();
        QuestionnaireWording.Question question =
                wording.question(URL + "|2.0.0", "how-long").orElseThrow();
        assertThat(question.display(new Coding(SYSTEM, "other", "Some other time")))
                .isEqualTo("Some other time");
        assertThat(question.display(new Coding(SYSTEM, "other", null))).isEqualTo("other");
    }

    private static Questionnaire version(String version, String text, String display) {
        Questionnaire questionnaire = new Questionnaire();
        questionnaire.setUrl(URL);
        questionnaire.setVersion(version);
        Questionnaire.QuestionnaireItemComponent group = questionnaire
                .addItem()
                .setLinkId("about")
                .setType(QuestionnaireItemType.GROUP)
                .setText("About it");
        group.addItem()
                .setLinkId("how-long")
                .setType(QuestionnaireItemType.CHOICE)
                .setText(text)
                .addAnswerOption()
                .setValue(new Coding(SYSTEM, "short", display));
        if (version.startsWith("2")) {
            group.addItem()
                    .setLinkId("only-in-2")
                    .setType(QuestionnaireItemType.BOOLEAN)
                    .setText("New question?");
        }
        return questionnaire;
    }
}
