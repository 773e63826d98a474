package org.twitchtriage.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.twitchtriage.testing.FhirRequests;

/**
 * The module is killed (SIGKILL) while a delivery is in flight: after a restart the delivery resumes
 * and completes, and the resend is the same conditional-create transaction, so the EHR creates nothing twice.
 * On H2 the accepted submission and its delivery survive only because every commit was in the file before the
 * module went on: H2's own writer is told to wait a minute.
 */
class CrashRecoveryIT {

    private final Path logs = Path.of("target"); // the killed instance's log stays there for inspection

    @Test
    void aKilledInstanceLosesNothingAndResendsTheSameTransaction() throws Exception {
        EhrStub.reset();
        // The first request is held long enough for the instance to be killed while waiting for it.
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .inScenario("crash")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(4000).withTransformers(EhrStub.TRANSACTION))
                .willSetStateTo("after-crash"));
        EhrStub.SERVER.stubFor(WireMock.post(urlEqualTo("/fhir"))
                .inScenario("crash")
                .whenScenarioStateIs("after-crash")
                .willReturn(aResponse().withStatus(200).withTransformers(EhrStub.TRANSACTION)));
        List<String> arguments = slowH2Writer(DeliveryApps.arguments("crash_recovery", "--ehr.request-timeout=5s"));
        int port = freePort();

        Process process = launch(arguments, port);
        String id;
        try {
            String base = "http://localhost:" + port + "/fhir";
            // A separate JVM starts slowly on a busy 2-core machine.
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> answers(base));
            id = FhirRequests.submit(base, benign().answer("spreading", true).build());
            String submitted = id;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !EhrStub.requestsFor(submitted).isEmpty());
        } finally {
            process.destroyForcibly().waitFor();
        }

        List<String> restart = DeliveryApps.with(arguments, "--ehr.request-timeout=1s");
        try (ConfigurableApplicationContext second = DeliveryApps.start(restart)) {
            String base = DeliveryApps.base(second);
            assertThat(FhirRequests.status(base, id)).as("nothing lost").isEqualTo("pending");
            String submitted = id;
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "delivered".equals(FhirRequests.status(base, submitted)));
        }
        List<Bundle> sent = EhrStub.requestsFor(id).stream()
                .map(r -> EhrStub.FHIR.newJsonParser().parseResource(Bundle.class, r.getBodyAsString()))
                .toList();
        assertThat(sent).hasSize(2);
        assertThat(conditions(sent.get(1))).isEqualTo(conditions(sent.get(0)));
    }

    /**
     * On H2, its background writer told to wait a minute: what the killed instance had answered for is in the file
     * only because each commit was written before the module went on.
     */
    private static List<String> slowH2Writer(List<String> arguments) {
        return arguments.stream()
                .map(a -> {
                    if (!a.startsWith("--spring.datasource.url=jdbc:h2:")) {
                        return a;
                    }
                    assertThat(a).contains(";WRITE_DELAY=500;");
                    return a.replace(";WRITE_DELAY=500;", ";WRITE_DELAY=60000;");
                })
                .toList();
    }

    private static List<String> conditions(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getFullUrl() + " " + e.getRequest().getIfNoneExist())
                .toList();
    }

    private Process launch(List<String> arguments, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.twitchtriage.TwitchTriageApplication"));
        arguments.stream().filter(a -> !a.startsWith("--server.port=")).forEach(command::add);
        command.add("--server.port=" + port);
        File log = logs.resolve("crash-recovery-instance.log").toFile();
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }

    private static boolean answers(String base) {
        try {
            return FhirRequests.get(base, "/metadata").statusCode() == 200;
        } catch (IllegalStateException notListeningYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
