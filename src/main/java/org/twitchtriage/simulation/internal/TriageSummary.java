package org.twitchtriage.simulation.internal;

import java.util.Map;
import java.util.TreeMap;
import org.twitchtriage.triage.TriageOutcome;
import org.twitchtriage.triage.TriageOutcome.PlacedOrder;

/**
 * What a clinician would act on in one triage result: the level and each order's priority.
 *
 * @param level the level's code; {@code null} when no active rules read the response's Questionnaire
 * @param orders order code to priority, sorted by code
 */
public record TriageSummary(String level, Map<String, String> orders) {

    static final TriageSummary UNTRIAGED = new TriageSummary(null, Map.of());

    public TriageSummary {
        orders = Map.copyOf(orders);
    }

    static TriageSummary of(TriageOutcome outcome) {
        Map<String, String> orders = new TreeMap<>();
        for (PlacedOrder order : outcome.orders()) {
            orders.put(order.orderable().code().getCode(), order.priority().toCode());
        }
        return new TriageSummary(outcome.level().code().getCode(), orders);
    }

    /** Sorted by code, for stable output. */
    Map<String, String> sortedOrders() {
        return new TreeMap<>(orders);
    }
}
