package org.twitchtriage.questionnaire.internal;

import org.hl7.fhir.r4.model.MetadataResource;

/**
 * A definitional resource as read from a file.
 *
 * @param file where it was read from, for messages that must name it
 * @param location the position of its content location in the settings; later locations are laid over earlier ones
 */
public record ContentFile(MetadataResource resource, String file, int location) {

    String type() {
        return resource.fhirType();
    }

    String canonical() {
        return resource.getUrl() + "|" + resource.getVersion();
    }

    boolean versioned() {
        return resource.getUrl() != null && resource.getVersion() != null;
    }
}
