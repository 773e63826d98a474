package org.twitchtriage.security.internal;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when an authorization server is configured (not development mode). */
public final class SecuredMode implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return DevelopmentMode.secured(context.getEnvironment());
    }
}
