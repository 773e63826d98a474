package org.twitchtriage.delivery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The signed JWT with which a SMART Backend Services client authenticates at the token endpoint
 * ({@code private_key_jwt}): {@code iss} and {@code sub} the client id, {@code aud} the token endpoint,
 * {@code exp} four minutes ahead (SMART allows at most five), a fresh {@code jti} each time.
 */
public final class SmartBackendClientAssertion {

    static final Duration LIFETIME = Duration.ofMinutes(4);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SmartBackendAlgorithm algorithm;
    private final PrivateKey key;
    private final String keyId;
    private final String clientId;

    SmartBackendClientAssertion(SmartBackendAlgorithm algorithm, PrivateKey key, String keyId, String clientId) {
        this.algorithm = algorithm;
        this.key = key;
        this.keyId = keyId;
        this.clientId = clientId;
    }

    /** A new assertion for this token endpoint, valid from {@code now} for {@link #LIFETIME}. */
    String create(URI tokenEndpoint, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm.name());
        header.put("kid", keyId);
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("aud", tokenEndpoint.toString());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature signature = Signature.getInstance(algorithm.signatureAlgorithm());
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Could not sign the SMART client assertion with " + algorithm.name() + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static String encode(Map<String, Object> json) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the SMART client assertion", e);
        }
    }
}
