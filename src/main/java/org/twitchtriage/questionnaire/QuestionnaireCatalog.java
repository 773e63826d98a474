package org.twitchtriage.questionnaire;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * The Questionnaires that accept responses (status {@code active}), each compiled once into its
 * {@link ValidationPlan}. A bare canonical url resolves to the highest active version.
 */
public final class QuestionnaireCatalog {

    private final Map<String, PublishedQuestionnaire> byCanonical = new LinkedHashMap<>();
    private final Map<String, PublishedQuestionnaire> latestByUrl = new LinkedHashMap<>();

    public QuestionnaireCatalog(ConformanceRegistry registry) {
        List<Questionnaire> active = registry.all(Questionnaire.class).stream()
                .filter(q -> q.getStatus() == PublicationStatus.ACTIVE)
                .sorted(Comparator.comparing(Questionnaire::getVersion, Versions.ORDER))
                .toList();
        for (Questionnaire questionnaire : active) {
            PublishedQuestionnaire published = new PublishedQuestionnaire(questionnaire,
                    QuestionnaireCompiler.compile(questionnaire, registry));
            byCanonical.put(published.canonical(), published);
            latestByUrl.put(questionnaire.getUrl(), published);
        }
    }

    /** Resolves {@code url} or {@code url|version} to an active Questionnaire. */
    public Optional<PublishedQuestionnaire> resolve(String canonical) {
        if (canonical == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(canonical.contains("|") ? byCanonical.get(canonical) : latestByUrl.get(canonical));
    }

    public List<PublishedQuestionnaire> all() {
        return List.copyOf(byCanonical.values());
    }

    /** An active Questionnaire and its compiled checks. */
    public record PublishedQuestionnaire(Questionnaire questionnaire, ValidationPlan plan) {

        public String canonical() {
            return plan.canonical();
        }
    }
}
