/**
 * The clinician pages' side: the worklist of triage results (a table of its own, kept from the events of results and
 * delivery), their details, review and approval of proposed orders.
 */
@ApplicationModule(
        displayName = "Review",
        allowedDependencies = {
            "fhir",
            "storage",
            "security",
            "audit",
            "questionnaire",
            "triage",
            "intake",
            "results",
            "delivery"
        })
package org.twitchtriage.review;

import org.springframework.modulith.ApplicationModule;
