package org.twitchtriage;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.twitchtriage.intake.TriageCommand;
import org.twitchtriage.simulation.SimulateCommand;

/** Entry point: the FHIR server for the muscle-twitch checklist, or the {@code triage} or {@code simulate} command. */
// No user store: callers are identified by bearer tokens (or not at all, in development mode). The authorization
// server's library is there for the sandbox profile only, which configures it itself: Boot's defaults would make
// a signing key and server settings in every mode.
@SpringBootApplication(
        exclude = {
            UserDetailsServiceAutoConfiguration.class,
            OAuth2AuthorizationServerAutoConfiguration.class,
            OAuth2AuthorizationServerJwtAutoConfiguration.class
        })
@ConfigurationPropertiesScan
public class TwitchTriageApplication {

    /** The JVM system property that turns H2's process-wide value cache on or off. */
    static final String H2_OBJECT_CACHE = "h2.objectCache";

    public static void main(String[] args) {
        embeddedDatabaseDefaults();
        if (args.length > 0 && TriageCommand.NAME.equals(args[0])) {
            System.exit(TriageCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        if (args.length > 0 && SimulateCommand.NAME.equals(args[0])) {
            System.exit(SimulateCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        SpringApplication.run(TwitchTriageApplication.class, args);
    }

    /**
     * H2's value cache (on unless told otherwise) hashes every string bound to a statement, each stored resource's
     * JSON included, and keeps the last thousand of them reachable, for hits that only short repeated values get.
     * Off unless the operator set it; it must be decided before H2's classes load. Nothing else changes: H2 then
     * makes a new value where it would have shared one.
     */
    static void embeddedDatabaseDefaults() {
        if (System.getProperty(H2_OBJECT_CACHE) == null) {
            System.setProperty(H2_OBJECT_CACHE, "false");
        }
    }
}
