package org.twitchtriage.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.twitchtriage.TwitchTriageApplication;
import org.twitchtriage.testing.TestDatabase;

/** Instances of the module started by a test itself, delivering to the WireMock EHR. */
final class DeliveryApps {

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
        Map<String, String> byKey = new LinkedHashMap<>();
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
}
