package org.twitchtriage.delivery.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The Authorization header for requests to the EHR. */
public interface EhrAuthorization {

    /**
     * Called for every request to the EHR. A token that cannot be had (smart-backend) is an
     * {@link IOException}: the delivery is retried later, as when the EHR is unreachable.
     *
     * @param renew the last token was refused (401): get a fresh one
     */
    Optional<String> header(boolean renew) throws IOException, InterruptedException;

    /** Whether a 401 is worth one more try with a renewed credential. */
    default boolean canRenew() {
        return false;
    }

    /** Like {@link #of(EhrProperties.Auth)}, and smart-backend can discover its token endpoint from the base URL. */
    static EhrAuthorization of(EhrProperties properties) {
        if (properties.auth().type() == EhrProperties.AuthType.SMART_BACKEND) {
            return SmartBackendAuthorization.create(properties);
        }
        return of(properties.auth());
    }

    /**
     * @throws IllegalStateException naming the setting that the type needs and that is missing or wrong; for
     *     smart-backend without the EHR's base URL, {@code ehr.auth.token-endpoint} is needed
     */
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
                String header =
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
                yield renew -> Optional.of(header);
            }
            case SMART_BACKEND -> SmartBackendAuthorization.create(auth);
        };
    }

    private static String required(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(setting + " must be set for this ehr.auth.type");
        }
        return value;
    }
}
