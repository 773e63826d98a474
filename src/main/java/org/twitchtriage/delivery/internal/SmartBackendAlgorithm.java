package org.twitchtriage.delivery.internal;

/** How a SMART Backend Services client assertion is signed: the JWS {@code alg} and its JCA counterpart. */
public enum SmartBackendAlgorithm {

    /** RSASSA-PKCS1-v1_5 with SHA-384; an RSA key of at least 2048 bits. */
    RS384("RSA", "SHA384withRSA"),

    /** ECDSA on P-384 with SHA-384; the signature is R || S (48 bytes each), as JWS wants it. */
    ES384("EC", "SHA384withECDSAinP1363Format");

    private final String keyType;
    private final String signatureAlgorithm;

    SmartBackendAlgorithm(String keyType, String signatureAlgorithm) {
        this.keyType = keyType;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA key algorithm, which is also the JWK {@code kty}: {@code RSA} or {@code EC}. */
    String keyType() {
        return keyType;
    }

    /** The JCA signature algorithm. */
    String signatureAlgorithm() {
        return signatureAlgorithm;
    }
}
