package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.junit.jupiter.api.Test;

class ConformanceRegistryTest {

    private static final String URL = "http://example.org/fhir/Questionnaire/q";

    @Test
    void aBareUrlResolvesToTheHighestVersion() {
        ConformanceRegistry registry = new ConformanceRegistry(List.of(
                questionnaire("q-1-9", "1.9.0", PublicationStatus.ACTIVE),
                questionnaire("q-1-10", "1.10.0", PublicationStatus.ACTIVE),
                questionnaire("q-1-2", "1.2.0", PublicationStatus.ACTIVE)));

        assertThat(registry.byCanonical(Questionnaire.class, URL))
                .map(Questionnaire::getVersion)
                .contains("1.10.0");
        assertThat(registry.byCanonical(Questionnaire.class, URL + "|1.2.0"))
                .map(Questionnaire::getIdPart)
                .contains("q-1-2");
        assertThat(registry.byCanonical(Questionnaire.class, URL + "|2.0.0")).isEmpty();
    }

    @Test
    void onlyActiveQuestionnairesAcceptResponses() {
        QuestionnaireCatalog catalog = new QuestionnaireCatalog(new ConformanceRegistry(List.of(
                questionnaire("q-1", "1.0.0", PublicationStatus.ACTIVE),
                questionnaire("q-2", "2.0.0", PublicationStatus.DRAFT),
                questionnaire("q-0", "0.9.0", PublicationStatus.RETIRED))));

        assertThat(catalog.resolve(URL))
                .map(QuestionnaireCatalog.PublishedQuestionnaire::canonical)
                .contains(URL + "|1.0.0");
        assertThat(catalog.resolve(URL + "|2.0.0")).isEmpty();
        assertThat(catalog.resolve(URL + "|0.9.0")).isEmpty();
    }

    @Test
    void refusesTwoResourcesWithOneCanonical() {
        assertThatThrownBy(() -> new ConformanceRegistry(List.of(
                        questionnaire("a", "1.0.0", PublicationStatus.ACTIVE),
                        questionnaire("b", "1.0.0", PublicationStatus.ACTIVE))))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining(URL + "|1.0.0");
    }

    private static Questionnaire questionnaire(String id, String version, PublicationStatus status) {
        Questionnaire questionnaire =
                new Questionnaire().setUrl(URL).setVersion(version).setStatus(status);
        questionnaire.setId(id);
        questionnaire.addItem().setLinkId("a").setType(QuestionnaireItemType.BOOLEAN);
        return questionnaire;
    }
}
