package org.twitchtriage.simulation.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.twitchtriage.questionnaire.ConformanceContentLoader;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.QuestionnaireCatalog;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageRules;

/**
 * Content loaded and checked as start-up loads and checks it (layered locations, compiled Questionnaires,
 * compiled rules): what the server would refuse to start with, a simulation refuses too.
 */
public record SimulatedContent(ConformanceRegistry registry, QuestionnaireCatalog catalog, TriageRules rules) {

    /** Throws {@code InvalidContentException} as start-up would. */
    public static SimulatedContent load(FhirContext fhirContext, TriageEngine engine, List<String> locations) {
        ConformanceRegistry registry =
                new ConformanceRegistry(new ConformanceContentLoader(fhirContext).load(locations));
        return new SimulatedContent(registry, new QuestionnaireCatalog(registry), new TriageRules(registry, engine));
    }
}
