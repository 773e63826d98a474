package org.twitchtriage.review.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.springframework.stereotype.Component;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageRules;

/**
 * The triage levels of every published rule set, most urgent first, with the rank their CodeSystem gives
 * them and the name it gives them.
 */
@Component
public class Levels {

    /** A level as clinicians see it. {@code rank}: higher is more urgent. */
    record Level(String system, String code, int rank, String display) {}

    private final List<Level> levels;

    Levels(TriageRules rules, ConformanceRegistry registry) {
        Map<String, Level> found = new LinkedHashMap<>();
        for (RuleSet ruleSet : rules.all()) {
            for (RuleSet.Level level : ruleSet.levels().values()) {
                Coding code = level.code();
                found.putIfAbsent(
                        key(code.getSystem(), code.getCode()),
                        new Level(
                                code.getSystem(),
                                code.getCode(),
                                level.rank(),
                                display(registry, code).orElse(level.title())));
            }
        }
        List<Level> ordered = new ArrayList<>(found.values());
        ordered.sort(Comparator.comparingInt(Level::rank).reversed().thenComparing(Level::code));
        this.levels = List.copyOf(ordered);
    }

    List<Level> all() {
        return levels;
    }

    Optional<Level> of(String system, String code) {
        return levels.stream()
                .filter(l ->
                        l.code().equals(code) && (system == null || l.system().equals(system)))
                .findFirst();
    }

    private static Optional<String> display(ConformanceRegistry registry, Coding code) {
        return registry.byCanonical(CodeSystem.class, code.getSystem())
                .flatMap(system -> system.getConcept().stream()
                        .filter(c -> code.getCode().equals(c.getCode()))
                        .findFirst())
                .map(CodeSystem.ConceptDefinitionComponent::getDisplay);
    }

    private static String key(String system, String code) {
        return system + "|" + code;
    }
}
