package org.twitchtriage.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The Authorization header for requests to the EHR. */
interface EhrAuthorization {

    /** @param renew the last token was refused (401): get a fresh one */
    Optional<String> header(boolean renew);

    /** Whether a 401 is worth one more try with a renewed credential. */
    default boolean canRenew() {
        return false;
    }

    static EhrAuthorization of(EhrProperties.Auth auth) {
        return switch (auth.type()) {
            case NONE -> renew -> Optional.empty();
            case BEARER -> {
                String token = required(auth.token(), "ehr.auth.token");
                yield renew -> Optional.of("Bearer " + token);
            }
            case BASIC -> {
                String credentials = required(auth.username(), "ehr.auth.username") + ":"
                        + required(auth.password(), "ehr.auth.password");
                String header = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
                yield renew -> Optional.of(header);
            }
        };
    }

    private static String required(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(setting + " must be set for this ehr.auth.type");
        }
        return value;
    }
}
