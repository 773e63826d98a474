package org.twitchtriage.fhir;

import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/** What every module's FHIR code says the same way: the id syntax, local references and the canonical base. */
public final class FhirIds {

    /** The base of the canonical URLs of what the module defines: CodeSystems, extensions, identifier systems. */
    public static final String CANONICAL_BASE = "http://twitchtriage.org/fhir";

    /** A resource id as FHIR's {@code id} type allows it; a constant, so that validation annotations can use it. */
    public static final String ID_PATTERN = "[A-Za-z0-9\\-.]{1,64}";

    private static final Pattern ID = Pattern.compile(ID_PATTERN);

    private FhirIds() {}

    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** The local reference {@code Type/id}. */
    public static String reference(String type, String id) {
        return type + "/" + id;
    }

    /** The local reference to the resource, without base or version. */
    public static String reference(IBaseResource resource) {
        return reference(resource.fhirType(), resource.getIdElement().getIdPart());
    }

    /** The local reference an id names, without base or version. */
    public static String reference(IIdType id) {
        return reference(id.getResourceType(), id.getIdPart());
    }
}
