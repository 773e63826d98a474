package org.twitchtriage.simulation.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.twitchtriage.intake.ResponseTriage;
import org.twitchtriage.intake.SubmissionRejectedException;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageRules;

/**
 * Triages each response with the current rules and with the candidate rules and collects what differs.
 * A response is compared only when intake would accept it today: it is checked by the same validation
 * intake runs, and the invalid ones are reported with their problems and left out.
 */
public final class RuleChangeSimulation {

    private final ResponseTriage intake;
    private final TriageRules current;
    private final TriageRules candidate;
    private final TriageEngine engine;

    /**
     * @param intake validation (and triage) as intake runs it over the current content
     */
    public RuleChangeSimulation(
            ResponseTriage intake, TriageRules current, TriageRules candidate, TriageEngine engine) {
        this.intake = intake;
        this.current = current;
        this.candidate = candidate;
        this.engine = engine;
    }

    public SimulationReport run(ResponseBatch batch) {
        List<InvalidResponse> invalid = new ArrayList<>(batch.unreadable());
        List<SimulationReport.Change> changed = new ArrayList<>();
        Map<String, Integer> transitions = new LinkedHashMap<>();
        Map<String, String> orderNames = new TreeMap<>();
        int compared = 0;
        for (NamedResponse named : batch.responses()) {
            List<String> problems = problems(named.response());
            if (!problems.isEmpty()) {
                invalid.add(new InvalidResponse(named.name(), problems));
                continue;
            }
            compared++;
            SimulationReport.Change change = new SimulationReport.Change(
                    named.name(),
                    triage(named.response(), current, orderNames),
                    triage(named.response(), candidate, orderNames));
            if (!change.before().equals(change.after())) {
                changed.add(change);
                if (change.levelChanged()) {
                    transitions.merge(
                            change.before().level() + "->" + change.after().level(), 1, Integer::sum);
                }
            }
        }
        return new SimulationReport(
                canonicals(current),
                canonicals(candidate),
                compared,
                changed,
                transitions,
                invalid,
                orderNames,
                batch.retracted());
    }

    private List<String> problems(QuestionnaireResponse response) {
        try {
            intake.preview(response);
            return List.of();
        } catch (SubmissionRejectedException e) {
            return e.problems().stream()
                    .map(p -> p.expression() + ": " + p.message())
                    .toList();
        }
    }

    private TriageSummary triage(QuestionnaireResponse response, TriageRules rules, Map<String, String> orderNames) {
        String questionnaire = response.getQuestionnaire();
        int bar = questionnaire.indexOf('|');
        String url = bar < 0 ? questionnaire : questionnaire.substring(0, bar);
        return rules.forQuestionnaire(url)
                .map(r -> engine.evaluate(response, r))
                .map(outcome -> {
                    outcome.orders()
                            .forEach(order -> orderNames.putIfAbsent(
                                    order.orderable().code().getCode(), name(order.orderable())));
                    return TriageSummary.of(outcome);
                })
                .orElse(TriageSummary.UNTRIAGED);
    }

    private static String name(RuleSet.Orderable orderable) {
        return orderable.code().hasDisplay() ? orderable.code().getDisplay() : orderable.title();
    }

    private static List<String> canonicals(TriageRules rules) {
        return rules.all().stream().map(RuleSet::canonical).toList();
    }
}
