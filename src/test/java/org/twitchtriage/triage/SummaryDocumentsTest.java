package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/** The readable summary for EHRs that take little more than documents. */
class SummaryDocumentsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Coding TYPE = new Coding("http://loinc.org", "34109-9", "Note");
    private static final Coding CATEGORY = new Coding(
            "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", "clinical-note", null);

    private static TriageEngine engine;
    private static TriageRules rules;
    private static TriageDocuments documents;
    private static SummaryDocuments summaries;

    @BeforeAll
    static void setUp() {
        engine = new TriageEngine(Content.FHIR);
        rules = new TriageRules(Content.registry(), engine);
        TriageProperties properties =
                new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage");
        documents = new TriageDocuments(properties, "1.0");
        summaries = new SummaryDocuments(rules, properties);
    }

    @Test
    void theSummarySaysTheAnswersTheLevelWhyTheOrdersAndTheGuidanceInWords() {
        QuestionnaireResponse response = response(benign().answer("numbness-tingling", true), 1);

        DocumentReference document = summaries.write(response, results(response), TYPE, CATEGORY, NOW);

        assertThat(document.getIdPart()).isEqualTo("submission-1");
        assertThat(document.getIdentifierFirstRep().getSystem()).isEqualTo(SummaryDocuments.IDENTIFIER_SYSTEM);
        assertThat(document.getStatus()).isEqualTo(DocumentReferenceStatus.CURRENT);
        assertThat(document.getSubject().getReference()).isEqualTo("Patient/synthetic-1");
        assertThat(document.getAuthorFirstRep().getReference()).isEqualTo("Organization/site-1");
        assertThat(document.getContent())
                .extracting(c -> c.getAttachment().getContentType())
                .containsExactly("text/html; charset=utf-8", "text/plain; charset=utf-8");
        String text = body(document, 1);
        assertThat(text)
                .contains("Level: Urgent")
                .contains("Fired: “Numbness")
                .contains("Do you have numbness, or pins and needles, anywhere? — Yes")
                .containsPattern("(?i)neurology.*urgent, active")
                .contains("Guidance given to the patient");
        String html = body(document, 0);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<h2>Orders</h2>")
                .doesNotContain("“<");
    }

    @Test
    void aLaterVersionReplacesTheDocumentBeforeAndARetractionIsEnteredInError() {
        QuestionnaireResponse amended = response(benign(), 2);
        DocumentReference second = summaries.write(amended, results(amended), TYPE, CATEGORY, NOW);
        assertThat(second.getIdPart()).isEqualTo("submission-1-2");
        assertThat(second.getRelatesToFirstRep().getCode())
                .isEqualTo(DocumentReference.DocumentRelationshipType.REPLACES);
        assertThat(second.getRelatesToFirstRep().getTarget().getReference())
                .isEqualTo("DocumentReference/submission-1");

        QuestionnaireResponse retracted =
                response(benign(), 3).setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR);
        assertThat(summaries.write(retracted, List.of(), TYPE, CATEGORY, NOW).getStatus())
                .isEqualTo(DocumentReferenceStatus.ENTEREDINERROR);
    }

    @Test
    void answersAreEscapedInTheHtml() {
        QuestionnaireResponse response = response(benign(), 1);
        response.addItem().setLinkId("<script>").addAnswer().setValue(new Coding(null, "a&b", null));

        String html = body(summaries.write(response, List.of(), TYPE, CATEGORY, NOW), 0);

        assertThat(html).contains("&lt;script&gt; — a&amp;b").doesNotContain("<script>");
    }

    private static List<Resource> results(QuestionnaireResponse response) {
        return documents
                .write(
                        response,
                        "submission-1",
                        engine.evaluate(
                                response,
                                rules.forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                                        .orElseThrow()),
                        NOW)
                .all();
    }

    private static QuestionnaireResponse response(ChecklistResponses builder, int version) {
        QuestionnaireResponse response = builder.build();
        response.setId("QuestionnaireResponse/submission-1/_history/" + version);
        response.getMeta().setVersionId(String.valueOf(version));
        return response;
    }

    private static String body(DocumentReference document, int index) {
        return new String(document.getContent().get(index).getAttachment().getData(), StandardCharsets.UTF_8);
    }
}
