package org.twitchtriage.security.internal.sandbox;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.twitchtriage.security.internal.DevelopmentMode;

/**
 * The sandbox's demo users have well-known passwords, so it must never be reachable from another machine: it
 * starts only when the module and its management endpoints listen on loopback.
 */
final class SandboxAddress {

    private SandboxAddress() {}

    /** Stops start-up unless {@code server.address} (and a separate management address) is a loopback address. */
    static void check(Environment environment) {
        String address = environment.getProperty("server.address");
        if (!StringUtils.hasText(address) || !DevelopmentMode.isLoopback(address)) {
            throw new IllegalStateException("The sandbox profile (an authorization server with demo users whose"
                    + " passwords are public) listens on loopback only, but server.address is "
                    + (StringUtils.hasText(address) ? address : "not set (every interface)")
                    + ". Set server.address to 127.0.0.1, or do not activate the sandbox profile.");
        }
        String management = environment.getProperty("management.server.address");
        if (environment.getProperty("management.server.port") != null
                && (!StringUtils.hasText(management) || !DevelopmentMode.isLoopback(management))) {
            throw new IllegalStateException("The sandbox profile listens on loopback only: with"
                    + " management.server.port set, set management.server.address to 127.0.0.1 as well");
        }
    }
}
