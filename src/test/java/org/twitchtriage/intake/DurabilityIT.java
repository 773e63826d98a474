package org.twitchtriage.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

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
import org.twitchtriage.testing.FhirRequests;

/** An accepted submission survives the application stopping and starting again on the same H2 file. */
class DurabilityIT {

    @TempDir
    Path dataDirectory;

    @Test
    void aSubmissionIsStillThereAfterARestart() throws Exception {
        String url = "jdbc:h2:file:" + dataDirectory.resolve("twitch-triage")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=500;AUTO_COMPACT_FILL_RATE=0";
        QuestionnaireResponse sent = benign().identifier(
                        "urn:test:portal", UUID.randomUUID().toString())
                .build();

        String id;
        try (ConfigurableApplicationContext first = start(url)) {
            id = FhirRequests.submit(base(first), sent);
        }

        try (ConfigurableApplicationContext second = start(url)) {
            HttpResponse<String> read = FhirRequests.get(base(second), "/QuestionnaireResponse/" + id);
            assertThat(read.statusCode()).isEqualTo(200);
            QuestionnaireResponse stored = FhirRequests.parse(QuestionnaireResponse.class, read);
            assertThat(stored.getIdentifier().getValue())
                    .isEqualTo(sent.getIdentifier().getValue());
            assertThat(stored.getItem()).hasSize(3);
            HttpResponse<String> again = FhirRequests.post(
                    base(second), "/QuestionnaireResponse", FhirRequests.JSON, FhirRequests.json(sent));
            assertThat(again.statusCode())
                    .as("idempotency survives the restart")
                    .isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(TwitchTriageApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + url);
    }

    private static String base(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return "http://localhost:" + port + "/fhir";
    }
}
