package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.twitchtriage.fhir.internal.StoredJsonAnswer;
import org.twitchtriage.storage.StoredJson;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/**
 * A create or an update is answered with the JSON just stored: the same bytes and headers a read of the stored
 * version returns. A client asking for anything but plain JSON gets HAPI's encoding of the same resource.
 */
class StoredJsonAnswerIT extends IntegrationTest {

    @Autowired
    private ServletRegistrationBean<? extends RestfulServer> fhirServlet;

    private static ChecklistResponses fresh() {
        return benign().identifier("urn:test:stored-answer", UUID.randomUUID().toString());
    }

    @Test
    void theAnswerToACreateIsTheStoredJsonWithTheHeadersOfARead() {
        HttpResponse<String> created = post("/QuestionnaireResponse", JSON, json(fresh().build()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(fhirBase() + "/QuestionnaireResponse/[0-9a-f-]{36}/_history/1");
        assertThat(created.headers().firstValue("Content-Location")).hasValue(location);

        HttpResponse<String> read = get(location.substring(fhirBase().length()));

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(created.body()).isEqualTo(read.body());
        for (String header : List.of("Content-Type", "ETag", "Last-Modified")) {
            assertThat(created.headers().firstValue(header))
                    .as(header)
                    .isPresent()
                    .isEqualTo(read.headers().firstValue(header));
        }
        String stored = StoredJson.text(jdbc.queryForObject(
                "select resource_json from questionnaire_response where id = ?",
                byte[].class,
                location.split("/")[location.split("/").length - 3]));
        assertThat(created.body()).isEqualTo(stored);
    }

    @Test
    void theAnswerToAnUpdateIsTheStoredVersion() {
        String id = submit(fresh());
        QuestionnaireResponse correction = benign().answer("numbness-tingling", true)
                .status(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)
                .build();
        correction.setId(id);

        HttpResponse<String> updated = put("/QuestionnaireResponse/" + id, JSON, json(correction));

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(updated.headers().firstValue("ETag")).hasValue("W/\"2\"");
        assertThat(updated.body())
                .isEqualTo(get("/QuestionnaireResponse/" + id + "/_history/2").body());
    }

    @Test
    void aClientAskingForMoreThanPlainJsonGetsHapisEncodingOfTheSameResource() {
        HttpResponse<String> pretty = post("/QuestionnaireResponse?_pretty=true", JSON, json(fresh().build()));
        HttpResponse<String> xml =
                post("/QuestionnaireResponse", JSON, json(fresh().build()), "Accept", "application/fhir+xml");

        assertThat(pretty.statusCode()).as(pretty.body()).isEqualTo(201);
        assertThat(pretty.body()).startsWith("{\n  \"resourceType\": \"QuestionnaireResponse\"");
        String location = pretty.headers().firstValue("Location").orElseThrow();
        QuestionnaireResponse read = parse(
                QuestionnaireResponse.class, get(location.substring(fhirBase().length())));
        assertThat(parse(QuestionnaireResponse.class, pretty).equalsDeep(read)).isTrue();
        assertThat(xml.statusCode()).as(xml.body()).isEqualTo(201);
        assertThat(xml.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/fhir+xml"));
        assertThat(xml.body()).startsWith("<QuestionnaireResponse xmlns=\"http://hl7.org/fhir\">");
    }

    @Test
    void everythingASubmissionStoresIsHapisJsonWrittenWithoutHapisParser() {
        String id = submit(fresh().answer("numbness-tingling", true));
        List<byte[]> bytes = new ArrayList<>();
        bytes.add(
                jdbc.queryForObject("select resource_json from questionnaire_response where id = ?", byte[].class, id));
        bytes.addAll(jdbc.queryForList(
                "select resource_json from triage_resource where submission_id = ?", byte[].class, id));
        bytes.addAll(jdbc.queryForList(
                "select e.resource_json from audit_event e join audit_event_entity t on t.audit_id = e.id"
                        + " where t.entity_type = 'QuestionnaireResponse' and t.entity_id = ?",
                byte[].class,
                id));
        List<String> stored = bytes.stream().map(StoredJson::text).toList();
        ResourceJson writer = new ResourceJson(FHIR);

        assertThat(stored).hasSizeGreaterThan(5);
        for (String json : stored) {
            IBaseResource resource = FHIR.newJsonParser().parseResource(json);
            assertThat(FHIR.newJsonParser().encodeResourceToString(resource)).isEqualTo(json);
            assertThat(writer.encodeDirectly(resource)).isEqualTo(json);
        }
    }

    @Test
    void theAnswerIsWrittenByTheServersLastOutgoingHook() {
        assertThat(fhirServlet.getServlet().getInterceptorService().getAllRegisteredInterceptors())
                .last()
                .isInstanceOf(StoredJsonAnswer.class);
    }
}
