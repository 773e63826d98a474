package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.twitchtriage.TwitchTriageApplication;

/** An accepted submission survives the application stopping and starting again on the same H2 file. */
class DurabilityIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDirectory;

    @Test
    void aSubmissionIsStillThereAfterARestart() throws Exception {
        String url = "jdbc:h2:file:" + dataDirectory.resolve("twitch-triage") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        QuestionnaireResponse sent = benign().identifier(
                        "urn:test:portal", UUID.randomUUID().toString())
                .build();

        String id;
        try (ConfigurableApplicationContext first = start(url)) {
            HttpResponse<String> created = HTTP.send(
                    HttpRequest.newBuilder(uri(first, "/QuestionnaireResponse"))
                            .header("Content-Type", "application/fhir+json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    FHIR.newJsonParser().encodeResourceToString(sent)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            id = FHIR.newJsonParser()
                    .parseResource(QuestionnaireResponse.class, created.body())
                    .getIdPart();
        }

        try (ConfigurableApplicationContext second = start(url)) {
            HttpResponse<String> read = get(second, "/QuestionnaireResponse/" + id);
            assertThat(read.statusCode()).isEqualTo(200);
            QuestionnaireResponse stored = FHIR.newJsonParser().parseResource(QuestionnaireResponse.class, read.body());
            assertThat(stored.getIdentifier().getValue())
                    .isEqualTo(sent.getIdentifier().getValue());
            assertThat(stored.getItem()).hasSize(3);
            HttpResponse<String> again = HTTP.send(
                    HttpRequest.newBuilder(uri(second, "/QuestionnaireResponse"))
                            .header("Content-Type", "application/fhir+json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    FHIR.newJsonParser().encodeResourceToString(sent)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode())
                    .as("idempotency survives the restart")
                    .isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(TwitchTriageApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + url);
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri(context, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext context, String path) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://localhost:" + port + "/fhir" + path);
    }
}
