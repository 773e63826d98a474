package org.twitchtriage.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A refusal that is about a stored resource (a conflict with one already accepted, say). Access control
 * looks at that resource before the refusal is answered: a caller who may not see it is told no more than
 * that, so the refusal cannot reveal that the resource exists.
 */
public interface ConcernsStoredResource {

    IBaseResource storedResource();
}
