package org.twitchtriage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: the FHIR server for the muscle-twitch checklist. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TwitchTriageApplication {

    public static void main(String[] args) {
        SpringApplication.run(TwitchTriageApplication.class, args);
    }
}
