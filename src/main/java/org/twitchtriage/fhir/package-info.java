/**
 * FHIR server wiring: the RestfulServer on /fhir, request limits and the translation of errors into
 * OperationOutcomes; and what every module's FHIR code shares (ids and references, paging, search parameters).
 */
@ApplicationModule(
        displayName = "FHIR server",
        allowedDependencies = {})
package org.twitchtriage.fhir;

import org.springframework.modulith.ApplicationModule;
