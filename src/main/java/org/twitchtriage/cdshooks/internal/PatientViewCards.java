package org.twitchtriage.cdshooks.internal;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceIndicatorEnum;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardSourceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCodingJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseLinkJson;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;
import org.twitchtriage.cdshooks.CdsHooksProperties;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.review.ResultFeedback;
import org.twitchtriage.review.ReviewState;
import org.twitchtriage.triage.TriageDocuments;

/**
 * The patient-view card: the patient's most recent triage result within {@code cds-hooks.window}, in the words
 * the result itself records (the level's and the fired rules' titles, the explanation's notes), its orders, whether
 * a clinician reviewed it, and a SMART link to open it. None for a patient without such a result, or whose results
 * in the window were all retracted.
 */
@Component
class PatientViewCards {

    static final String SERVICE_ID = "twitch-triage-patient-view";
    static final int SUMMARY_LIMIT = 140;
    static final String TOPIC_SYSTEM = FhirIds.CANONICAL_BASE + "/CodeSystem/triage-result";
    static final String TOPIC_CODE = "muscle-twitch-triage";
    static final String SOURCE_LABEL = "Twitch triage";
    /** How many of a patient's results in the window are looked at for the newest one that stands. */
    private static final int CANDIDATES = 50;

    /** A card and what it was built from, for the audit trail. */
    record Built(CdsServiceResponseCardJson card, String submissionId, String patientId, List<String> references) {}

    private final ResultsStore results;
    private final ReviewState reviews;
    private final ResultFeedback feedback;
    private final ConformanceRegistry registry;
    private final IssuedCards issued;
    private final CdsHooksProperties properties;
    private final Clock clock;

    PatientViewCards(
            ResultsStore results,
            ReviewState reviews,
            ResultFeedback feedback,
            ConformanceRegistry registry,
            IssuedCards issued,
            CdsHooksProperties properties,
            Clock clock) {
        this.results = results;
        this.reviews = reviews;
        this.feedback = feedback;
        this.registry = registry;
        this.issued = issued;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The card for the patient, if a result within the window stands.
     *
     * @param base the module's public base URL, without a trailing slash
     */
    Optional<Built> forPatient(String patientId, String base) {
        Instant now = clock.instant();
        Optional<Observation> newest =
                results.observationsOf(patientId, now.minus(properties.window()), CANDIDATES).stream()
                        .filter(o -> o.getStatus() != Observation.ObservationStatus.ENTEREDINERROR)
                        .filter(Observation::hasEffectiveDateTimeType)
                        .max(Comparator.comparing(
                                o -> o.getEffectiveDateTimeType().getValue()));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        Observation observation = newest.get();
        String observationId = observation.getIdElement().getIdPart();
        Optional<String> submission = results.submissionOf("Observation", observationId);
        if (submission.isEmpty()) {
            return Optional.empty();
        }
        String submissionId = submission.get();
        List<Resource> written = results.forSubmissions(List.of(submissionId)).get(submissionId);
        List<ServiceRequest> orders = written.stream()
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .toList();
        List<ServiceRequest> awaiting = reviews.awaitingSignOff(submissionId);
        int version = version(observation);
        CdsServiceResponseCardJson card = new CdsServiceResponseCardJson()
                .setUuid(issued.issue(submissionId, observationId, version, now))
                .setSummary(summary(observation))
                .setIndicator(indicator(levelCode(observation)))
                .setDetail(detail(observation, orders, awaiting, reviews.reviewed(submissionId)))
                .setSource(source())
                .setOverrideReasons(overrideReasons())
                .setLinks(List.of(link(base, submissionId, !awaiting.isEmpty())));
        List<String> references = new ArrayList<>();
        references.add(FhirIds.reference("QuestionnaireResponse", submissionId));
        references.add(FhirIds.reference("Observation", observationId));
        orders.forEach(
                order -> references.add(FhirIds.reference(order.getIdElement().toUnqualifiedVersionless())));
        return Optional.of(new Built(card, submissionId, patientId, references));
    }

    /** {@code critical} for immediate, {@code warning} for urgent and soon, {@code info} for the rest. */
    static CdsServiceIndicatorEnum indicator(String level) {
        return switch (level == null ? "" : level) {
            case "immediate" -> CdsServiceIndicatorEnum.CRITICAL;
            case "urgent", "soon" -> CdsServiceIndicatorEnum.WARNING;
            default -> CdsServiceIndicatorEnum.INFO;
        };
    }

    /** "Muscle twitching triage: {level} ({date})", within the 140 characters CDS Hooks allows. */
    String summary(Observation observation) {
        return summary(levelName(observation), date(observation));
    }

    static String summary(String levelName, String date) {
        String prefix = "Muscle twitching triage: ";
        String suffix = " (" + date + ")";
        String level = levelName;
        int room = SUMMARY_LIMIT - 1 - prefix.length() - suffix.length();
        if (level.length() > room) {
            level = level.substring(0, room - 1) + "…";
        }
        return prefix + level + suffix;
    }

    /** The day the patient answered, in UTC. */
    private static String date(Observation observation) {
        return observation
                .getEffectiveDateTimeType()
                .getValue()
                .toInstant()
                .atOffset(ZoneOffset.UTC)
                .toLocalDate()
                .toString();
    }

    private String detail(
            Observation observation, List<ServiceRequest> orders, List<ServiceRequest> awaiting, boolean reviewed) {
        StringBuilder md = new StringBuilder();
        md.append("**")
                .append(escape(levelName(observation)))
                .append("**, from the checklist answered on ")
                .append(date(observation))
                .append(".\n\n");
        List<String> fired = firedRules(observation);
        md.append("**Rules that fired**\n\n");
        if (fired.isEmpty()) {
            md.append("- none\n");
        } else {
            fired.forEach(title -> md.append("- ").append(escape(title)).append('\n'));
        }
        List<Annotation> notes = observation.getNote();
        if (!notes.isEmpty()) {
            // What changed (after a correction), the level and its rules, and why each rule fired, in the words of
            // the Questionnaire the patient answered: the notes as the result page shows them.
            md.append("\n**Why**\n\n");
            notes.forEach(note -> md.append("- ").append(escape(note.getText())).append('\n'));
        }
        md.append("\n**Orders**\n\n");
        if (orders.isEmpty()) {
            md.append("- none\n");
        }
        Set<String> waiting =
                awaiting.stream().map(r -> r.getIdElement().getIdPart()).collect(Collectors.toSet());
        for (ServiceRequest order : orders) {
            md.append("- ")
                    .append(escape(orderName(order)))
                    .append(": ")
                    .append(order.hasIntent() ? order.getIntent().toCode() : "order")
                    .append(", status ")
                    .append(order.hasStatus() ? order.getStatus().toCode() : "unknown")
                    .append(", priority ")
                    .append(order.hasPriority() ? order.getPriority().toCode() : "routine");
            if (waiting.contains(order.getIdElement().getIdPart())) {
                md.append(", **awaiting a clinician's sign-off**");
            }
            md.append('\n');
        }
        md.append("\n**Review:** ")
                .append(reviewed ? "reviewed by a clinician" : "not yet reviewed by a clinician")
                .append("\n\n**Rules:** `")
                .append(observation.getMethod().getText())
                .append("`\n");
        return md.toString();
    }

    private CdsServiceResponseCardSourceJson source() {
        return new CdsServiceResponseCardSourceJson()
                .setLabel(SOURCE_LABEL)
                .setTopic(new CdsServiceResponseCodingJson()
                        .setSystem(TOPIC_SYSTEM)
                        .setCode(TOPIC_CODE)
                        .setDisplay(display(TOPIC_SYSTEM, TOPIC_CODE).orElse("Muscle twitch triage result")));
    }

    private List<CdsServiceResponseCodingJson> overrideReasons() {
        return feedback.reasons().stream()
                .map(reason -> new CdsServiceResponseCodingJson()
                        .setSystem(reason.system())
                        .setCode(reason.code())
                        .setDisplay(reason.display()))
                .toList();
    }

    /**
     * A SMART link to the clinician launch: the EHR adds {@code iss} and {@code launch}; {@code appContext} names the
     * result, for the launched pages to open.
     */
    private static CdsServiceResponseLinkJson link(String base, String submissionId, boolean signOff) {
        return new CdsServiceResponseLinkJson()
                .setLabel(
                        signOff
                                ? "Review and sign off the proposed orders in Twitch triage"
                                : "Open the triage result in Twitch triage")
                .setUrl(base + "/clinician/launch")
                .setType("smart")
                .setAppContext(FhirIds.reference("QuestionnaireResponse", submissionId));
    }

    private Optional<String> display(String system, String code) {
        return registry.byCanonical(CodeSystem.class, system)
                .flatMap(cs -> cs.getConcept().stream()
                        .filter(c -> code.equals(c.getCode()))
                        .findFirst())
                .map(CodeSystem.ConceptDefinitionComponent::getDisplay);
    }

    private static List<String> firedRules(Observation observation) {
        return TriageDocuments.firedRules(observation).stream()
                .map(component -> words(component.getCode()))
                .toList();
    }

    private static String levelCode(Observation observation) {
        return observation.getValueCodeableConcept().getCodingFirstRep().getCode();
    }

    /** The level as its CodeSystem names it (as the clinician pages do), else as the Observation words it. */
    private String levelName(Observation observation) {
        Coding level = observation.getValueCodeableConcept().getCodingFirstRep();
        return level.hasSystem() && level.hasCode()
                ? display(level.getSystem(), level.getCode()).orElse(words(observation.getValueCodeableConcept()))
                : words(observation.getValueCodeableConcept());
    }

    private static String orderName(ServiceRequest order) {
        return words(order.getCode());
    }

    private static String words(CodeableConcept concept) {
        if (concept.hasText()) {
            return concept.getText();
        }
        Coding coding = concept.getCodingFirstRep();
        return coding.hasDisplay() ? coding.getDisplay() : String.valueOf(coding.getCode());
    }

    private static int version(Observation observation) {
        String version = observation.getMeta().hasVersionId()
                ? observation.getMeta().getVersionId()
                : observation.getIdElement().getVersionIdPart();
        return version == null ? 1 : Integer.parseInt(version);
    }

    /** Text recorded by triage, made safe to put in markdown: its markup characters are shown as themselves. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.replace('\n', ' ').toCharArray()) {
            if ("\\`*_[]<>#|".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
