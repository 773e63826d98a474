package org.twitchtriage.delivery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAKey;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.ssl.pem.PemContent;

/**
 * The private key that signs SMART Backend Services client assertions, read once from
 * {@code ehr.auth.private-key-file}: a PEM file with an unencrypted PKCS#8 key, or a JSON file with a private
 * JWK or a JWK Set. Problems are reported with the setting's name and never with any of the key's content.
 *
 * @param privateKey the key, checked to suit the configured algorithm
 * @param keyId the JWK's {@code kid}, if the file is a JWK that has one
 */
public record SmartBackendKey(PrivateKey privateKey, String keyId) {

    private static final String SETTING = "ehr.auth.private-key-file";
    private static final String CONVERT = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out new.pem";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toString() {
        return "SmartBackendKey[" + privateKey.getAlgorithm() + ", kid=" + keyId + "]";
    }

    /**
     * @param keyId the configured {@code ehr.auth.key-id}; picks the key of a JWK Set that holds several
     * @throws IllegalStateException naming the setting and the problem
     */
    static SmartBackendKey read(Path file, SmartBackendAlgorithm algorithm, String keyId) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw problem(file, "cannot be read as a text file (" + e.getClass().getSimpleName() + ")");
        }
        SmartBackendKey key;
        if (content.startsWith("{")) {
            key = fromJwk(file, content, algorithm, keyId);
        } else if (content.contains("-----BEGIN ")) {
            key = new SmartBackendKey(fromPem(file, content), null);
        } else {
            throw problem(file, "holds neither a PEM private key nor a JWK");
        }
        check(file, key.privateKey(), algorithm);
        return key;
    }

    /**
     * Through Spring Boot's PEM reader, as Nimbus reads PEM only with BouncyCastle's PKIX library, which this
     * module does not have. Boot's reader would also take PKCS#1, SEC1 and encrypted keys: those are refused first,
     * with a hint.
     */
    private static PrivateKey fromPem(Path file, String content) {
        if (!content.contains("-----BEGIN PRIVATE KEY-----")) {
            throw problem(file, pemHint(content));
        }
        try {
            return Objects.requireNonNull(PemContent.of(content).getPrivateKey());
        } catch (RuntimeException e) {
            throw problem(file, "does not hold a valid PKCS#8 private key");
        }
    }

    private static String pemHint(String content) {
        if (content.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return "holds an encrypted key; give an unencrypted PKCS#8 key (BEGIN PRIVATE KEY)" + CONVERT;
        }
        boolean pkcs1 = content.contains("-----BEGIN RSA PRIVATE KEY-----");
        if (pkcs1 || content.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return "holds a " + (pkcs1 ? "PKCS#1" : "SEC1") + " key; give a PKCS#8 key (BEGIN PRIVATE KEY)" + CONVERT;
        }
        return "holds no PEM block BEGIN PRIVATE KEY";
    }

    private static SmartBackendKey fromJwk(Path file, String content, SmartBackendAlgorithm algorithm, String keyId) {
        Map<String, Object> json = jsonObject(file, content);
        JWK jwk = json.containsKey("keys") ? select(file, json, keyId) : parse(file, json, algorithm);
        String kty = jwk.getKeyType().getValue();
        if (!kty.equals(algorithm.keyType())) {
            throw mismatch(file, kty, algorithm);
        }
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm.name())) {
            throw problem(
                    file,
                    "holds a JWK for alg " + jwk.getAlgorithm().getName() + " but ehr.auth.algorithm is "
                            + algorithm.name());
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw problem(file, "holds a JWK for use " + jwk.getKeyUse().identifier() + ", not for signing (sig)");
        }
        if (!jwk.isPrivate()) {
            throw problem(file, "holds a public JWK; the private key (d) is needed");
        }
        if (jwk instanceof ECKey ec && !Curve.P_384.equals(ec.getCurve())) {
            throw problem(file, "holds an EC JWK on curve " + ec.getCurve() + "; ES384 needs P-384");
        }
        try {
            String kid = jwk.getKeyID() == null || jwk.getKeyID().isBlank() ? null : jwk.getKeyID();
            return new SmartBackendKey(((AsymmetricJWK) jwk).toPrivateKey(), kid);
        } catch (JOSEException e) {
            throw problem(file, "holds a JWK that is not a valid " + kty + " private key");
        }
    }

    /** Read with Jackson rather than Nimbus: its error gives the line without quoting the file. */
    private static Map<String, Object> jsonObject(Path file, String content) {
        try {
            return JSON.readValue(content, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            String line =
                    e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw problem(file, "is not valid JSON" + line);
        }
    }

    private static JWK parse(Path file, Map<String, Object> json, SmartBackendAlgorithm algorithm) {
        if (!(json.get("kty") instanceof String kty) || kty.isBlank()) {
            throw problem(file, "holds a JWK without kty");
        }
        if (!kty.equals(algorithm.keyType())) {
            throw mismatch(file, kty, algorithm);
        }
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw problem(file, "holds a JWK that is not a valid " + kty + " private key");
        }
    }

    /** The one private key of a JWK Set, or the one whose kid is the configured key id. */
    private static JWK select(Path file, Map<String, Object> json, String keyId) {
        List<JWK> candidates;
        try {
            JWKMatcher matcher =
                    new JWKMatcher.Builder().privateOnly(true).keyID(keyId).build();
            candidates = new JWKSelector(matcher).select(JWKSet.parse(json));
        } catch (ParseException e) {
            throw problem(file, "holds a JWK Set that is not valid");
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw problem(
                    file,
                    "holds a JWK Set without a private key"
                            + (keyId == null ? "" : " whose kid is ehr.auth.key-id (" + keyId + ")"));
        }
        throw problem(file, "holds a JWK Set with several private keys; set ehr.auth.key-id to the kid of one");
    }

    private static void check(Path file, PrivateKey key, SmartBackendAlgorithm algorithm) {
        if (!key.getAlgorithm().equals(algorithm.keyType())) {
            throw mismatch(file, key.getAlgorithm(), algorithm);
        }
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw problem(
                    file, "holds an RSA key of " + rsa.getModulus().bitLength() + " bits; RS384 needs at least 2048");
        }
        if (key instanceof ECPrivateKey ec && !Curve.P_384.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw problem(file, "holds an EC key that is not on P-384, which ES384 needs");
        }
    }

    private static IllegalStateException mismatch(Path file, String keyType, SmartBackendAlgorithm algorithm) {
        return problem(
                file,
                "holds an " + keyType + " key but ehr.auth.algorithm " + algorithm.name() + " needs an "
                        + algorithm.keyType() + " key");
    }

    private static IllegalStateException problem(Path file, String problem) {
        return new IllegalStateException(SETTING + " (" + file + ") " + problem);
    }
}
