package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/**
 * Nothing a portal sends reaches the log: valid, invalid and unparseable submissions carrying a marker in every
 * free-text place a response has (item texts, Coding displays, an extension, the identifier, the subject's
 * display; the checklist itself has no free-text items) leave no trace of it, at the default levels and with
 * the application's own logging at DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestContentLoggingIT extends IntegrationTest {

    private final String marker = "LOGMARKER" + UUID.randomUUID().toString().replace("-", "");

    @AfterEach
    void defaultLevels() {
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel("org.twitchtriage", null);
    }

    @Test
    void atTheDefaultLevels(CapturedOutput output) {
        submitEverything();

        // The capture sees the application's log (a WARN line is logged at any level this test runs with).
        LoggerFactory.getLogger("org.twitchtriage.capture-check").warn("capture check");
        assertThat(output.getAll()).contains("capture check").doesNotContain(marker);
    }

    @Test
    void withTheApplicationsLoggingAtDebug(CapturedOutput output) {
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel("org.twitchtriage", LogLevel.DEBUG);

        submitEverything();

        assertThat(output.getAll()).contains("Accepted QuestionnaireResponse/").doesNotContain(marker);
    }

    private void submitEverything() {
        String valid = json(marked(benign()));
        assertThat(post("/QuestionnaireResponse", JSON, valid).statusCode()).isEqualTo(201);
        assertThat(post("/QuestionnaireResponse", JSON, valid).statusCode()).isEqualTo(200);
        assertThat(post("/QuestionnaireResponse/$submit", JSON, json(marked(benign())))
                        .statusCode())
                .isEqualTo(200);
        assertThat(post("/QuestionnaireResponse/$triage", JSON, json(marked(benign())))
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(
                                "/QuestionnaireResponse",
                                "application/fhir+xml",
                                FHIR.newXmlParser().encodeResourceToString(marked(benign())))
                        .statusCode())
                .isEqualTo(201);

        QuestionnaireResponse invalid = marked(benign().answer("weakness", true));
        ChecklistResponses.item(invalid, "duration").getAnswerFirstRep().setValue(new Coding("urn:x", marker, marker));
        outcome(post("/QuestionnaireResponse", JSON, json(invalid)), 422);
        outcome(post("/QuestionnaireResponse/$submit", JSON, json(invalid)), 422);

        String unparseable = valid.replaceFirst("\"authored\":\"[^\"]*\"", "\"authored\":\"" + marker + "\"");
        outcome(post("/QuestionnaireResponse", JSON, unparseable), 400);
        outcome(post("/QuestionnaireResponse", JSON, valid.replaceFirst("\\{", "{\"" + marker + "\":1,")), 400);
        outcome(post("/QuestionnaireResponse", JSON, valid.replace("\"completed\"", marker)), 400);
        outcome(
                post(
                        "/QuestionnaireResponse?_format=xml",
                        "application/fhir+xml",
                        "<QuestionnaireResponse xmlns=\"http://hl7.org/fhir\"><status value=\"" + marker + "\"/>"
                                + "</QuestionnaireResponse>"),
                400);
        outcome(post("/QuestionnaireResponse", JSON, valid.replace(marker, marker + "x".repeat(40_000))), 400);
        outcome(get("/QuestionnaireResponse?identifier=" + marker + "&authored=" + marker), 400);
        HttpResponse<String> search = get("/QuestionnaireResponse?identifier=urn:test:log%7C" + marker);
        assertThat(search.statusCode()).isEqualTo(200);
    }

    /** The response with the marker in every free-text place, and an identifier of its own. */
    private QuestionnaireResponse marked(ChecklistResponses builder) {
        QuestionnaireResponse response = builder.identifier("urn:test:log", marker + "-" + UUID.randomUUID())
                .build();
        response.getSubject().setDisplay(marker);
        response.getItemFirstRep().setText(marker);
        ChecklistResponses.item(response, "weakness").setText(marker + " weakness?");
        ChecklistResponses.item(response, "locations")
                .getAnswerFirstRep()
                .getValueCoding()
                .setDisplay(marker);
        response.addExtension("urn:test:portal-note", new StringType(marker));
        response.getMeta().addTag("urn:test:tags", marker, marker);
        return response;
    }
}
