package org.twitchtriage.testing;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.twitchtriage.questionnaire.ConformanceContentLoader;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.QuestionnaireCatalog;

/** The published content as the application loads it, for tests without a Spring context. */
public final class Content {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    private static ConformanceRegistry registry;
    private static QuestionnaireCatalog catalog;

    private Content() {}

    public static synchronized ConformanceRegistry registry() {
        if (registry == null) {
            registry = new ConformanceRegistry(new ConformanceContentLoader(FHIR)
                    .load(List.of("classpath*:fhir/questionnaires/*.json", "classpath*:fhir/profiles/*.json")));
        }
        return registry;
    }

    public static synchronized QuestionnaireCatalog catalog() {
        if (catalog == null) {
            catalog = new QuestionnaireCatalog(registry());
        }
        return catalog;
    }
}
