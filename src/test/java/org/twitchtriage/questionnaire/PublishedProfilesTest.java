package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.ExtensionContextType;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageResources;
import org.twitchtriage.triage.TriageRules;

/**
 * What FHIR tooling reads from the published definitions: the SDC profile the Questionnaires claim,
 * where the project's extensions may be used, and which elements of the written resources a receiver
 * must support (contract section 6).
 */
class PublishedProfilesTest {

    private static final String SDC_QUESTIONNAIRE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire";
    private static final String OUR_EXTENSIONS = "http://twitchtriage.org/fhir/StructureDefinition/";

    /** Contract section 6 as data: the elements each profile marks must-support. */
    private static final Map<String, Set<String>> MUST_SUPPORT = Map.of(
            "Observation",
                    Set.of(
                            "identifier",
                            "status",
                            "category",
                            "code",
                            "subject",
                            "encounter",
                            "effective[x]",
                            "issued",
                            "device",
                            "value[x]",
                            "note",
                            "method",
                            "method.text",
                            "derivedFrom",
                            "component",
                            "component.code",
                            "component.value[x]"),
            "ServiceRequest",
                    Set.of(
                            "identifier",
                            "requisition",
                            "status",
                            "intent",
                            "category",
                            "priority",
                            "code",
                            "subject",
                            "encounter",
                            "occurrence[x]",
                            "authoredOn",
                            "requester",
                            "performerType",
                            "reasonCode",
                            "reasonReference",
                            "supportingInfo",
                            "patientInstruction"),
            "Communication",
                    Set.of(
                            "identifier",
                            "basedOn",
                            "status",
                            "category",
                            "subject",
                            "about",
                            "encounter",
                            "sent",
                            "recipient",
                            "payload",
                            "payload.content[x]"),
            "Provenance",
                    Set.of(
                            "target",
                            "recorded",
                            "activity",
                            "agent",
                            "agent.type",
                            "agent.who",
                            "agent.onBehalfOf",
                            "entity",
                            "entity.role",
                            "entity.what"),
            "Device", Set.of("identifier", "deviceName"));

    @Test
    void everyPublishedQuestionnaireDeclaresTheSdcProfile() {
        List<Questionnaire> questionnaires = Content.registry().all(Questionnaire.class);

        assertThat(questionnaires)
                .isNotEmpty()
                .allSatisfy(questionnaire -> assertThat(questionnaire.getMeta().getProfile())
                        .extracting(CanonicalType::getValue)
                        .as(questionnaire.getUrl() + "|" + questionnaire.getVersion())
                        .contains(SDC_QUESTIONNAIRE));
    }

    @Test
    void extensionsNameTheElementsTheyMayBeUsedOn() {
        List<StructureDefinition> extensions = extensionDefinitions();

        assertThat(extensions)
                .isNotEmpty()
                .allSatisfy(extension -> assertThat(extension.getContext())
                        .as(extension.getUrl())
                        .isNotEmpty()
                        .allMatch(context ->
                                context.getType() == ExtensionContextType.ELEMENT && context.hasExpression()));
    }

    @Test
    void everyExtensionIsUsedOnlyWhereItsDefinitionAllowsIt() throws Exception {
        Map<String, Set<String>> allowed = extensionDefinitions().stream()
                .collect(Collectors.toMap(
                        StructureDefinition::getUrl,
                        sd -> sd.getContext().stream()
                                .map(c -> c.getExpression())
                                .collect(Collectors.toSet())));
        List<Resource> resources = new ArrayList<>(Content.registry().all());
        resources.addAll(written().all());

        Map<String, Set<String>> used = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (Resource resource : resources) {
            JsonNode tree = json.readTree(Content.FHIR.newJsonParser().encodeResourceToString(resource));
            collectExtensions(tree, resource.fhirType(), used);
        }

        assertThat(used).containsKeys(allowed.keySet().toArray(String[]::new));
        used.forEach((url, paths) -> assertThat(allowed.getOrDefault(url, Set.of()))
                .as("contexts of %s, used on %s", url, paths)
                .containsAll(paths));
    }

    @Test
    void profilesMarkMustSupportWhatTheContractRequires() {
        Map<String, Set<String>> marked = new TreeMap<>();
        List<String> requiredButNotMarked = new ArrayList<>();
        for (StructureDefinition profile : resourceProfiles()) {
            Set<String> elements = new TreeSet<>();
            for (ElementDefinition element : profile.getDifferential().getElement()) {
                String path =
                        element.getPath().substring(profile.getType().length()).replaceFirst("^\\.", "");
                if (element.getMustSupport()) {
                    elements.add(path);
                } else if (element.getMin() > 0 && !path.isEmpty()) {
                    requiredButNotMarked.add(element.getPath());
                }
            }
            marked.put(profile.getType(), elements);
        }

        assertThat(marked).isEqualTo(new TreeMap<>(MUST_SUPPORT));
        assertThat(requiredButNotMarked).isEmpty();
    }

    private static List<StructureDefinition> extensionDefinitions() {
        return Content.registry().all(StructureDefinition.class).stream()
                .filter(sd -> "Extension".equals(sd.getType()) && sd.getUrl().startsWith(OUR_EXTENSIONS))
                .toList();
    }

    private static List<StructureDefinition> resourceProfiles() {
        return Content.registry().all(StructureDefinition.class).stream()
                .filter(sd -> sd.getKind() == StructureDefinitionKind.RESOURCE)
                .toList();
    }

    /** Records, per extension of ours, the element paths (without list positions) it is used on. */
    private static void collectExtensions(JsonNode node, String path, Map<String, Set<String>> used) {
        if (node.isArray()) {
            node.forEach(item -> collectExtensions(item, path, used));
            return;
        }
        node.fields().forEachRemaining(field -> {
            if (field.getKey().equals("extension") || field.getKey().equals("modifierExtension")) {
                field.getValue().forEach(extension -> {
                    String url = extension.path("url").asText();
                    if (url.startsWith(OUR_EXTENSIONS)) {
                        used.computeIfAbsent(url, u -> new TreeSet<>()).add(path);
                    }
                });
            } else if (field.getValue().isContainerNode()) {
                collectExtensions(field.getValue(), path + "." + field.getKey(), used);
            }
        });
    }

    private static TriageResources written() {
        TriageEngine engine = new TriageEngine(Content.FHIR);
        QuestionnaireResponse response = ChecklistResponses.benign().build();
        response.setId("qr-1");
        return new TriageDocuments(
                        new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage"),
                        "1.0")
                .write(
                        response,
                        "qr-1",
                        engine.evaluate(
                                response,
                                new TriageRules(Content.registry(), engine)
                                        .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                                        .orElseThrow()),
                        Instant.parse("2026-11-24T10:00:00Z"));
    }
}
