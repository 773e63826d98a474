package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;
import static org.twitchtriage.testing.ChecklistResponses.item;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.questionnaire.ProblemCode;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/**
 * Contract section 2 over HTTP: every rule rejects with 422 and an OperationOutcome naming the item; nothing is
 * stored.
 */
class SubmissionIT extends IntegrationTest {

    private static final String CHECKLIST = "QuestionnaireResponse.item.where(linkId='checklist')";
    private static final String ABOUT = "QuestionnaireResponse.item.where(linkId='about')";

    @Test
    void acceptsAValidResponseWith201LocationAndTheStoredResource() {
        int before = storedResponses();
        QuestionnaireResponse sent =
                benign().identifier("urn:test:portal", unique()).build();

        HttpResponse<String> response = post("/QuestionnaireResponse", JSON, json(sent));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        QuestionnaireResponse stored = parse(QuestionnaireResponse.class, response);
        assertThat(stored.getIdPart()).isNotBlank();
        // Made with the time first, so that new rows go in at the end of every index keyed by it.
        assertThat(UUID.fromString(stored.getIdPart()).version()).isEqualTo(7);
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .isEqualTo(fhirBase() + "/QuestionnaireResponse/" + stored.getIdPart() + "/_history/1");
        assertThat(stored.getIdentifier().getValue())
                .isEqualTo(sent.getIdentifier().getValue());
        assertThat(item(stored, "duration").getAnswerFirstRep().getValueCoding().getCode())
                .isEqualTo("1-2w");
        assertThat(storedResponses()).isEqualTo(before + 1);
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                violation(
                        "questionnaire that is not published",
                        ProblemCode.UNKNOWN_QUESTIONNAIRE,
                        "QuestionnaireResponse.questionnaire",
                        b -> b.questionnaire("http://example.org/Questionnaire/other")),
                violation(
                        "questionnaire version that is not published",
                        ProblemCode.UNKNOWN_QUESTIONNAIRE,
                        "QuestionnaireResponse.questionnaire",
                        b -> b.questionnaire(ChecklistResponses.QUESTIONNAIRE + "|9.9.9")),
                violation(
                        "no questionnaire",
                        ProblemCode.UNKNOWN_QUESTIONNAIRE,
                        "QuestionnaireResponse.questionnaire",
                        b -> b.questionnaire(null)),
                violation(
                        "status in-progress",
                        ProblemCode.INVALID_STATUS,
                        "QuestionnaireResponse.status",
                        b -> b.status(QuestionnaireResponseStatus.INPROGRESS)),
                violation(
                        "status stopped",
                        ProblemCode.INVALID_STATUS,
                        "QuestionnaireResponse.status",
                        b -> b.status(QuestionnaireResponseStatus.STOPPED)),
                violation(
                        "no subject",
                        ProblemCode.INVALID_SUBJECT,
                        "QuestionnaireResponse.subject",
                        b -> b.subject(null)),
                violation(
                        "subject that is not a Patient",
                        ProblemCode.INVALID_SUBJECT,
                        "QuestionnaireResponse.subject",
                        b -> b.subject("Group/synthetic-1")),
                violation(
                        "no authored",
                        ProblemCode.MISSING_AUTHORED,
                        "QuestionnaireResponse.authored",
                        b -> b.authored(null)),
                violation(
                        "identifier without a value",
                        ProblemCode.INVALID_IDENTIFIER,
                        "QuestionnaireResponse.identifier",
                        b -> b.identifier("urn:test:portal", null)),
                violation(
                        "required item unanswered",
                        ProblemCode.REQUIRED,
                        ABOUT + ".item.where(linkId='duration')",
                        b -> b.without("duration")),
                violation(
                        "required repeating item unanswered",
                        ProblemCode.REQUIRED,
                        ABOUT + ".item.where(linkId='locations')",
                        b -> b.codes("locations")),
                violation(
                        "required group missing",
                        ProblemCode.REQUIRED,
                        "QuestionnaireResponse.item.where(linkId='other-symptoms')",
                        b -> b.without("numbness-tingling")),
                violation(
                        "enabled item unanswered",
                        ProblemCode.REQUIRED,
                        CHECKLIST + ".item.where(linkId='weakness-progressive')",
                        b -> b.answer("weakness", true)),
                violation(
                        "disabled item answered",
                        ProblemCode.DISABLED_ANSWERED,
                        CHECKLIST + ".item.where(linkId='weakness-progressive')",
                        b -> b.answer("weakness-progressive", true)),
                violation(
                        "code not among the answers",
                        ProblemCode.INVALID_CODE,
                        ABOUT + ".item.where(linkId='duration').answer[0].value",
                        b -> b.codes("duration", "6-months")),
                violation(
                        "two answers to a non-repeating item",
                        ProblemCode.TOO_MANY_ANSWERS,
                        ABOUT + ".item.where(linkId='course').answer",
                        b -> b.codes("course", "improving", "worsening")));
    }

    static Stream<Arguments> structuralViolations() {
        return Stream.of(
                structural(
                        "unknown linkId",
                        ProblemCode.UNKNOWN_ITEM,
                        CHECKLIST + ".item.where(linkId='fever')",
                        qr -> item(qr, "checklist")
                                .addItem()
                                .setLinkId("fever")
                                .addAnswer()
                                .setValue(new BooleanType(true))),
                structural(
                        "answer of the wrong type",
                        ProblemCode.WRONG_TYPE,
                        CHECKLIST + ".item.where(linkId='spreading').answer[0].value",
                        qr -> item(qr, "spreading").getAnswerFirstRep().setValue(new StringType("no"))),
                structural(
                        "code from the wrong code system",
                        ProblemCode.INVALID_CODE,
                        ABOUT + ".item.where(linkId='course').answer[0].value",
                        qr -> item(qr, "course")
                                .getAnswerFirstRep()
                                .setValue(new Coding("http://example.org/other", "unchanged", null))),
                structural(
                        "answer without a value",
                        ProblemCode.EMPTY_ANSWER,
                        CHECKLIST + ".item.where(linkId='family-history').answer[0]",
                        qr -> item(qr, "family-history")
                                .getAnswerFirstRep()
                                .setValue(null)
                                .addExtension(
                                        "http://example.org/fhir/StructureDefinition/note", new StringType("n/a"))),
                structural(
                        "non-repeating item twice",
                        ProblemCode.DUPLICATE_ITEM,
                        CHECKLIST + ".item.where(linkId='spreading')",
                        qr -> item(qr, "checklist")
                                .getItem()
                                .add(4, item(qr, "spreading").copy())),
                structural(
                        "items out of order",
                        ProblemCode.ITEM_ORDER,
                        "QuestionnaireResponse.item.where(linkId='about')",
                        qr -> qr.getItem().add(qr.getItem().remove(0))),
                structural(
                        "answer on a group",
                        ProblemCode.WRONG_TYPE,
                        "QuestionnaireResponse.item.where(linkId='other-symptoms').answer",
                        qr -> item(qr, "other-symptoms").addAnswer().setValue(new BooleanType(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void rejectsAnswersThatBreakTheContract(
            String name, ProblemCode code, String expression, UnaryOperator<ChecklistResponses> change) {
        assertRejected(change.apply(benign()).build(), code, expression);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structuralViolations")
    void rejectsResponsesThatDoNotFollowTheQuestionnaire(
            String name, ProblemCode code, String expression, Consumer<QuestionnaireResponse> change) {
        QuestionnaireResponse response = benign().build();
        change.accept(response);
        assertRejected(response, code, expression);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        int before = storedResponses();
        QuestionnaireResponse response = benign().without("duration")
                .answer("weakness-progressive", false)
                .subject(null)
                .build();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, json(response)), 422);

        assertThat(outcome.getIssue())
                .extracting(i -> i.getDetails().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("invalid-subject", "required", "disabled-answered");
        assertThat(storedResponses()).isEqualTo(before);
    }

    private void assertRejected(QuestionnaireResponse response, ProblemCode code, String expression) {
        int before = storedResponses();

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, json(response)), 422);

        assertThat(outcome.getIssue()).hasSize(1);
        OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
        assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(issue.getDetails().getCodingFirstRep().getSystem()).isEqualTo(ProblemCode.SYSTEM);
        assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(code.code());
        assertThat(issue.getExpression()).extracting(StringType::getValue).containsExactly(expression);
        assertThat(issue.getLocation()).extracting(StringType::getValue).containsExactly(expression);
        assertThat(issue.getDiagnostics()).isNotBlank();
        assertThat(storedResponses()).isEqualTo(before);
    }

    private static Arguments violation(
            String name, ProblemCode code, String expression, UnaryOperator<ChecklistResponses> change) {
        return Arguments.of(name, code, expression, change);
    }

    private static Arguments structural(
            String name, ProblemCode code, String expression, Consumer<QuestionnaireResponse> change) {
        return Arguments.of(name, code, expression, change);
    }

    static String unique() {
        return UUID.randomUUID().toString();
    }

    static List<String> codes(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .map(i -> i.getDetails().getCodingFirstRep().getCode())
                .toList();
    }
}
