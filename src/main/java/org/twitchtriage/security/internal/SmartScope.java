package org.twitchtriage.security.internal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART on FHIR resource scope, in either form: v1 ({@code patient/QuestionnaireResponse.write},
 * {@code user/Observation.read}, {@code system/*.*}) or v2 ({@code patient/QuestionnaireResponse.c},
 * {@code user/Observation.rs}). Scopes that are not resource scopes ({@code openid}, {@code launch},
 * {@code fhirUser}, ...) are not SmartScopes. A v2 scope narrowed by a query ({@code
 * patient/Observation.rs?category=...}) grants nothing here: the module cannot apply the query to every
 * interaction, so it refuses rather than grant more than was asked.
 *
 * @param context     whose data the scope reaches: one patient's, what the user may see, or the whole system's
 * @param type        a resource type, or {@code *} for every type
 * @param permissions what the scope allows
 */
public record SmartScope(Context context, String type, Set<Permission> permissions) {

    /** The part of a scope before the slash. */
    public enum Context {
        PATIENT,
        USER,
        SYSTEM
    }

    private static final Pattern FORM = Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]{0,63})\\.([^?]+)");
    private static final Pattern V2_LETTERS = Pattern.compile("c?r?u?d?s?");

    public SmartScope {
        permissions = Collections.unmodifiableSet(EnumSet.copyOf(permissions));
    }

    /** The scope in {@code text}, if it is a resource scope this module can honour. */
    public static Optional<SmartScope> parse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Context context = Context.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
        Set<Permission> permissions = permissions(matcher.group(3));
        return permissions.isEmpty()
                ? Optional.empty()
                : Optional.of(new SmartScope(context, matcher.group(2), permissions));
    }

    private static Set<Permission> permissions(String text) {
        switch (text) {
            case "read":
                return Permission.v1Read();
            case "write":
                return Permission.v1Write();
            case "*":
                return EnumSet.allOf(Permission.class);
            default:
                if (!V2_LETTERS.matcher(text).matches()) {
                    return EnumSet.noneOf(Permission.class);
                }
                EnumSet<Permission> letters = EnumSet.noneOf(Permission.class);
                for (Permission permission : Permission.values()) {
                    if (text.indexOf(permission.letter()) >= 0) {
                        letters.add(permission);
                    }
                }
                return letters;
        }
    }

    /** Whether this scope allows {@code permission} on resources of {@code resourceType}. */
    public boolean allows(String resourceType, Permission permission) {
        return ("*".equals(type) || type.equals(resourceType)) && permissions.contains(permission);
    }
}
