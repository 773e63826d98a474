package org.twitchtriage.delivery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
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
            key = new SmartBackendKey(fromPem(file, content, algorithm), null);
        } else {
            throw problem(file, "holds neither a PEM private key nor a JWK");
        }
        check(file, key.privateKey(), algorithm);
        return key;
    }

    private static PrivateKey fromPem(Path file, String content, SmartBackendAlgorithm algorithm) {
        Matcher block = PEM.matcher(content);
        List<String> labels = new ArrayList<>();
        while (block.find()) {
            String label = block.group(1);
            if (label.equals("PRIVATE KEY")) {
                byte[] der;
                try {
                    der = Base64.getMimeDecoder().decode(block.group(2).strip());
                } catch (IllegalArgumentException e) {
                    throw problem(file, "has a PRIVATE KEY block that is not valid base64");
                }
                return pkcs8(file, der, algorithm);
            }
            labels.add(label);
        }
        if (labels.contains("ENCRYPTED PRIVATE KEY")) {
            throw problem(file, "holds an encrypted key; give an unencrypted PKCS#8 key (BEGIN PRIVATE KEY)" + CONVERT);
        }
        if (labels.contains("RSA PRIVATE KEY") || labels.contains("EC PRIVATE KEY")) {
            throw problem(
                    file,
                    "holds a " + (labels.contains("RSA PRIVATE KEY") ? "PKCS#1" : "SEC1")
                            + " key; give a PKCS#8 key (BEGIN PRIVATE KEY)" + CONVERT);
        }
        throw problem(file, "holds no PEM block BEGIN PRIVATE KEY");
    }

    private static PrivateKey pkcs8(Path file, byte[] der, SmartBackendAlgorithm algorithm) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance(algorithm.keyType()).generatePrivate(spec);
        } catch (GeneralSecurityException expectedType) {
            for (SmartBackendAlgorithm other : SmartBackendAlgorithm.values()) {
                try {
                    PrivateKey key = KeyFactory.getInstance(other.keyType()).generatePrivate(spec);
                    throw mismatch(file, key.getAlgorithm(), algorithm);
                } catch (GeneralSecurityException notThisType) {
                    // try the next type
                }
            }
            throw problem(file, "does not hold a valid PKCS#8 private key");
        }
    }

    private static SmartBackendKey fromJwk(Path file, String content, SmartBackendAlgorithm algorithm, String keyId) {
        JsonNode json;
        try {
            json = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            // The parser's message can quote the file; say only where it went wrong.
            throw problem(file, "is not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
        JsonNode jwk = json.has("keys") ? select(file, json.get("keys"), keyId) : json;
        String kty = text(jwk, "kty");
        if (kty == null) {
            throw problem(file, "holds a JWK without kty");
        }
        if (!kty.equals(algorithm.keyType())) {
            throw mismatch(file, kty, algorithm);
        }
        String alg = text(jwk, "alg");
        if (alg != null && !alg.equals(algorithm.name())) {
            throw problem(file, "holds a JWK for alg " + alg + " but ehr.auth.algorithm is " + algorithm.name());
        }
        String use = text(jwk, "use");
        if (use != null && !use.equals("sig")) {
            throw problem(file, "holds a JWK for use " + use + ", not for signing (sig)");
        }
        if (text(jwk, "d") == null) {
            throw problem(file, "holds a public JWK; the private key (d) is needed");
        }
        try {
            KeySpec spec = kty.equals("RSA") ? rsa(file, jwk) : ec(file, jwk);
            return new SmartBackendKey(KeyFactory.getInstance(kty).generatePrivate(spec), text(jwk, "kid"));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw problem(file, "holds a JWK that is not a valid " + kty + " private key");
        }
    }

    /** The one private key of a JWK Set, or the one whose kid is the configured key id. */
    private static JsonNode select(Path file, JsonNode keys, String keyId) {
        List<JsonNode> candidates = new ArrayList<>();
        for (JsonNode key : keys) {
            if (key.has("d") && (keyId == null || keyId.equals(text(key, "kid")))) {
                candidates.add(key);
            }
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

    private static KeySpec rsa(Path file, JsonNode jwk) {
        BigInteger n = number(file, jwk, "n");
        BigInteger e = number(file, jwk, "e");
        BigInteger d = number(file, jwk, "d");
        List<String> crt = List.of("p", "q", "dp", "dq", "qi");
        if (crt.stream().allMatch(name -> text(jwk, name) != null)) {
            return new RSAPrivateCrtKeySpec(
                    n,
                    e,
                    d,
                    number(file, jwk, "p"),
                    number(file, jwk, "q"),
                    number(file, jwk, "dp"),
                    number(file, jwk, "dq"),
                    number(file, jwk, "qi"));
        }
        return new RSAPrivateKeySpec(n, d);
    }

    private static KeySpec ec(Path file, JsonNode jwk) throws GeneralSecurityException {
        String crv = text(jwk, "crv");
        if (!"P-384".equals(crv)) {
            throw problem(file, "holds an EC JWK on curve " + crv + "; ES384 needs P-384");
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp384r1"));
        return new ECPrivateKeySpec(number(file, jwk, "d"), parameters.getParameterSpec(ECParameterSpec.class));
    }

    private static BigInteger number(Path file, JsonNode jwk, String name) {
        String value = text(jwk, name);
        if (value == null) {
            throw problem(file, "holds a JWK without " + name);
        }
        try {
            return new BigInteger(1, Base64.getUrlDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            throw problem(file, "holds a JWK whose " + name + " is not base64url");
        }
    }

    private static void check(Path file, PrivateKey key, SmartBackendAlgorithm algorithm) {
        if (!key.getAlgorithm().equals(algorithm.keyType())) {
            throw mismatch(file, key.getAlgorithm(), algorithm);
        }
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw problem(
                    file, "holds an RSA key of " + rsa.getModulus().bitLength() + " bits; RS384 needs at least 2048");
        }
        if (key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw problem(file, "holds an EC key that is not on P-384, which ES384 needs");
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
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
