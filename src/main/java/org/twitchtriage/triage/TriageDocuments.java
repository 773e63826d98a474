package org.twitchtriage.triage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.StringType;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.triage.RuleSet.GuidanceStep;
import org.twitchtriage.triage.TriageOutcome.FiredRule;
import org.twitchtriage.triage.TriageOutcome.MeasureValue;
import org.twitchtriage.triage.TriageOutcome.PlacedOrder;
import org.twitchtriage.triage.internal.TriageNote;

/**
 * Writes a {@link TriageOutcome} as FHIR (contract section 6): the triage Observation, one
 * ServiceRequest per order, the patient guidance Communication, the module's Device and a Provenance.
 * Ids and identifiers derive from the submission's key, so the same submission always gives the
 * same resources.
 */
public final class TriageDocuments {

    public static final String IDENTIFIER_BASE = FhirIds.CANONICAL_BASE + "/sid/";
    private static final String RULESET_EXTENSION = FhirIds.CANONICAL_BASE + "/StructureDefinition/triage-ruleset";
    /** Marks each guidance paragraph with its part, a code of the triage-guidance CodeSystem. */
    public static final String GUIDANCE_PART_EXTENSION = FhirIds.CANONICAL_BASE + "/StructureDefinition/guidance-part";

    private static final Coding SURVEY =
            new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey");
    private static final Coding INSTRUCTION =
            new Coding("http://terminology.hl7.org/CodeSystem/communication-category", "instruction", "Instruction");
    private static final Coding ASSEMBLER =
            new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler");
    private static final String NEEDS_REVIEW = "needs-review";
    private static final String NEEDS_REVIEW_TEXT = "Needs review: a rule could not be evaluated";

    private final TriageProperties properties;
    private final String moduleVersion;

    public TriageDocuments(TriageProperties properties, String moduleVersion) {
        this.properties = properties;
        this.moduleVersion = moduleVersion;
    }

    /**
     * Whether a component of a triage Observation is the marker that a rule could not be evaluated, so the
     * result needs a clinician's review; every other boolean component that is true is a rule that fired.
     */
    public static boolean marksNeedsReview(Observation.ObservationComponentComponent component) {
        return NEEDS_REVIEW.equals(component.getCode().getCodingFirstRep().getCode());
    }

    /** The components of a triage Observation that stand for the rules that fired, in the order written. */
    public static List<Observation.ObservationComponentComponent> firedRules(Observation observation) {
        return observation.getComponent().stream()
                .filter(component -> !marksNeedsReview(component)
                        && component.getValue() instanceof BooleanType yes
                        && yes.booleanValue())
                .toList();
    }

    /**
     * @param key what identifiers derive from: the stored response's id
     * @param now when the triage ran
     */
    public TriageResources write(QuestionnaireResponse response, String key, TriageOutcome outcome, Instant now) {
        Date issued = Date.from(now.truncatedTo(ChronoUnit.MILLIS));
        Device device = device(outcome);
        Observation observation = observation(response, key, outcome, issued);
        observation.setDevice(reference(device));
        List<ServiceRequest> orders = new ArrayList<>();
        for (PlacedOrder order : outcome.orders()) {
            orders.add(serviceRequest(response, key, order, observation, issued, outcome.ruleSet()));
        }
        Communication communication = communication(response, key, outcome, observation, orders, issued);
        List<Resource> written = new ArrayList<>();
        written.add(observation);
        written.addAll(orders);
        written.add(communication);
        Provenance provenance = provenance(response, key, written, device, issued, outcome.ruleSet());
        return Narratives.addTo(
                new TriageResources(observation, List.copyOf(orders), communication, provenance, device));
    }

    private Device device(TriageOutcome outcome) {
        Device device = new Device();
        device.setId(properties.deviceIdentifier());
        claim(device, outcome.ruleSet());
        device.addIdentifier(identifier("device", properties.deviceIdentifier()));
        device.addDeviceName().setName("twitch-triage").setType(Device.DeviceNameType.USERFRIENDLYNAME);
        device.addVersion().setValue(moduleVersion);
        device.setOwner(new Reference(properties.requesterOrganization()));
        return device;
    }

    private Observation observation(QuestionnaireResponse response, String key, TriageOutcome outcome, Date issued) {
        RuleSet rules = outcome.ruleSet();
        Observation observation = new Observation();
        observation.setId(key);
        claim(observation, rules);
        observation.addExtension(RULESET_EXTENSION, new CanonicalType(rules.canonical()));
        observation.addIdentifier(identifier("triage-observation", key));
        observation.setStatus(
                outcome.needsReview()
                        ? Observation.ObservationStatus.PRELIMINARY
                        : Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(SURVEY.copy()));
        observation.setCode(new CodeableConcept(rules.resultCode().copy()));
        observation.setSubject(response.getSubject().copy());
        if (response.hasEncounter()) {
            observation.setEncounter(response.getEncounter().copy());
        }
        observation.setEffective(new DateTimeType(response.getAuthoredElement().getValueAsString()));
        observation.setIssued(issued);
        observation.setValue(new CodeableConcept(outcome.level().code().copy())
                .setText(outcome.level().title()));
        for (FiredRule fired : outcome.fired()) {
            observation
                    .addComponent()
                    .setCode(new CodeableConcept(ruleCoding(fired.rule()))
                            .setText(fired.rule().title()))
                    .setValue(new BooleanType(true));
        }
        for (MeasureValue measure : outcome.measures()) {
            if (measure.value() != null) {
                observation
                        .addComponent()
                        .setCode(new CodeableConcept(measure.measure().code().copy())
                                .setText(measure.measure().title()))
                        .setValue(new IntegerType(measure.value()));
            }
        }
        if (outcome.needsReview()) {
            Coding marker = new Coding(rules.rules().get(0).code().getSystem(), NEEDS_REVIEW, null);
            observation
                    .addComponent()
                    .setCode(new CodeableConcept(marker).setText(NEEDS_REVIEW_TEXT))
                    .setValue(new BooleanType(true));
        }
        observation.addDerivedFrom(reference(response));
        observation.setMethod(new CodeableConcept().setText(rules.canonical()));
        TriageNote.explain(response, outcome).forEach(line -> observation.addNote(new Annotation().setText(line)));
        return observation;
    }

    private ServiceRequest serviceRequest(
            QuestionnaireResponse response,
            String key,
            PlacedOrder order,
            Observation observation,
            Date issued,
            RuleSet rules) {
        RuleSet.Orderable what = order.orderable();
        ServiceRequest request = new ServiceRequest();
        String code = what.code().getCode();
        request.setId(key + "-" + code);
        if (what.profile() != null) {
            request.getMeta().addProfile(what.profile());
        } else {
            claim(request, rules);
        }
        request.addIdentifier(identifier("triage-order", key + "-" + code));
        if (order.requisitionGroup() != null) {
            request.setRequisition(identifier("requisition", key + "-" + order.requisitionGroup()));
        }
        request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequestIntent.fromCode(properties.intent().code()));
        if (what.category() != null) {
            request.addCategory(what.category().copy());
        }
        request.setCode(new CodeableConcept(what.code().copy()));
        request.setPriority(order.priority());
        request.setSubject(response.getSubject().copy());
        if (response.hasEncounter()) {
            request.setEncounter(response.getEncounter().copy());
        }
        if (order.occurrenceDays() != null) {
            Instant authored = response.getAuthored().toInstant();
            request.setOccurrence(new Period()
                    .setStart(response.getAuthored())
                    .setEnd(Date.from(authored.plus(order.occurrenceDays(), ChronoUnit.DAYS))));
        }
        request.setAuthoredOn(issued);
        request.setRequester(new Reference(properties.requesterOrganization()));
        if (what.performerType() != null) {
            request.setPerformerType(what.performerType().copy());
        }
        order.reasons().forEach(reason -> request.addReasonCode(new CodeableConcept(reason.copy())));
        request.addReasonReference(reference(observation));
        request.addSupportingInfo(reference(response));
        if (what.patientInstruction() != null) {
            request.setPatientInstruction(what.patientInstruction());
        }
        return request;
    }

    private Communication communication(
            QuestionnaireResponse response,
            String key,
            TriageOutcome outcome,
            Observation observation,
            List<ServiceRequest> orders,
            Date issued) {
        Communication communication = new Communication();
        communication.setId(key);
        claim(communication, outcome.ruleSet());
        communication.addIdentifier(identifier("triage-guidance", key));
        communication.setStatus(Communication.CommunicationStatus.COMPLETED);
        communication.addCategory(new CodeableConcept(INSTRUCTION.copy()));
        communication.setSubject(response.getSubject().copy());
        communication.addRecipient(response.getSubject().copy());
        if (response.hasEncounter()) {
            communication.setEncounter(response.getEncounter().copy());
        }
        communication.setSent(issued);
        communication.addAbout(reference(observation));
        orders.forEach(order -> communication.addBasedOn(reference(order)));
        RuleSet rules = outcome.ruleSet();
        guidance(
                communication,
                "level-message",
                outcome.level().title() + ". " + outcome.level().message());
        if (outcome.level().timeFrame() != null) {
            guidance(communication, "time-frame", outcome.level().timeFrame());
        }
        if (!outcome.steps().isEmpty()) {
            if (rules.selfCareTitle() != null) {
                guidance(communication, "self-care-plan", rules.selfCareTitle() + ":");
            }
            int number = 1;
            for (GuidanceStep step : outcome.steps()) {
                guidance(communication, "self-care-step", number++ + ". " + step.title() + ". " + step.text());
            }
        }
        for (ServiceRequest order : orders) {
            if (order.hasPatientInstruction()) {
                guidance(communication, "order-instruction", order.getPatientInstruction());
            }
        }
        if (rules.warningSigns() != null) {
            if (rules.warningSigns().title() != null) {
                guidance(communication, "warning-signs", rules.warningSigns().title());
            }
            rules.warningSigns().signs().forEach(sign -> guidance(communication, "warning-sign", sign));
        }
        return communication;
    }

    /** One paragraph for the patient, marked with what part of the guidance it is, so pages need not guess. */
    private static void guidance(Communication communication, String part, String text) {
        Communication.CommunicationPayloadComponent payload = communication.addPayload();
        payload.addExtension(GUIDANCE_PART_EXTENSION, new CodeType(part));
        payload.setContent(new StringType(text));
    }

    private Provenance provenance(
            QuestionnaireResponse response,
            String key,
            List<Resource> written,
            Device device,
            Date issued,
            RuleSet rules) {
        Provenance provenance = new Provenance();
        provenance.setId(key);
        claim(provenance, rules);
        written.forEach(resource -> provenance.addTarget(reference(resource)));
        provenance.setRecorded(issued);
        provenance
                .addAgent()
                .setType(new CodeableConcept(ASSEMBLER.copy()))
                .setWho(reference(device))
                .setOnBehalfOf(new Reference(properties.requesterOrganization()));
        provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(reference(response));
        return provenance;
    }

    /** Declares the profile the rules name for this type of resource, if any. */
    private static void claim(Resource resource, RuleSet rules) {
        String profile = rules.outputProfiles().get(resource.fhirType());
        if (profile != null) {
            resource.getMeta().addProfile(profile);
        }
    }

    private static Coding ruleCoding(RuleSet.Rule rule) {
        return new Coding(rule.code().getSystem(), rule.code().getCode(), rule.title());
    }

    private static Reference reference(Resource resource) {
        return new Reference(FhirIds.reference(resource));
    }

    private static Identifier identifier(String kind, String value) {
        return new Identifier().setSystem(IDENTIFIER_BASE + kind).setValue(value);
    }
}
