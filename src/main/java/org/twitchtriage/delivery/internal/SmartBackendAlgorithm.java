package org.twitchtriage.delivery.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyType;

/** How a SMART Backend Services client assertion is signed: the JWS {@code alg}. */
public enum SmartBackendAlgorithm {

    /** RSASSA-PKCS1-v1_5 with SHA-384; an RSA key of at least 2048 bits. */
    RS384(JWSAlgorithm.RS384),

    /** ECDSA on P-384 with SHA-384. */
    ES384(JWSAlgorithm.ES384);

    private final JWSAlgorithm jwsAlgorithm;

    SmartBackendAlgorithm(JWSAlgorithm jwsAlgorithm) {
        this.jwsAlgorithm = jwsAlgorithm;
    }

    JWSAlgorithm jwsAlgorithm() {
        return jwsAlgorithm;
    }

    /** The JWK {@code kty}, which is also the JCA key algorithm: {@code RSA} or {@code EC}. */
    String keyType() {
        return KeyType.forAlgorithm(jwsAlgorithm).getValue();
    }
}
