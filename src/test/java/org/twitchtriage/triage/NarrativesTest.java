package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import ca.uhn.fhir.narrative.CustomThymeleafNarrativeGenerator;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/** Every written resource carries readable, escaped, valid XHTML that says what the resource says. */
class NarrativesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Set<String> ELEMENTS =
            Set.of("div", "h3", "p", "b", "span", "table", "tbody", "tr", "th", "td", "ul", "li");
    private static final String HOSTILE = "<script>alert('x')</script><a href=\"https://example.org\">more</a> & more";

    private static TriageEngine engine;
    private static RuleSet rules;
    private static TriageDocuments documents;

    @BeforeAll
    static void setUp() {
        engine = new TriageEngine(Content.FHIR);
        rules = new TriageRules(Content.registry(), engine)
                .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                .orElseThrow();
        documents = new TriageDocuments(
                new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage"), "1.0");
    }

    @Test
    void everyWrittenResourceCarriesGeneratedXhtmlThatHapiReadsBack() {
        TriageResources resources = write(soon());

        assertThat(resources.all())
                .extracting(Resource::fhirType)
                .contains("Device", "Observation", "ServiceRequest", "Communication", "Provenance");
        for (Resource resource : resources.all()) {
            Narrative text = ((DomainResource) resource).getText();
            assertThat(text.getStatus()).as(resource.fhirType()).isEqualTo(Narrative.NarrativeStatus.GENERATED);
            assertThat(elementsOf(text.getDiv()))
                    .as(resource.fhirType())
                    .isNotEmpty()
                    .allMatch(ELEMENTS::contains);
            assertThat(attributesBelow(text.getDiv())).as(resource.fhirType()).isEmpty();
            DomainResource read = (DomainResource) Content.FHIR
                    .newJsonParser()
                    .setParserErrorHandler(new StrictErrorHandler())
                    .parseResource(Content.FHIR.newJsonParser().encodeResourceToString(resource));
            assertThat(read.getText().getDivAsString()).isEqualTo(text.getDivAsString());
        }
    }

    @Test
    void theObservationShowsLevelFindingsAndTheExplanation() {
        Observation observation = write(soon()).observation();

        String text = observation.getText().getDiv().allText();
        assertThat(text)
                .contains(
                        observation.getValueCodeableConcept().getText(),
                        "soon",
                        observation.getNoteFirstRep().getText(),
                        observation.getMethod().getText());
        observation.getComponent().stream()
                .filter(c -> c.hasValueBooleanType())
                .forEach(c -> assertThat(text)
                        .contains(c.getCode().getCodingFirstRep().getDisplay()));
    }

    @Test
    void aServiceRequestShowsCodePriorityStatusIntentAndInstruction() {
        ServiceRequest referral = write(soon()).serviceRequests().stream()
                .filter(r -> "183521007".equals(r.getCode().getCodingFirstRep().getCode()))
                .findFirst()
                .orElseThrow();

        XhtmlNode div = referral.getText().getDiv();
        assertThat(div.allText())
                .contains(
                        referral.getCode().getCodingFirstRep().getDisplay(),
                        "Neurologist",
                        referral.getPatientInstruction());
        assertThat(row(div, "Priority")).isEqualTo("routine");
        assertThat(row(div, "Status")).isEqualTo("active");
        assertThat(row(div, "Intent")).isEqualTo("order");
    }

    @Test
    void theCommunicationShowsEveryGuidanceParagraphInOrder() {
        Communication communication =
                write(benign().codes("triggers", "poor-sleep").build()).communication();

        List<String> payload = communication.getPayload().stream()
                .map(p -> p.getContentStringType().getValue())
                .toList();
        assertThat(payload).hasSizeGreaterThan(3);
        assertThat(texts(communication.getText().getDiv(), "p")).containsExactlyElementsOf(payload);
    }

    @Test
    void provenanceAndDeviceSayWhoAssembledTheResult() {
        TriageResources resources = write(soon());

        assertThat(resources.provenance().getText().getDiv().allText())
                .contains("Assembler", "Device", "on behalf of Organization/site-1", "QuestionnaireResponse");
        assertThat(resources.device().getText().getDiv().allText()).contains("twitch-triage", "1.0");
    }

    @Test
    void textFromTheContentIsEscapedAndStaysValidForTheProfile() {
        Observation observation = write(soon()).observation();
        observation.setNote(new ArrayList<>(List.of(new Annotation().setText(HOSTILE))));

        Narratives.narrate(observation);

        XhtmlNode div = observation.getText().getDiv();
        assertThat(div.allText()).contains(HOSTILE);
        assertThat(elementsOf(div)).doesNotContain("script", "a");
        assertThat(observation.getText().getDivAsString()).contains("&lt;script&gt;");
        assertThat(new ProfileValidator(Content.FHIR, Content.registry()).errors(observation))
                .isEmpty();
    }

    @Test
    void aChangedResourceIsNarratedAfresh() {
        ServiceRequest request = write(soon()).serviceRequests().get(0);
        request.setIntent(ServiceRequestIntent.PROPOSAL);
        Narratives.narrate(request);
        assertThat(row(request.getText().getDiv(), "Intent")).isEqualTo("proposal");

        request.setIntent(ServiceRequestIntent.ORDER);
        Narratives.narrate(request);

        assertThat(row(request.getText().getDiv(), "Intent")).isEqualTo("order");
    }

    /**
     * Narratives are built in Java, without a template engine or an XHTML parser on the path of a submission: the
     * JSON of every written resource is what HAPI's own generator makes of it with the reference templates (test
     * resources), hostile text, line breaks and runs of whitespace too.
     */
    @Test
    void theTextIsWhatHapisGeneratorWrites() {
        CustomThymeleafNarrativeGenerator hapi =
                new CustomThymeleafNarrativeGenerator("classpath:narrative/narratives.properties");
        List<QuestionnaireResponse> responses = List.of(
                benign().build(),
                soon(),
                benign().answer("numbness-tingling", true).build(),
                benign().codes("locations", "eyelid")
                        .codes("triggers", "stress", "poor-sleep")
                        .build());
        IParser json = Content.FHIR.newJsonParser();
        for (QuestionnaireResponse response : responses) {
            TriageResources resources = write(response);
            resources
                    .observation()
                    .setNote(List.of(
                            new Annotation().setText(HOSTILE),
                            new Annotation().setText("  two\tspaces  and\r\na line\nbreak "),
                            new Annotation().setText(" \n\t "),
                            new Annotation()
                                    .setText("\"Quoted\" 'text', curly “quotes” & an emoji \uD83D\uDE00 past the BMP"),
                            new Annotation().setText("")));
            resources.serviceRequests().forEach(order -> order.setPatientInstruction("\tIndented\n\nparagraphs\n"));
            for (Resource resource : resources.all()) {
                Narratives.narrate(resource);
                String ours = json.encodeResourceToString(resource);
                Resource theirs = resource.copy();
                ((DomainResource) theirs).setText(null);
                assertThat(hapi.populateResourceNarrative(Content.FHIR, theirs)).isTrue();
                assertThat(ours).as(resource.fhirType()).isEqualTo(json.encodeResourceToString(theirs));
            }
        }
    }

    @Test
    void aResourceTypeWithoutATemplateIsRefused() {
        assertThatThrownBy(() -> Narratives.narrate(new Patient()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Patient");
    }

    private static QuestionnaireResponse soon() {
        return benign().answer("weakness", true)
                .answer("weakness-progressive", true)
                .build();
    }

    private static TriageResources write(QuestionnaireResponse response) {
        response.setId("qr-1");
        return documents.write(response, "qr-1", engine.evaluate(response, rules), NOW);
    }

    /** The text of the cell beside the header cell {@code header}. */
    private static String row(XhtmlNode div, String header) {
        for (XhtmlNode tr : all(div, "tr")) {
            List<XhtmlNode> cells = tr.getChildNodes().stream()
                    .filter(n -> n.getNodeType() == NodeType.Element)
                    .toList();
            if (cells.size() == 2 && header.equals(cells.get(0).allText())) {
                return cells.get(1).allText();
            }
        }
        throw new AssertionError("no row '" + header + "' in " + div.allText());
    }

    private static List<String> texts(XhtmlNode node, String name) {
        return all(node, name).stream().map(XhtmlNode::allText).toList();
    }

    private static List<XhtmlNode> all(XhtmlNode node, String name) {
        List<XhtmlNode> found = new ArrayList<>();
        for (XhtmlNode child : node.getChildNodes()) {
            if (child.getNodeType() == NodeType.Element) {
                if (name.equals(child.getName())) {
                    found.add(child);
                }
                found.addAll(all(child, name));
            }
        }
        return found;
    }

    private static List<String> elementsOf(XhtmlNode node) {
        List<String> names = new ArrayList<>();
        if (node.getNodeType() == NodeType.Element) {
            names.add(node.getName());
        }
        node.getChildNodes().forEach(child -> names.addAll(elementsOf(child)));
        return names;
    }

    /** Attributes of the elements inside the root div (the root carries only the XHTML namespace). */
    private static List<String> attributesBelow(XhtmlNode div) {
        List<String> attributes = new ArrayList<>();
        for (XhtmlNode child : div.getChildNodes()) {
            if (child.getNodeType() == NodeType.Element) {
                attributes.addAll(child.getAttributes().keySet());
                attributes.addAll(attributesBelow(child));
            }
        }
        return attributes;
    }
}
