package org.twitchtriage.simulation.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a {@link SimulationReport} for people (text) or for programs (JSON). Only names, never answers. */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    public static void text(SimulationReport report, PrintStream out) {
        out.println("Current rules:   " + String.join(", ", report.currentRules()));
        out.println("Candidate rules: " + String.join(", ", report.candidateRules()));
        if (!report.invalid().isEmpty()) {
            out.println();
            out.println("Invalid, left out (" + report.invalid().size() + "):");
            for (InvalidResponse invalid : report.invalid()) {
                out.println("  " + invalid.name());
                invalid.errors().forEach(error -> out.println("    " + error));
            }
        }
        out.println();
        out.println("Changed (" + report.changed().size() + "):");
        for (SimulationReport.Change change : report.changed()) {
            out.println("  " + change.response());
            out.println("    before: " + describe(change.before(), report.orderNames()));
            out.println("    after:  " + describe(change.after(), report.orderNames()));
        }
        out.println();
        out.println("Level transitions:" + (report.transitions().isEmpty() ? " none" : ""));
        report.transitions()
                .forEach(
                        (transition, count) -> out.println("  " + transition.replace("->", " \u2192 ") + ": " + count));
        out.println();
        out.println(report.responses() + (report.responses() == 1 ? " response" : " responses") + " compared, "
                + report.changed().size() + " changed"
                + (report.invalid().isEmpty() ? "" : ", " + report.invalid().size() + " invalid left out")
                + (report.retracted() == 0 ? "" : ", " + report.retracted() + " retracted left out") + ".");
    }

    private static String describe(TriageSummary summary, Map<String, String> orderNames) {
        if (summary.level() == null) {
            return "not triaged (no active rules for its Questionnaire)";
        }
        String orders = summary.sortedOrders().entrySet().stream()
                .map(e -> orderNames.getOrDefault(e.getKey(), "") + " (" + e.getKey() + ") " + e.getValue())
                .map(String::strip)
                .collect(Collectors.joining(", "));
        return String.format("%-10s orders: %s", summary.level(), orders.isEmpty() ? "none" : orders);
    }

    public static void json(SimulationReport report, PrintStream out) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("responses", report.responses());
        document.put(
                "changed", report.changed().stream().map(ReportWriter::change).toList());
        document.put("transitions", report.transitions());
        document.put(
                "invalid", report.invalid().stream().map(ReportWriter::invalid).toList());
        document.put("retracted", report.retracted());
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report cannot be written as JSON", e);
        }
    }

    private static Map<String, Object> change(SimulationReport.Change change) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("response", change.response());
        json.put("before", summary(change.before()));
        json.put("after", summary(change.after()));
        return json;
    }

    private static Map<String, Object> summary(TriageSummary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("level", summary.level());
        json.put("orders", summary.sortedOrders());
        return json;
    }

    private static Map<String, Object> invalid(InvalidResponse invalid) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("response", invalid.name());
        json.put("errors", List.copyOf(invalid.errors()));
        return json;
    }
}
