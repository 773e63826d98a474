package org.twitchtriage.security.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMART scopes worth asking for, as advertised in the SMART configuration and the CapabilityStatement:
 * for each resource type the permissions some interaction of the module needs, in v2 and v1 form.
 */
public final class SupportedScopes {

    /** Type to v2 permission letters, for user/ and system/ scopes. */
    private static final Map<String, String> ALL_PATIENTS = new LinkedHashMap<>();
    /** Type to v2 permission letters, for patient/ scopes. */
    private static final Map<String, String> OWN_PATIENT = new LinkedHashMap<>();

    static {
        ALL_PATIENTS.put("QuestionnaireResponse", "crus");
        OWN_PATIENT.put("QuestionnaireResponse", "crs");
        for (String type : List.of("Observation", "ServiceRequest", "Communication", "Task", "Device")) {
            ALL_PATIENTS.put(type, "rs");
            OWN_PATIENT.put(type, "rs");
        }
        ALL_PATIENTS.put("Provenance", "rs");
        ALL_PATIENTS.put("AuditEvent", "rs");
    }

    private SupportedScopes() {}

    static List<String> list(String operationsScope) {
        List<String> scopes = new ArrayList<>(
                List.of("openid", "fhirUser", "launch", "launch/patient", "offline_access", "online_access"));
        OWN_PATIENT.forEach((type, letters) -> scopes.addAll(forms("patient", type, letters)));
        ALL_PATIENTS.forEach((type, letters) -> scopes.addAll(forms("user", type, letters)));
        ALL_PATIENTS.forEach((type, letters) -> scopes.addAll(forms("system", type, letters)));
        scopes.add(operationsScope);
        return scopes;
    }

    private static List<String> forms(String context, String type, String letters) {
        List<String> forms = new ArrayList<>();
        forms.add(context + "/" + type + "." + letters);
        if (letters.contains("r")) {
            forms.add(context + "/" + type + ".read");
        }
        if (letters.contains("c") || letters.contains("u")) {
            forms.add(context + "/" + type + ".write");
        }
        return forms;
    }
}
