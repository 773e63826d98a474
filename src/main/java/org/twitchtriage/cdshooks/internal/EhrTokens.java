package org.twitchtriage.cdshooks.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twitchtriage.cdshooks.CdsHooksProperties;
import org.twitchtriage.cdshooks.CdsHooksProperties.TrustedIssuer;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.CallNotAuthorizedException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.KeysUnavailableException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.LoopbackOnlyException;
import org.twitchtriage.security.Caller;

/**
 * Who is calling the CDS Hooks service: the EHR, as its signed JWT says (CDS Hooks 2.0, "Trusting CDS Clients").
 * A JWT is accepted when its issuer is trusted ({@code cds-hooks.trusted-issuers}), it is signed by a key of that
 * issuer's JWK set named by its {@code kid}, its {@code aud} names the endpoint called, it has not expired (60
 * seconds' allowance for clock skew) and its {@code jti} was not seen before. A JWT is required whenever a trusted
 * issuer is configured or the module runs secured; otherwise (development mode) the service is open on loopback
 * only, as {@code /fhir} is.
 */
final class EhrTokens {

    private static final Logger log = LoggerFactory.getLogger(EhrTokens.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    private static final int READ_TIMEOUT_MS = 5_000;
    private static final int JWK_SET_LIMIT = 256 * 1024;

    private final Map<String, ConfigurableJWTProcessor<SecurityContext>> processors = new HashMap<>();
    private final boolean required;
    private final SeenTokenIds seen;

    EhrTokens(CdsHooksProperties properties, boolean secured, Clock clock) {
        for (TrustedIssuer issuer : properties.trustedIssuers()) {
            processors.put(issuer.issuer(), processor(issuer));
        }
        this.required = secured || !processors.isEmpty();
        this.seen = new SeenTokenIds(clock);
        if (!processors.isEmpty() && properties.baseUrl() == null) {
            throw new IllegalStateException("cds-hooks.base-url must be set when cds-hooks.trusted-issuers are:"
                    + " the EHR's JWTs name the service's URL as their audience");
        }
        if (secured && processors.isEmpty()) {
            log.warn("CDS Hooks: no trusted issuer is configured (cds-hooks.trusted-issuers), so every hook call is"
                    + " refused");
        }
    }

    /**
     * The caller of a hook or feedback call.
     *
     * @param audiences the URLs the JWT may name as {@code aud}: the endpoint called
     */
    Caller check(HttpServletRequest request, Collection<String> audiences) {
        if (!required) {
            loopbackOnly(request);
            return Caller.development();
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new CallNotAuthorizedException(
                    "A CDS Hooks call needs the EHR's signed JWT: send it as 'Authorization: Bearer <JWT>'");
        }
        SignedJWT jwt = parse(header.substring(7).trim());
        String issuer = issuer(jwt);
        ConfigurableJWTProcessor<SecurityContext> processor = processors.get(issuer);
        if (processor == null) {
            throw new CallNotAuthorizedException("The JWT's issuer (iss) is not a trusted CDS client here");
        }
        if (jwt.getHeader().getKeyID() == null) {
            throw new CallNotAuthorizedException("The JWT's header names no key (kid)");
        }
        JWTClaimsSet claims = verified(processor, jwt);
        if (claims.getAudience().stream().noneMatch(audiences::contains)) {
            throw new CallNotAuthorizedException("The JWT is for another audience: its aud must be "
                    + audiences.iterator().next());
        }
        switch (seen.use(
                issuer,
                claims.getJWTID(),
                claims.getExpirationTime().toInstant().plus(SKEW))) {
            case REPLAY ->
                throw new CallNotAuthorizedException(
                        "The JWT was used before (its jti was seen); each call" + " needs a JWT of its own");
            case FULL -> throw new KeysUnavailableException();
            case FIRST -> {}
        }
        return new Caller(Caller.Kind.SYSTEM, issuer, claims.getSubject(), claims.getSubject(), null, null, List.of());
    }

    /** A call that needs no JWT (discovery): open, but on loopback only in development mode. */
    void checkOpen(HttpServletRequest request) {
        if (!required) {
            loopbackOnly(request);
        }
    }

    private static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new CallNotAuthorizedException("The bearer token is not a signed JWT");
        }
    }

    private static String issuer(SignedJWT jwt) {
        try {
            String issuer = jwt.getJWTClaimsSet().getIssuer();
            if (issuer == null) {
                throw new CallNotAuthorizedException("The JWT names no issuer (iss)");
            }
            return issuer;
        } catch (ParseException e) {
            throw new CallNotAuthorizedException("The JWT's claims are not a JSON object");
        }
    }

    private static JWTClaimsSet verified(ConfigurableJWTProcessor<SecurityContext> processor, SignedJWT jwt) {
        try {
            return processor.process(jwt, null);
        } catch (KeySourceException e) {
            log.warn(
                    "CDS Hooks: the JWK set of a trusted issuer could not be read: {}",
                    e.getClass().getSimpleName());
            throw new KeysUnavailableException();
        } catch (BadJWTException e) {
            throw new CallNotAuthorizedException(
                    "The JWT was not accepted: it is expired or not yet valid, or lacks exp, aud or jti");
        } catch (BadJOSEException | JOSEException e) {
            throw new CallNotAuthorizedException("The JWT was not accepted: it is not signed by a key of its issuer's"
                    + " JWK set (with its kid and an RSA or EC algorithm)");
        }
    }

    private static ConfigurableJWTProcessor<SecurityContext> processor(TrustedIssuer issuer) {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(
                            issuer.jwkSetUrl().toURL(),
                            new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, JWK_SET_LIMIT))
                    .retrying(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cds-hooks.trusted-issuers: the jwk-set-url of " + issuer.issuer() + " is not a URL");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(ALGORITHMS), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                null, new JWTClaimsSet.Builder().issuer(issuer.issuer()).build(), Set.of("iss", "aud", "exp", "jti"));
        claims.setMaxClockSkew((int) SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    private static void loopbackOnly(HttpServletRequest request) {
        try {
            if (!InetAddress.getByName(request.getLocalAddr()).isLoopbackAddress()) {
                throw new LoopbackOnlyException();
            }
        } catch (UnknownHostException e) {
            throw new LoopbackOnlyException();
        }
    }
}
