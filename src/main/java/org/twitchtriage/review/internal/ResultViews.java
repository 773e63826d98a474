package org.twitchtriage.review.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;
import org.twitchtriage.delivery.Deliveries;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.triage.TriageDocuments;

/** Turns stored FHIR resources into what the clinician pages show: rows, details, answers in words. */
@Component
public class ResultViews {

    record LevelView(String code, String display, int rank) {}

    record RuleView(String code, String title) {}

    /** An order; {@code version} the version shown (its {@code meta.versionId}). */
    record OrderView(
            String reference,
            String version,
            String code,
            String display,
            String priority,
            String intent,
            String status,
            String basedOn) {}

    record ReviewView(String task, String by, Instant at) {}

    /**
     * A worklist row.
     *
     * @param review the review of the result as it stands; null when it is not reviewed (never, or not since it
     *     was corrected, retracted or needed attention)
     * @param revision the version of the response the result follows from
     * @param previousLevel the level before the latest correction; null before any
     * @param retracted whether the response was retracted (entered in error)
     * @param attention why a clinician must look again: what the EHR kept as it had it; null when nothing
     */
    record Row(
            String submissionId,
            String patient,
            Instant authored,
            LevelView level,
            List<RuleView> firedRules,
            boolean needsReview,
            List<OrderView> orders,
            String delivery,
            ReviewView review,
            int revision,
            LevelView previousLevel,
            boolean retracted,
            String attention) {}

    record Answer(String linkId, String question, List<String> answers, int depth, boolean group) {}

    record ComponentView(String code, String title, String value) {}

    record Explanation(String status, List<ComponentView> components, List<String> notes) {}

    record Output(String reference, String type, String summary) {}

    record DeliveryView(
            String batch,
            String status,
            boolean deliveryEnabled,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            Integer lastHttpStatus,
            Instant createdAt,
            Instant deliveredAt) {}

    /**
     * @param possible whether the page offers approval: proposals await it
     * @param awaiting the proposals an approval would make orders of
     * @param approvedOrders every order approved from a proposal, whatever became of it since
     */
    record Approval(boolean possible, List<OrderView> awaiting, List<OrderView> approvedOrders) {}

    /**
     * One version of the response and the result as it stood while that version was current: the level, the
     * orders (approved ones included) at the versions they then had, and the reviews made meanwhile.
     *
     * @param status the response's status in that version (completed, amended, entered-in-error)
     * @param at when that version was stored
     * @param result the triage Observation's version then, as a versioned reference
     * @param resultStatus the triage Observation's status then
     */
    record VersionView(
            int version,
            String status,
            Instant at,
            boolean current,
            LevelView level,
            String result,
            String resultStatus,
            List<OrderView> orders,
            List<ReviewView> reviews) {}

    /**
     * A published artifact a result cites: {@code canonical} as cited, {@code version} the version cited (null for
     * a bare url), {@code title} as the published artifact gives it (null when it is not published here).
     */
    record Cited(String canonical, String version, String title) {}

    record Detail(
            Row summary,
            String patientDisplay,
            Cited questionnaire,
            Cited rules,
            List<Answer> answers,
            Explanation explanation,
            List<Output> outputs,
            List<DeliveryView> deliveries,
            Approval approval,
            List<VersionView> versions) {}

    private final Levels levels;
    private final ConformanceRegistry registry;

    ResultViews(Levels levels, ConformanceRegistry registry) {
        this.levels = levels;
        this.registry = registry;
    }

    Row row(Worklist.Entry entry, List<Resource> resources) {
        Observation observation = first(resources, Observation.class).orElseThrow();
        List<RuleView> fired = new ArrayList<>();
        boolean needsReview = false;
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            Coding code = component.getCode().getCodingFirstRep();
            if (TriageDocuments.marksNeedsReview(component)) {
                needsReview = true;
            } else if (component.hasValueBooleanType()
                    && component.getValueBooleanType().booleanValue()) {
                fired.add(new RuleView(code.getCode(), recorded(component.getCode())));
            }
        }
        List<OrderView> orders = all(resources, ServiceRequest.class).stream()
                .map(ResultViews::order)
                .toList();
        List<Task> reviews = ReviewService.reviews(resources);
        ReviewView review = entry.reviewed() && !reviews.isEmpty() ? review(reviews.get(reviews.size() - 1)) : null;
        LevelView previous = entry.revision() > 1 && entry.previousLevelCode() != null
                ? level(entry.previousLevelSystem(), entry.previousLevelCode(), null)
                : null;
        return new Row(
                entry.submissionId(),
                observation.getSubject().getReference(),
                entry.authored(),
                level(observation),
                fired,
                needsReview,
                orders,
                entry.delivery(),
                review,
                entry.revision(),
                previous,
                entry.retracted(),
                entry.attention());
    }

    Detail detail(
            Worklist.Entry entry,
            QuestionnaireResponse response,
            List<Resource> resources,
            List<Deliveries.View> deliveries,
            List<ServiceRequest> awaitingApproval,
            List<VersionView> versions) {
        Observation observation = first(resources, Observation.class).orElseThrow();
        List<ComponentView> components = new ArrayList<>();
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            Coding code = component.getCode().getCodingFirstRep();
            components.add(
                    new ComponentView(code.getCode(), recorded(component.getCode()), value(component.getValue())));
        }
        List<String> notes =
                observation.getNote().stream().map(n -> n.getText()).toList();
        List<Output> outputs = new ArrayList<>();
        outputs.add(new Output(
                FhirIds.reference("QuestionnaireResponse", entry.submissionId()),
                "QuestionnaireResponse",
                "The answers as submitted"));
        resources.forEach(resource -> outputs.add(output(resource)));
        List<OrderView> approved = all(resources, ServiceRequest.class).stream()
                .filter(r -> r.hasBasedOn())
                .map(ResultViews::order)
                .toList();
        String cited = response.getQuestionnaire();
        Optional<Questionnaire> questionnaire = registry.byCanonical(Questionnaire.class, cited);
        return new Detail(
                row(entry, resources),
                response.getSubject().getDisplay(),
                cited(cited, questionnaire.map(Questionnaire::getTitle)),
                rules(observation),
                answers(response, questionnaire),
                new Explanation(observation.getStatus().toCode(), components, notes),
                outputs,
                deliveries.stream().map(ResultViews::delivery).toList(),
                new Approval(
                        !awaitingApproval.isEmpty(),
                        awaitingApproval.stream().map(ResultViews::order).toList(),
                        approved),
                versions);
    }

    LevelView level(Observation observation) {
        Coding value = observation.getValueCodeableConcept().getCodingFirstRep();
        return level(value.getSystem(), value.getCode(), value.hasDisplay() ? value.getDisplay() : null);
    }

    /** A level with the name its CodeSystem gives it; else the display recorded, else the code. */
    private LevelView level(String system, String code, String recorded) {
        return levels.of(system, code)
                .map(l -> new LevelView(l.code(), l.display(), l.rank()))
                .orElse(new LevelView(code, recorded != null ? recorded : code, 0));
    }

    /** What the triage recorded as a component's meaning: its text, else its coding's display, else the code. */
    private static String recorded(CodeableConcept code) {
        if (code.hasText()) {
            return code.getText();
        }
        Coding coding = code.getCodingFirstRep();
        return coding.hasDisplay() ? coding.getDisplay() : coding.getCode();
    }

    /** The rules the Observation records it was triaged by ({@code method.text}, contract section 6). */
    private Cited rules(Observation observation) {
        String canonical = observation.getMethod().getText();
        Optional<PlanDefinition> plan = registry.byCanonical(PlanDefinition.class, canonical);
        return cited(canonical, plan.map(PlanDefinition::getTitle));
    }

    private static Cited cited(String canonical, Optional<String> title) {
        if (canonical == null) {
            return null;
        }
        int bar = canonical.indexOf('|');
        return new Cited(canonical, bar < 0 ? null : canonical.substring(bar + 1), title.orElse(null));
    }

    /**
     * The answers in words: each question's text and each answer's display, as the Questionnaire version the
     * response cites gives them (retired versions included: results outlive them).
     */
    private static List<Answer> answers(QuestionnaireResponse response, Optional<Questionnaire> questionnaire) {
        Map<String, Questionnaire.QuestionnaireItemComponent> items = new HashMap<>();
        questionnaire.ifPresent(published -> index(published.getItem(), items));
        List<Answer> answers = new ArrayList<>();
        collect(response.getItem(), items, 0, answers);
        return answers;
    }

    private static void index(
            List<Questionnaire.QuestionnaireItemComponent> items,
            Map<String, Questionnaire.QuestionnaireItemComponent> into) {
        for (Questionnaire.QuestionnaireItemComponent item : items) {
            into.put(item.getLinkId(), item);
            index(item.getItem(), into);
        }
    }

    private static void collect(
            List<QuestionnaireResponse.QuestionnaireResponseItemComponent> given,
            Map<String, Questionnaire.QuestionnaireItemComponent> items,
            int depth,
            List<Answer> into) {
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : given) {
            Questionnaire.QuestionnaireItemComponent defined = items.get(item.getLinkId());
            if (defined != null && defined.getType() == Questionnaire.QuestionnaireItemType.DISPLAY) {
                continue;
            }
            String question = defined != null && defined.hasText()
                    ? defined.getText()
                    : item.hasText() ? item.getText() : item.getLinkId();
            List<String> values = item.getAnswer().stream()
                    .map(a -> answer(a.getValue(), defined))
                    .toList();
            boolean group = defined != null
                    ? defined.getType() == Questionnaire.QuestionnaireItemType.GROUP
                    : item.hasItem() && !item.hasAnswer();
            into.add(new Answer(item.getLinkId(), question, values, depth, group));
            collect(item.getItem(), items, depth + 1, into);
        }
    }

    private static String answer(Type value, Questionnaire.QuestionnaireItemComponent defined) {
        if (value instanceof Coding coding) {
            if (defined != null) {
                for (Questionnaire.QuestionnaireItemAnswerOptionComponent option : defined.getAnswerOption()) {
                    if (option.hasValueCoding()
                            && coding.getCode() != null
                            && coding.getCode().equals(option.getValueCoding().getCode())
                            && option.getValueCoding().hasDisplay()) {
                        return option.getValueCoding().getDisplay();
                    }
                }
            }
            return coding.hasDisplay() ? coding.getDisplay() : coding.getCode();
        }
        return value(value);
    }

    private static String value(Type value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BooleanType bool) {
            return bool.booleanValue() ? "Yes" : "No";
        }
        return value.isPrimitive() ? value.primitiveValue() : value.fhirType();
    }

    static OrderView order(ServiceRequest request) {
        Coding code = request.getCode().getCodingFirstRep();
        return new OrderView(
                FhirIds.reference(request),
                request.getMeta().hasVersionId() ? request.getMeta().getVersionId() : "1",
                code.getCode(),
                request.getCode().hasText()
                        ? request.getCode().getText()
                        : code.hasDisplay() ? code.getDisplay() : code.getCode(),
                request.hasPriority() ? request.getPriority().toCode() : null,
                request.getIntent().toCode(),
                request.getStatus().toCode(),
                request.hasBasedOn() ? request.getBasedOnFirstRep().getReference() : null);
    }

    static ReviewView review(Task task) {
        return new ReviewView(
                FhirIds.reference(task),
                task.getOwner().getDisplay(),
                task.hasExecutionPeriod() && task.getExecutionPeriod().hasEnd()
                        ? task.getExecutionPeriod().getEnd().toInstant()
                        : null);
    }

    private static Output output(Resource resource) {
        return new Output(FhirIds.reference(resource), resource.fhirType(), summary(resource));
    }

    private static String summary(Resource resource) {
        if (resource instanceof Observation o) {
            return "Triage result: "
                    + o.getValueCodeableConcept().getCodingFirstRep().getCode();
        }
        if (resource instanceof ServiceRequest r) {
            return order(r).display() + " (" + r.getIntent().toCode()
                    + (r.hasPriority() ? ", " + r.getPriority().toCode() : "") + ")";
        }
        if (resource instanceof Task t) {
            return "Review by " + t.getOwner().getDisplay();
        }
        if (resource instanceof Communication) {
            return "Guidance for the patient";
        }
        if (resource instanceof Provenance) {
            return "Who wrote the results, and from what";
        }
        return resource.fhirType();
    }

    private static DeliveryView delivery(Deliveries.View view) {
        return new DeliveryView(
                view.batch().code(),
                view.status().code(),
                view.deliveryEnabled(),
                view.attempts(),
                view.nextAttemptAt(),
                view.lastError(),
                view.lastHttpStatus(),
                view.createdAt(),
                view.deliveredAt());
    }

    private static <T extends Resource> Optional<T> first(List<Resource> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    private static <T extends Resource> List<T> all(List<Resource> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
