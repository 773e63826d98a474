package org.twitchtriage.questionnaire;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Questionnaire;
import org.twitchtriage.questionnaire.internal.QuestionnaireCompiler;

/**
 * The Questionnaires that accept responses (status {@code active}), each compiled once into its
 * {@link ValidationPlan}. A bare canonical url stands for every active version of it, newest first
 * (contract section 2: a response citing it is checked against each in turn).
 */
public final class QuestionnaireCatalog {

    private final Map<String, PublishedQuestionnaire> byCanonical = new LinkedHashMap<>();
    private final Map<String, List<PublishedQuestionnaire>> newestFirstByUrl = new LinkedHashMap<>();

    public QuestionnaireCatalog(ConformanceRegistry registry) {
        List<Questionnaire> active = registry.all(Questionnaire.class).stream()
                .filter(q -> q.getStatus() == PublicationStatus.ACTIVE)
                .sorted(Comparator.comparing(Questionnaire::getVersion, Versions.ORDER))
                .toList();
        for (Questionnaire questionnaire : active) {
            PublishedQuestionnaire published =
                    new PublishedQuestionnaire(questionnaire, QuestionnaireCompiler.compile(questionnaire, registry));
            byCanonical.put(published.canonical(), published);
            newestFirstByUrl
                    .computeIfAbsent(questionnaire.getUrl(), url -> new ArrayList<>())
                    .add(0, published);
        }
    }

    /** Resolves {@code url|version} to that active version, and {@code url} to its newest active version. */
    public Optional<PublishedQuestionnaire> resolve(String canonical) {
        return candidates(canonical).stream().findFirst();
    }

    /**
     * The active versions a citation can stand for: the one {@code url|version} names, or every active version
     * of {@code url}, newest first; empty when none is published.
     */
    public List<PublishedQuestionnaire> candidates(String canonical) {
        if (canonical == null) {
            return List.of();
        }
        if (canonical.contains("|")) {
            PublishedQuestionnaire named = byCanonical.get(canonical);
            return named == null ? List.of() : List.of(named);
        }
        return List.copyOf(newestFirstByUrl.getOrDefault(canonical, List.of()));
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
