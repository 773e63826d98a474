/** Rule-change simulation: responses triaged by the published rules and by candidate rules, and what changes. */
@ApplicationModule(
        displayName = "Simulation",
        allowedDependencies = {"questionnaire", "triage", "intake", "storage"})
package org.twitchtriage.simulation;

import org.springframework.modulith.ApplicationModule;
