package org.twitchtriage.triage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.InvalidContentException;

/**
 * The active rules artifacts, compiled once, by the Questionnaire they read. A Questionnaire with
 * two active rule sets is refused: which one applies would be a guess. So is an active Questionnaire
 * version that its rules do not declare they apply to.
 */
public final class TriageRules {

    private final Map<String, RuleSet> byQuestionnaireUrl = new LinkedHashMap<>();

    public TriageRules(ConformanceRegistry registry, TriageEngine engine) {
        for (PlanDefinition plan : registry.all(PlanDefinition.class)) {
            if (plan.getStatus() != PublicationStatus.ACTIVE) {
                continue;
            }
            RuleSet rules = engine.compile(plan, registry);
            RuleSet previous = byQuestionnaireUrl.putIfAbsent(rules.questionnaireUrl(), rules);
            if (previous != null) {
                throw new InvalidContentException("Questionnaire " + rules.questionnaireUrl() + " has two active rule"
                        + " sets: " + previous.canonical() + " and " + rules.canonical());
            }
        }
        for (Questionnaire questionnaire : registry.all(Questionnaire.class)) {
            RuleSet rules = byQuestionnaireUrl.get(questionnaire.getUrl());
            String canonical = questionnaire.getUrl() + "|" + questionnaire.getVersion();
            if (rules != null
                    && questionnaire.getStatus() == PublicationStatus.ACTIVE
                    && !rules.questionnaireVersions().contains(canonical)) {
                throw new InvalidContentException("Questionnaire " + canonical + " is active, but its rules "
                        + rules.canonical() + " do not declare it (relatedArtifact depends-on): its responses would be"
                        + " triaged by rules never checked against it");
            }
        }
    }

    public Optional<RuleSet> forQuestionnaire(String questionnaireUrl) {
        return Optional.ofNullable(byQuestionnaireUrl.get(questionnaireUrl));
    }

    public List<RuleSet> all() {
        return List.copyOf(byQuestionnaireUrl.values());
    }
}
