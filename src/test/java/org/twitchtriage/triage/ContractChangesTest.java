package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.TriageOutcome.PlacedOrder;
import org.twitchtriage.triage.internal.RuleReferences;

/**
 * Rules 1.0.0 against rules 1.1.0 over the whole answer space: every combination of answers is triaged with
 * both, and every difference must be one that a change of contract 1.1 explains (its preamble and section 4):
 * <ul>
 * <li>{@link Change#LASTING}: twitching for 2 weeks or more counts as the checklist's {@code persistent} item
 * even with its box unticked, which moves the count of checklist items that hold;</li>
 * <li>{@link Change#WEAKNESS}: weakness with persistent or one-sided twitching means seeing a neurologist;</li>
 * <li>{@link Change#WORSENING}: worsening twitching is never self-care.</li>
 * </ul>
 * Each change must explain at least one difference of level on its own, and nothing is triaged lower.
 *
 * <p>The answer space is finite. Triggers are left out: no condition of either rule set reads them (checked
 * below, from the compiler's own analysis of the expressions); they only order the self-care steps. Location
 * codes that no expression compares with are interchangeable, so one of them stands for all (also checked below).
 * Everything else is enumerated: each location set, each
 * duration and course, {@code one-side} absent (a 1.0.0-shaped response), false or true (1.1.0), each
 * combination of the checklist booleans with {@code weakness-progressive} when weakness is true, and
 * numbness.
 */
class ContractChangesTest {

    private static final String LOCATION_SYSTEM = ChecklistResponses.BASE + "/CodeSystem/twitch-location";
    private static final List<String> DURATIONS = List.of("lt-1w", "1-2w", "2-4w", "1-3m", "gt-3m");
    private static final Set<String> TWO_WEEKS_OR_MORE = Set.of("2-4w", "1-3m", "gt-3m");
    private static final List<String> COURSES = List.of("improving", "unchanged", "worsening");
    private static final List<String> CHECKLIST = List.of(
            "persistent", "muscle-loss", "weakness", "spreading", "speech-swallowing-coordination", "family-history");
    private static final List<String> LEVELS = List.of("self-care", "monitor", "soon", "urgent", "immediate");

    /** The changes, each with the highest level it can lead to (section 4: the levels of the rules it touches). */
    enum Change {
        LASTING("soon"),
        WEAKNESS("soon"),
        WORSENING("monitor");

        final String ceiling;

        Change(String ceiling) {
            this.ceiling = ceiling;
        }
    }

    private static TriageEngine engine;
    private static RuleSet before;
    private static RuleSet after;

    @BeforeAll
    static void compile() {
        engine = new TriageEngine(Content.FHIR);
        before = engine.compile(plan("muscle-twitch-triage"), Content.registry());
        after = new TriageRules(Content.registry(), engine)
                .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                .orElseThrow();
        assertThat(before.canonical()).endsWith("|1.0.0");
        assertThat(after.canonical()).endsWith("|1.1.0");
    }

    @Test
    void everyDifferenceIsOneTheContractExplainsAndEachChangeShows() {
        Map<Change, Integer> shownAlone = new EnumMap<>(Change.class);
        Map<String, Integer> transitions = new TreeMap<>();
        List<String> unexplained = new ArrayList<>();
        List<Answers> space = answerSpace();
        // Both cores: the engine keeps one FHIRPath evaluator per thread.
        List<Difference> differences = space.parallelStream()
                .map(ContractChangesTest::compare)
                .filter(d -> !d.old().equals(d.now()))
                .toList();
        for (Difference difference : differences) {
            Answers answers = difference.answers();
            Result old = difference.old();
            Result now = difference.now();
            Set<Change> explaining = answers.changesThatApply();
            int ceiling = Math.max(
                    old.rank(),
                    explaining.stream()
                            .mapToInt(c -> LEVELS.indexOf(c.ceiling))
                            .max()
                            .orElse(-1));
            if (explaining.isEmpty() || now.rank() < old.rank() || now.rank() > ceiling || !now.ordersCover(old)) {
                unexplained.add(answers + ": " + old + " -> " + now);
                continue;
            }
            if (now.rank() > old.rank()) {
                transitions.merge(old.level() + "->" + now.level(), 1, Integer::sum);
                if (explaining.size() == 1) {
                    shownAlone.merge(explaining.iterator().next(), 1, Integer::sum);
                }
            }
        }

        assertThat(space).hasSize(7 * 5 * 3 * 3 * 96 * 2);
        assertThat(unexplained)
                .as("differences no change of contract 1.1 explains")
                .isEmpty();
        assertThat(shownAlone)
                .as("level changes each contract change explains on its own")
                .containsOnlyKeys(Change.values());
        assertThat(transitions)
                .as("level transitions")
                .isNotEmpty()
                .allSatisfy((transition, count) -> assertThat(
                                LEVELS.indexOf(transition.split("->")[0]))
                        .isLessThan(LEVELS.indexOf(transition.split("->")[1])));
    }

    @Test
    void noConditionReadsTheTriggersAndOnlyEyelidAndFaceAreNamedAmongLocations() {
        Set<String> read = new HashSet<>();
        Set<String> locationCodes = new HashSet<>();
        for (RuleSet rules : List.of(before, after)) {
            for (RuleReferences references : references(rules)) {
                read.addAll(references.reads());
                references.comparisons().stream()
                        .filter(c -> c.linkIds().contains("locations"))
                        .forEach(c -> locationCodes.add(c.value()));
            }
        }

        assertThat(read).contains("locations", "duration").doesNotContain("triggers");
        assertThat(locationCodes).containsExactlyInAnyOrder("eyelid", "face");
    }

    /** What every expression of a rule set refers to, as the compiler's checks see it. */
    private static List<RuleReferences> references(RuleSet rules) {
        Map<String, RuleReferences> variables = new LinkedHashMap<>();
        List<RuleReferences> all = new ArrayList<>();
        for (RuleSet.Variable variable : rules.variables()) {
            RuleReferences references = RuleReferences.of(variable.compiled(), variables);
            variables.put(variable.name(), references);
            all.add(references);
        }
        rules.rules().forEach(rule -> all.add(RuleReferences.ofCondition(rule.compiled(), variables)));
        rules.measures().forEach(measure -> all.add(RuleReferences.of(measure.compiled(), variables)));
        rules.selfCarePlan().stream()
                .filter(step -> step.condition() != null)
                .forEach(step -> all.add(RuleReferences.ofCondition(step.condition(), variables)));
        return all;
    }

    private static Difference compare(Answers answers) {
        QuestionnaireResponse response = answers.build();
        return new Difference(
                answers, Result.of(engine.evaluate(response, before)), Result.of(engine.evaluate(response, after)));
    }

    private record Difference(Answers answers, Result old, Result now) {}

    /** Every combination; see the class comment for why triggers and unnamed locations are not multiplied. */
    private static List<Answers> answerSpace() {
        List<List<String>> locationSets = new ArrayList<>();
        List<String> codes = List.of("eyelid", "face", "calf-foot");
        for (int mask = 1; mask < 8; mask++) {
            List<String> set = new ArrayList<>();
            for (int bit = 0; bit < 3; bit++) {
                if ((mask & (1 << bit)) != 0) {
                    set.add(codes.get(bit));
                }
            }
            locationSets.add(set);
        }
        List<Answers> all = new ArrayList<>();
        for (List<String> locations : locationSets) {
            for (String duration : DURATIONS) {
                for (String course : COURSES) {
                    for (Boolean oneSide : new Boolean[] {null, false, true}) {
                        for (int flags = 0; flags < 64; flags++) {
                            for (Boolean progressive :
                                    (flags & 4) != 0 ? new Boolean[] {false, true} : new Boolean[] {null}) {
                                for (boolean numbness : new boolean[] {false, true}) {
                                    all.add(new Answers(
                                            locations, duration, course, oneSide, flags, progressive, numbness));
                                }
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    /** One combination of answers; {@code flags} holds the six checklist items, bit i for {@link #CHECKLIST}[i]. */
    private record Answers(
            List<String> locations,
            String duration,
            String course,
            Boolean oneSide,
            int flags,
            Boolean progressive,
            boolean numbness) {

        boolean yes(String item) {
            return (flags & (1 << CHECKLIST.indexOf(item))) != 0;
        }

        /** The changes of contract 1.1 whose conditions these answers meet. */
        Set<Change> changesThatApply() {
            Set<Change> changes = new HashSet<>();
            boolean lasting = TWO_WEEKS_OR_MORE.contains(duration);
            if (lasting && !yes("persistent")) {
                changes.add(Change.LASTING);
            }
            if (yes("weakness") && (yes("persistent") || lasting || Boolean.TRUE.equals(oneSide))) {
                changes.add(Change.WEAKNESS);
            }
            if ("worsening".equals(course)) {
                changes.add(Change.WORSENING);
            }
            return changes;
        }

        QuestionnaireResponse build() {
            ChecklistResponses builder = ChecklistResponses.benign()
                    .codes("locations", locations.toArray(String[]::new))
                    .codes("duration", duration)
                    .codes("course", course)
                    .codes("triggers")
                    .answer("numbness-tingling", numbness);
            for (String item : CHECKLIST) {
                builder.answer(item, yes(item));
            }
            if (progressive != null) {
                builder.answer("weakness-progressive", progressive);
            }
            if (oneSide != null) {
                builder.current().answer("one-side", oneSide);
            }
            return builder.build();
        }
    }

    /** What a triage decided that a patient or the EHR sees: the level and the orders (code to priority). */
    private record Result(String level, Map<String, String> orders) {

        static Result of(TriageOutcome outcome) {
            Map<String, String> orders = new LinkedHashMap<>();
            for (PlacedOrder order : outcome.orders()) {
                Coding code = order.orderable().code();
                orders.put(code.getCode(), order.priority().toCode());
            }
            return new Result(outcome.level().code().getCode(), orders);
        }

        int rank() {
            return LEVELS.indexOf(level);
        }

        /** Every order of {@code other} is here too, at a priority at least as high. */
        boolean ordersCover(Result other) {
            List<String> priorities = List.of("routine", "urgent", "asap", "stat");
            return other.orders.entrySet().stream()
                    .allMatch(e -> orders.containsKey(e.getKey())
                            && priorities.indexOf(orders.get(e.getKey())) >= priorities.indexOf(e.getValue()));
        }
    }

    private static PlanDefinition plan(String id) {
        return Content.registry().byId(PlanDefinition.class, id).orElseThrow();
    }
}
