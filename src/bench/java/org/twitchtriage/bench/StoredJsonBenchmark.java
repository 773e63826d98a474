package org.twitchtriage.bench;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.twitchtriage.fhir.ResourceJson;
import org.twitchtriage.fhir.internal.FhirConfiguration;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageRules;

/**
 * The JSON one submission stores (the response and every resource its triage writes), written by HAPI's
 * JSON parser and by {@link ResourceJson}, which writes the same bytes. AverageTime per submission. Run with
 * the {@code bench} profile: {@code -Dbench.args="-f 1 StoredJsonBenchmark"} (docs/performance.md); about
 * two minutes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
public class StoredJsonBenchmark {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @State(Scope.Benchmark)
    public static class Stored {

        /** As in TriageBenchmark: no rule fires (selfCare), or nearly every one (immediate). */
        @Param({"selfCare", "immediate"})
        public String kind;

        FhirContext fhir;
        ResourceJson json;
        List<Resource> resources;

        @Setup(Level.Trial)
        public void setUp() {
            fhir = FhirConfiguration.newContext();
            json = new ResourceJson(fhir);
            TriageEngine engine = new TriageEngine(Content.FHIR);
            RuleSet rules = new TriageRules(Content.registry(), engine)
                    .forQuestionnaire(ChecklistResponses.QUESTIONNAIRE)
                    .orElseThrow();
            TriageDocuments documents = new TriageDocuments(
                    new TriageProperties("Organization/site-1", TriageProperties.Intent.ORDER, "twitch-triage"),
                    "bench");
            QuestionnaireResponse response = ResponseJson.parsed(TriageBenchmark.build(kind));
            response.setId("0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
            response.getMeta().setVersionId("1").setLastUpdated(Date.from(NOW));
            resources = new ArrayList<>();
            resources.add(response);
            resources.addAll(documents
                    .write(response, response.getIdPart(), engine.evaluate(response, rules), NOW)
                    .all());
            for (Resource resource : resources) {
                resource.getMeta().setVersionId("1").setLastUpdated(Date.from(NOW));
                String hapi = fhir.newJsonParser().encodeResourceToString(resource);
                if (!hapi.equals(json.encodeDirectly(resource))) {
                    throw new IllegalStateException(resource.fhirType() + " is not written as HAPI writes it");
                }
            }
            int chars =
                    resources.stream().mapToInt(r -> json.encode(r).length()).sum();
            System.out.printf("%n[%s] %d resources, %d characters of JSON%n", kind, resources.size(), chars);
        }
    }

    @Benchmark
    public void hapiParser(Stored stored, Blackhole sink) {
        for (Resource resource : stored.resources) {
            sink.consume(stored.fhir.newJsonParser().encodeResourceToString(resource));
        }
    }

    @Benchmark
    public void resourceJson(Stored stored, Blackhole sink) {
        for (Resource resource : stored.resources) {
            sink.consume(stored.json.encode(resource));
        }
    }
}
