package org.twitchtriage.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.twitchtriage.TwitchTriageApplication;
import org.twitchtriage.testing.TestDatabase;

/** Instances of the module started by a test itself, delivering to the WireMock EHR. */
final class DeliveryApps {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DeliveryApps() {}

    /** The settings every instance of one test shares: its own database, the stub EHR, quick retries. */
    static List<String> arguments(String database, String... more) {
        List<String> arguments = new ArrayList<>(TestDatabase.arguments(database));
        arguments.addAll(List.of(
                "--server.port=0",
                "--ehr.base-url=" + EhrStub.baseUrl(),
                "--ehr.poll-interval=50ms",
                "--ehr.request-timeout=1s",
                "--ehr.retry.initial-interval=100ms",
                "--ehr.retry.max-interval=500ms",
                "--spring.main.banner-mode=off"));
        return with(arguments, more);
    }

    /** The arguments with some replaced or added: a later --key=value wins over an earlier one. */
    static List<String> with(List<String> arguments, String... more) {
        java.util.Map<String, String> byKey = new java.util.LinkedHashMap<>();
        for (String argument : arguments) {
            byKey.put(argument.split("=", 2)[0], argument);
        }
        for (String argument : more) {
            byKey.put(argument.split("=", 2)[0], argument);
        }
        return new ArrayList<>(byKey.values());
    }

    static ConfigurableApplicationContext start(List<String> arguments) {
        return new SpringApplicationBuilder(TwitchTriageApplication.class).run(arguments.toArray(String[]::new));
    }

    static String base(ConfigurableApplicationContext context) {
        return "http://localhost:"
                + ((WebServerApplicationContext) context).getWebServer().getPort() + "/fhir";
    }

    static String submit(String base, QuestionnaireResponse response) {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/QuestionnaireResponse"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        EhrStub.FHIR.newJsonParser().encodeResourceToString(response)))
                .build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return EhrStub.FHIR
                .newJsonParser()
                .parseResource(QuestionnaireResponse.class, created.body())
                .getIdPart();
    }

    static String status(String base, String id) {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(base + "/QuestionnaireResponse/" + id + "/$delivery-status"))
                        .GET()
                        .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters parameters = EhrStub.FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        return parameters.getParameter().stream()
                .filter(p -> p.getName().equals("status"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .primitiveValue();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
