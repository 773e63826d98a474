package org.twitchtriage.triage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Type;
import org.twitchtriage.triage.QuestionnaireWording.Question;

/**
 * A readable summary of one submission for EHRs that cannot take the structured results (contract section 6): a
 * DocumentReference whose attachments, as HTML and as plain text, give the answers in the Questionnaire's
 * words, the level, why, the orders and the guidance. Each version of the response gets a document of its
 * own with a stable identifier; a later one replaces the one before ({@code relatesTo}).
 */
public final class SummaryDocuments {

    public static final String IDENTIFIER_SYSTEM = TriageDocuments.IDENTIFIER_BASE + "triage-summary";
    private static final String TITLE = "Muscle twitching checklist: triage summary";

    private final TriageRules rules;
    private final TriageProperties properties;

    public SummaryDocuments(TriageRules rules, TriageProperties properties) {
        this.rules = rules;
        this.properties = properties;
    }

    /** The id of the document of the given version of a submission's response. */
    public static String id(String submissionId, int version) {
        return version == 1 ? submissionId : submissionId + "-" + version;
    }

    /**
     * @param response the response at the version the document summarises; its id is the submission's
     * @param results the current versions of what triage wrote for it (Observation, orders, guidance)
     * @param type the document's type; {@code category} its category
     * @param now when the document is written
     */
    public DocumentReference write(
            QuestionnaireResponse response, List<Resource> results, Coding type, Coding category, Instant now) {
        String submissionId = response.getIdElement().getIdPart();
        int version = response.getMeta().hasVersionId()
                ? Integer.parseInt(response.getMeta().getVersionId())
                : 1;
        String id = id(submissionId, version);
        Summary summary = summarise(response, results);
        DocumentReference document = new DocumentReference();
        document.setId(id);
        document.setMasterIdentifier(identifier(id));
        document.addIdentifier(identifier(id));
        boolean retracted = response.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR;
        document.setStatus(retracted ? DocumentReferenceStatus.ENTEREDINERROR : DocumentReferenceStatus.CURRENT);
        document.setDocStatus(
                version == 1
                        ? DocumentReference.ReferredDocumentStatus.FINAL
                        : DocumentReference.ReferredDocumentStatus.AMENDED);
        document.setType(new CodeableConcept(type.copy()));
        document.addCategory(new CodeableConcept(category.copy()));
        document.setSubject(response.getSubject().copy());
        document.setDate(Date.from(now));
        document.addAuthor(new Reference(properties.requesterOrganization()));
        document.setDescription(TITLE);
        if (version > 1) {
            document.addRelatesTo()
                    .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                    .setTarget(new Reference("DocumentReference/" + id(submissionId, version - 1)));
        }
        if (response.hasEncounter()) {
            document.getContext().addEncounter(response.getEncounter().copy());
        }
        document.addContent().setAttachment(attachment("text/html", summary.html(), now));
        document.addContent().setAttachment(attachment("text/plain", summary.text(), now));
        return document;
    }

    private static Identifier identifier(String id) {
        return new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(id);
    }

    private static Attachment attachment(String contentType, String body, Instant now) {
        return new Attachment()
                .setContentType(contentType + "; charset=utf-8")
                .setLanguage("en")
                .setTitle(TITLE)
                .setCreation(Date.from(now))
                .setData(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The summary's sections, each a heading and its lines, rendered both ways. */
    private Summary summarise(QuestionnaireResponse response, List<Resource> results) {
        Summary summary = new Summary();
        Optional<Observation> observation = results.stream()
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .findFirst();
        List<String> result = new ArrayList<>();
        observation.ifPresent(o -> {
            CodeableConcept level = o.getValueCodeableConcept();
            result.add("Level: "
                    + (level.hasText()
                            ? level.getText()
                            : level.getCodingFirstRep().getCode()));
            result.add("Status: " + statusWords(o.getStatus()));
            if (o.getMethod().hasText()) {
                result.add("Worked out by the rules " + o.getMethod().getText());
            }
        });
        result.add("Answered: " + response.getAuthoredElement().getValueAsString());
        summary.section("Result", result);
        observation.ifPresent(o -> summary.section(
                "Why", o.getNote().stream().map(Annotation::getText).toList()));
        summary.section("Answers", answers(response));
        List<String> orders = new ArrayList<>();
        results.stream()
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .forEach(order -> orders.add(orderWords(order)));
        summary.section("Orders", orders.isEmpty() ? List.of("None") : orders);
        results.stream()
                .filter(Communication.class::isInstance)
                .map(Communication.class::cast)
                .findFirst()
                .ifPresent(guidance -> summary.section(
                        "Guidance given to the patient",
                        guidance.getPayload().stream()
                                .filter(p -> p.hasContentStringType())
                                .map(p -> p.getContentStringType().getValue())
                                .toList()));
        return summary;
    }

    private static String statusWords(Observation.ObservationStatus status) {
        return switch (status) {
            case AMENDED -> "amended after a correction of the answers";
            case ENTEREDINERROR -> "entered in error: the answers were retracted, do not act on this result";
            case PRELIMINARY -> "preliminary: a rule could not be evaluated, a clinician must review it";
            default -> status.getDisplay().toLowerCase();
        };
    }

    private static String orderWords(ServiceRequest order) {
        Coding code = order.getCode().getCodingFirstRep();
        String what = order.getCode().hasText()
                ? order.getCode().getText()
                : code.hasDisplay() ? code.getDisplay() : code.getCode();
        StringBuilder words = new StringBuilder(what);
        if (order.hasPriority()) {
            words.append(", priority ").append(order.getPriority().toCode());
        }
        words.append(", ").append(order.getStatus().toCode());
        if (order.hasPatientInstruction()) {
            words.append(": ").append(order.getPatientInstruction());
        }
        return words.toString();
    }

    /** Each answered question, in the Questionnaire's words, in the order of the response. */
    private List<String> answers(QuestionnaireResponse response) {
        Optional<QuestionnaireWording> wording = rules.forQuestionnaire(
                        response.getQuestionnaire().split("\\|", 2)[0])
                .map(RuleSet::wording);
        List<String> lines = new ArrayList<>();
        collect(response.getItem(), response.getQuestionnaire(), wording, lines);
        return lines;
    }

    private static void collect(
            List<QuestionnaireResponseItemComponent> items,
            String cited,
            Optional<QuestionnaireWording> wording,
            List<String> into) {
        for (QuestionnaireResponseItemComponent item : items) {
            if (item.hasAnswer()) {
                Optional<Question> question = wording.flatMap(w -> w.question(cited, item.getLinkId()));
                List<String> words = new ArrayList<>();
                for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
                    words.add(words(question, answer.getValue()));
                }
                into.add(question.map(Question::text).orElse(item.getLinkId()) + " — " + String.join(", ", words));
                item.getAnswer().forEach(answer -> collect(answer.getItem(), cited, wording, into));
            }
            collect(item.getItem(), cited, wording, into);
        }
    }

    private static String words(Optional<Question> question, Type value) {
        if (value instanceof Coding coding) {
            return question.map(q -> q.display(coding))
                    .orElse(coding.hasDisplay() ? coding.getDisplay() : coding.getCode());
        }
        if (value instanceof BooleanType bool) {
            return bool.booleanValue() ? "Yes" : "No";
        }
        return value != null && value.isPrimitive() ? value.primitiveValue() : "";
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static final class Summary {

        private final StringBuilder html = new StringBuilder();
        private final StringBuilder text = new StringBuilder();

        Summary() {
            html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                    .append(escape(TITLE))
                    .append("</title></head><body><h1>")
                    .append(escape(TITLE))
                    .append("</h1>");
            text.append(TITLE).append('\n').append("=".repeat(TITLE.length())).append('\n');
        }

        void section(String heading, List<String> lines) {
            html.append("<h2>").append(escape(heading)).append("</h2><ul>");
            lines.forEach(line -> html.append("<li>").append(escape(line)).append("</li>"));
            html.append("</ul>");
            text.append('\n').append(heading).append('\n');
            lines.forEach(line -> text.append("- ").append(line).append('\n'));
        }

        String html() {
            return html + "</body></html>";
        }

        String text() {
            return text.toString();
        }
    }
}
