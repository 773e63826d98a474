package org.twitchtriage.security.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestTemplate;

/**
 * Opaque access tokens, checked at the authorization server's RFC 7662 introspection endpoint: Spring
 * Boot's {@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri}, {@code client-id} and
 * {@code client-secret} (the module's own credentials at that endpoint, sent as HTTP Basic). Spring
 * Security's introspector makes the call and refuses inactive tokens; {@link CachingIntrospector} checks
 * the rest of the answer and remembers it briefly.
 */
final class TokenIntrospection {

    private static final Logger log = LoggerFactory.getLogger(TokenIntrospection.class);
    private static final String OPAQUE = "spring.security.oauth2.resourceserver.opaquetoken.";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private TokenIntrospection() {}

    /** Whether an introspection endpoint is configured. */
    static boolean configured(Environment environment) {
        return StringUtils.hasText(environment.getProperty(OPAQUE + "introspection-uri"));
    }

    /** Matches when an introspection endpoint is configured. */
    static final class Configured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return configured(context.getEnvironment());
        }
    }

    /** The introspector for the configured endpoint, with the module's checks and cache around it. */
    static CachingIntrospector introspector(Environment environment, AccessProperties.Introspection settings) {
        String uri = environment.getProperty(OPAQUE + "introspection-uri");
        String clientId = environment.getProperty(OPAQUE + "client-id");
        String clientSecret = environment.getProperty(OPAQUE + "client-secret");
        if (StringUtils.hasText(clientId) != StringUtils.hasText(clientSecret)) {
            throw new IllegalStateException("Token introspection needs both " + OPAQUE + "client-id and " + OPAQUE
                    + "client-secret (the module's credentials at the introspection endpoint), or neither");
        }
        OpaqueTokenIntrospector endpoint = new SpringOpaqueTokenIntrospector(uri, rest(clientId, clientSecret));
        if (!StringUtils.hasText(clientId)) {
            log.warn("Token introspection: no client-id and client-secret are configured, so the module calls the"
                    + " introspection endpoint without credentials");
        }
        return new CachingIntrospector(endpoint, settings.cacheDuration(), settings.audiences(), Clock.systemUTC());
    }

    private static RestTemplate rest(String clientId, String clientSecret) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(CONNECT_TIMEOUT);
        requests.setReadTimeout(READ_TIMEOUT);
        RestTemplate rest = new RestTemplate(requests);
        if (StringUtils.hasText(clientId)) {
            // RFC 6749 section 2.3.1: each part form-encoded before Basic encoding.
            String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
            String basic = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            rest.getInterceptors().add((request, body, execution) -> {
                request.getHeaders().set(HttpHeaders.AUTHORIZATION, basic);
                return execution.execute(request, body);
            });
        }
        return rest;
    }
}
