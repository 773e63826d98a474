package org.twitchtriage.security;

import java.util.List;
import java.util.Optional;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.security.internal.Permission;
import org.twitchtriage.security.internal.SmartScope;

/**
 * Who is making a request, as far as the module can tell: the verified token's issuer, subject, client,
 * patient context ({@code patient} claim), FHIR user ({@code fhirUser} claim) and SMART resource scopes.
 * In development mode (no authorization server configured) every request is the {@link #development()}
 * caller, which may do everything.
 *
 * @param kind     the patient, a user (clinician), a back-end system, development, or nobody
 * @param issuer   the token's {@code iss}; null without a token
 * @param subject  the token's {@code sub}; null without a token
 * @param clientId the OAuth2 client ({@code client_id}, else {@code azp}); null if the token names none
 * @param patient  the id of the patient in context, without {@code Patient/}; null outside patient context
 * @param fhirUser the {@code fhirUser} claim (e.g. {@code Practitioner/12}); null if absent
 * @param scopes   the SMART resource scopes granted
 */
public record Caller(
        Kind kind,
        String issuer,
        String subject,
        String clientId,
        String patient,
        String fhirUser,
        List<SmartScope> scopes) {

    /** Who the caller is, for audit and for the rules on whose data it may see. */
    public enum Kind {
        PATIENT,
        USER,
        SYSTEM,
        DEVELOPMENT,
        ANONYMOUS
    }

    /** How far a permission reaches. */
    public enum Reach {
        /** Any patient's data. */
        ALL,
        /** Only the data of the patient in the token's context. */
        OWN_PATIENT
    }

    private static final Caller DEVELOPMENT =
            new Caller(Kind.DEVELOPMENT, null, "development", null, null, null, List.of());
    private static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, null, null, null, null, null, List.of());

    public Caller {
        scopes = List.copyOf(scopes);
    }

    /** The caller of every request in development mode. */
    public static Caller development() {
        return DEVELOPMENT;
    }

    /** A request without credentials. */
    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** The patient reference in context ({@code Patient/123}), if any. */
    public Optional<String> patientReference() {
        return patient == null ? Optional.empty() : Optional.of(FhirIds.reference("Patient", patient));
    }

    /**
     * How far this caller may exercise {@code permission} on {@code resourceType}: everywhere when a user or
     * system scope (or development mode) grants it, only for its own patient when only a patient scope
     * does and the token carries a patient context, and not at all otherwise.
     */
    public Optional<Reach> reach(String resourceType, Permission permission) {
        if (kind == Kind.DEVELOPMENT) {
            return Optional.of(Reach.ALL);
        }
        Reach best = null;
        for (SmartScope scope : scopes) {
            if (!scope.allows(resourceType, permission)) {
                continue;
            }
            if (scope.context() != SmartScope.Context.PATIENT) {
                return Optional.of(Reach.ALL);
            }
            if (patient != null) {
                best = Reach.OWN_PATIENT;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether this is a request with verified credentials (or development mode). */
    public boolean isAuthenticated() {
        return kind != Kind.ANONYMOUS;
    }
}
