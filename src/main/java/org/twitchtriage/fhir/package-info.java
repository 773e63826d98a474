/** FHIR server wiring: the RestfulServer on /fhir, request limits and OperationOutcome error mapping. */
@ApplicationModule(
        displayName = "FHIR server",
        allowedDependencies = {})
package org.twitchtriage.fhir;

import org.springframework.modulith.ApplicationModule;
