package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.util.Date;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twitchtriage.fhir.internal.FhirConfiguration;

/**
 * The JSON written for storage is HAPI's JSON, byte for byte: written directly for what the module's resources
 * hold, by HAPI's parser for anything else.
 */
class ResourceJsonTest {

    private static final FhirContext FHIR = FhirConfiguration.newContext();
    private final ResourceJson json = new ResourceJson(FHIR);

    private static String hapi(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    @Test
    void writesEveryKindOfValueAsHapiDoes() {
        Observation observation = new Observation();
        observation.setId("obs-1");
        observation.getMeta().setVersionId("3").setLastUpdated(new Date(1_790_000_000_123L));
        observation
                .getText()
                .setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString(
                        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Twitching &amp; cramps — \"calf\" &lt;left&gt;</p></div>");
        observation.addExtension("https://example.org/ext/a", new StringType("ä ö ü \u00e9 \u2013 tab\there"));
        Extension nested = observation.addExtension().setUrl("https://example.org/ext/nested");
        nested.addExtension("part", new IntegerType(42));
        nested.addExtension("flag", new BooleanType(false));
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory().addCoding(new Coding("http://example.org/cs", "c1", "One"));
        observation
                .getCode()
                .setText("Line one\nline two \\ \"quoted\" \u0001 \u001f \b\f\r\t / \u2028 \u007f \ud83d\ude00 é");
        observation.setSubject(new Reference("Patient/p-1").setDisplay("A person"));
        observation.setEffective(new DateTimeType("2026-11-24T10:00:00+01:00"));
        observation.setValue(new Quantity().setValue(new BigDecimal("12.50")).setUnit("mm"));
        observation.addNote().setText("first");
        observation.addNote().setText("second");
        observation
                .addComponent()
                .setCode(new CodeableConcept().setText("part"))
                .setValue(new BooleanType(true));
        observation
                .addComponent()
                .setCode(new CodeableConcept().setText("count"))
                .setValue(new IntegerType(-7));
        observation.getCategoryFirstRep().setId("element-id");
        observation.addPerformer(new Reference().setDisplay("display only"));
        observation.addPerformer(new Reference("https://ehr.example.org/fhir/Practitioner/9"));
        observation.setIssuedElement(null);
        observation.addIdentifier(); // empty: written by neither
        observation.setEffective(new Period().setStart(new Date(0)));

        assertThat(json.encodeDirectly(observation)).isNotNull().isEqualTo(hapi(observation));
        assertThat(json.encode(observation)).isEqualTo(hapi(observation));
    }

    @Test
    void writesTagsAndSecurityLabels() {
        Patient patient = new Patient();
        patient.setId("p-3");
        patient.getMeta().addTag("urn:example:portal", "web", "Web portal");
        patient.getMeta().addTag().setCode("code-only");
        patient.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null);

        assertThat(json.encodeDirectly(patient)).isNotNull().isEqualTo(hapi(patient));
    }

    @Test
    void takesTheVersionFromTheIdWhenMetaHasNone() {
        Patient patient = new Patient();
        patient.setId("Patient/p-2/_history/4");
        patient.addName().setFamily("Example");

        assertThat(json.encodeDirectly(patient))
                .isNotNull()
                .isEqualTo(hapi(patient))
                .contains("\"versionId\":\"4\"");
    }

    @Test
    void writesAResourceWithoutIdOrMeta() {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        response.addItem().setLinkId("a").addAnswer().setValue(new Coding("s", "c", null));
        response.getItemFirstRep().addItem().setLinkId("a.1").addAnswer().setValue(new StringType("x"));

        assertThat(json.encodeDirectly(response)).isNotNull().isEqualTo(hapi(response));
    }

    @Test
    void emptyExtensionsAreLeftOutAsHapiLeavesThemOut() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addExtension(new Extension());
        observation.addModifierExtension(new Extension());
        observation.getCode().addExtension(new Extension());
        observation.getCode().setText("code");

        assertThat(json.encodeDirectly(observation)).isNotNull().isEqualTo(hapi(observation));
    }

    @Test
    void emptyElementsAtAnyDepthAreLeftOutAsHapiLeavesThemOut() {
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setId("qr-empty-parts");
        response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        response.getIdentifier(); // an empty single value
        response.getMeta(); // empty meta
        response.addItem(); // an array whose first value is empty
        QuestionnaireResponse.QuestionnaireResponseItemComponent item =
                response.addItem().setLinkId("q1");
        item.addAnswer(); // an empty answer before one with a value
        item.addAnswer().setValue(new Coding("s", "c", null));
        item.addItem().addAnswer().setValue(new Coding()); // nested three deep, empty all the way down
        response.addItem().addItem().addItem(); // an array of nothing but empty values
        response.getSubject().getIdentifier().getType().addCoding(); // empty under a value that has nothing else
        response.getAuthor().setReference("Practitioner/pr-1").getIdentifier().getPeriod(); // empty beside content
        response.getSource().setId("only-an-id"); // an element id alone is content

        String written = json.encodeDirectly(response);

        assertThat(written).isNotNull().isEqualTo(hapi(response));
        assertThat(written)
                .doesNotContain("\"identifier\"", "\"subject\"", "\"meta\"", "{}", "[]")
                .contains("\"source\":{\"id\":\"only-an-id\"}");
    }

    static Stream<Arguments> leftToHapi() {
        return Stream.of(
                Arguments.of("a contained resource", (Consumer<Observation>) o -> {
                    o.addContained(new Patient().setId("#p"));
                    o.setSubject(new Reference("#p"));
                }),
                Arguments.of("a modifier extension", (Consumer<Observation>)
                        o -> o.addModifierExtension(new Extension("https://example.org/m", new BooleanType(true)))),
                Arguments.of("an extension on a primitive", (Consumer<Observation>) o ->
                        o.getStatusElement().addExtension(new Extension("https://example.org/p", new StringType("x")))),
                Arguments.of("an id on a primitive", (Consumer<Observation>)
                        o -> o.getStatusElement().setId("status-id")),
                Arguments.of("a versioned reference", (Consumer<Observation>)
                        o -> o.setSubject(new Reference("Patient/p-1/_history/2"))),
                Arguments.of("a reference holding a resource", (Consumer<Observation>)
                        o -> o.setSubject(new Reference(new Patient().setId("Patient/p-3")))),
                Arguments.of("a tag with neither system nor code", (Consumer<Observation>)
                        o -> o.getMeta().addTag(null, null, "display only")),
                Arguments.of("an id that is a URN", (Consumer<Observation>)
                        o -> o.setId("urn:uuid:0c2a1e0e-3f3f-4f4f-8a8a-123456789abc")),
                Arguments.of("a comment", (Consumer<Observation>)
                        o -> o.getCode().getFormatCommentsPre().add("a comment")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leftToHapi")
    void leavesToHapiWhatOnlyItsParserWrites(String what, Consumer<Observation> change) {
        Observation observation = new Observation();
        observation.setId("obs-2");
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("code");
        change.accept(observation);

        assertThat(json.encodeDirectly(observation)).isNull();
        assertThat(json.encode(observation)).isEqualTo(hapi(observation));
    }

    @Test
    void anExtensionWithoutValueIsLeftToHapi() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation
                .addExtension()
                .setUrl("https://example.org/empty-but-for-an-id")
                .setId("x");

        assertThat(json.encodeDirectly(observation)).isNull();
        assertThat(json.encode(observation)).isEqualTo(hapi(observation));
    }
}
