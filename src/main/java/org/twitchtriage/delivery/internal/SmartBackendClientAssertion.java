package org.twitchtriage.delivery.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.URI;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The signed JWT with which a SMART Backend Services client authenticates at the token endpoint
 * ({@code private_key_jwt}): {@code iss} and {@code sub} the client id, {@code aud} the token endpoint,
 * {@code exp} four minutes ahead (SMART allows at most five), a fresh {@code jti} each time.
 */
public final class SmartBackendClientAssertion {

    static final Duration LIFETIME = Duration.ofMinutes(4);

    private final SmartBackendAlgorithm algorithm;
    private final PrivateKey key;
    private final JWSHeader header;
    private final ClientID clientId;

    /** @param key checked to suit the algorithm by {@link SmartBackendKey} */
    SmartBackendClientAssertion(SmartBackendAlgorithm algorithm, PrivateKey key, String keyId, String clientId) {
        this.algorithm = algorithm;
        this.key = key;
        // SMART asks for typ JWT, which the OAuth2 SDK's own assertion builder leaves out.
        this.header = new JWSHeader.Builder(algorithm.jwsAlgorithm())
                .keyID(keyId)
                .type(JOSEObjectType.JWT)
                .build();
        this.clientId = new ClientID(clientId);
    }

    /** A new assertion for this token endpoint, valid from {@code now} for {@link #LIFETIME}. */
    PrivateKeyJWT create(URI tokenEndpoint, Instant now) {
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(
                clientId,
                new Audience(tokenEndpoint).toSingleAudienceList(),
                Date.from(now.plus(LIFETIME)),
                null,
                Date.from(now),
                new JWTID(UUID.randomUUID().toString()));
        try {
            JWSSigner signer = algorithm == SmartBackendAlgorithm.RS384
                    ? new RSASSASigner(key)
                    : new ECDSASigner(key, Curve.P_384);
            SignedJWT jwt = new SignedJWT(header, claims.toJWTClaimsSet());
            jwt.sign(signer);
            return new PrivateKeyJWT(jwt);
        } catch (JOSEException | IllegalArgumentException e) {
            // Nimbus wraps the JCA's exception, whose name says more.
            Throwable reason = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(
                    "Could not sign the SMART client assertion with " + algorithm.name() + " ("
                            + reason.getClass().getSimpleName() + ")",
                    e);
        }
    }
}
