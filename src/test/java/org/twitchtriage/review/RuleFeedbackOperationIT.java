package org.twitchtriage.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;
import static org.twitchtriage.testing.ClinicianApi.body;
import static org.twitchtriage.testing.ClinicianApi.texts;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.IntegrationTest;

/**
 * {@code PlanDefinition/$rule-feedback}: the governance figures of the clinician pages as Parameters, per rule and
 * per level with the reasons' codings; narrowed by {@code since} and {@code rules}; a bad {@code since} refused
 * naming it; audited as an operation.
 */
class RuleFeedbackOperationIT extends IntegrationTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String RULE_SYSTEM = "http://twitchtriage.org/fhir/CodeSystem/triage-rule";
    private static final String REASONS = "http://twitchtriage.org/fhir/CodeSystem/triage-feedback-reason";
    private static final String OPERATION = "/PlanDefinition/$rule-feedback";

    private ClinicianApi api;

    @BeforeEach
    void api() {
        api = new ClinicianApi(port);
    }

    @Test
    void theFiguresCountVerdictsPerRuleAndPerLevelWithTheReasonsCoded() {
        String id = submit(benign().answer("spreading", true)
                .answer("numbness-tingling", true)
                .subject("Patient/example-rfo-" + RUN + "-1"));
        List<String> rules = texts(api.result(id).get("summary").get("firedRules"), "code");
        assertThat(rules).isNotEmpty();
        String level = api.result(id).get("summary").get("level").get("code").asText();
        Parameters before = figures(OPERATION);

        body(api.post("/results/" + id + "/feedback", "{\"outcome\":\"accepted\"}"), 201);
        body(
                api.post(
                        "/results/" + id + "/feedback",
                        "{\"outcome\":\"overridden\",\"reason\":\"level-too-high\",\"comment\":\"Known cause\"}"),
                201);

        Parameters after = figures(OPERATION);
        for (String rule : rules) {
            ParametersParameterComponent tally = tally(after, "rule", rule);
            Coding coding = (Coding) part(tally, "code").getValue();
            assertThat(coding.getSystem()).isEqualTo(RULE_SYSTEM);
            assertThat(coding.getDisplay()).isNotBlank();
            assertThat(count(after, "rule", rule, "accepted") - count(before, "rule", rule, "accepted"))
                    .isEqualTo(1);
            assertThat(count(after, "rule", rule, "overridden") - count(before, "rule", rule, "overridden"))
                    .isEqualTo(1);
            assertThat(reasonCount(after, "rule", rule, "level-too-high")
                            - reasonCount(before, "rule", rule, "level-too-high"))
                    .isEqualTo(1);
        }
        assertThat(count(after, "level", level, "accepted") - count(before, "level", level, "accepted"))
                .isEqualTo(1);
        assertThat(count(after, "level", level, "overridden") - count(before, "level", level, "overridden"))
                .isEqualTo(1);
        ParametersParameterComponent reason = reason(tally(after, "level", level), "level-too-high");
        Coding reasonCoding = (Coding) part(reason, "code").getValue();
        assertThat(reasonCoding.getSystem()).isEqualTo(REASONS);
        assertThat(reasonCoding.getDisplay()).isEqualTo("Level too urgent for this patient");
        assertThat(((Coding) part(tally(after, "level", level), "code").getValue()).getSystem())
                .isEqualTo("http://twitchtriage.org/fhir/CodeSystem/triage-level");
    }

    @Test
    void sinceAndRulesNarrowTheVerdictsCounted() {
        String id = submit(benign().answer("muscle-loss", true).subject("Patient/example-rfo-" + RUN + "-2"));
        body(api.post("/results/" + id + "/feedback", "{\"outcome\":\"accepted\"}"), 201);

        Parameters future = figures(OPERATION + "?since=2999-01-01");
        assertThat(names(future)).containsExactly("since");
        Parameters otherRules = figures(OPERATION + "?rules=http://example.org/rules%7C0.0.1");
        assertThat(names(otherRules)).containsExactly("rules");

        Parameters asked = new Parameters();
        asked.addParameter("since", new DateTimeType("2000-01-01T00:00:00Z"));
        HttpResponse<String> posted = post(OPERATION, JSON, json(asked));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        Parameters all = parse(Parameters.class, posted);
        assertThat(names(all)).contains("since", "rule", "level");
    }

    @Test
    void aBadSinceIsABadRequestNamingIt() {
        OperationOutcome outcome = outcome(get(OPERATION + "?since=yesterday"), 400);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("'since'");

        Parameters asked = new Parameters();
        asked.addParameter("since", new StringType("31/01/2026"));
        OperationOutcome posted = outcome(post(OPERATION, JSON, json(asked)), 400);
        assertThat(posted.getIssueFirstRep().getDiagnostics()).contains("'since'");
    }

    @Test
    void askingForTheFiguresIsAudited() {
        Instant start = Instant.now().minusSeconds(1);

        figures(OPERATION);

        Bundle events = parse(Bundle.class, get("/AuditEvent?date=ge" + start + "&_count=100"));
        List<AuditEvent> asked = events.getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource())
                .filter(event ->
                        event.getSubtype().stream().map(Coding::getCode).anyMatch("$rule-feedback"::equals))
                .toList();
        assertThat(asked).isNotEmpty();
        assertThat(asked.get(0).getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    }

    @Test
    void theCapabilityStatementListsTheOperationOnPlanDefinition() {
        CapabilityStatement capability = parse(CapabilityStatement.class, get("/metadata"));

        assertThat(capability.getRestFirstRep().getResource().stream()
                        .filter(resource -> resource.getType().equals("PlanDefinition"))
                        .flatMap(resource -> resource.getOperation().stream())
                        .map(CapabilityStatement.CapabilityStatementRestResourceOperationComponent::getName))
                .contains("rule-feedback");
    }

    private Parameters figures(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(Parameters.class, response);
    }

    private static List<String> names(Parameters parameters) {
        return parameters.getParameter().stream()
                .map(ParametersParameterComponent::getName)
                .distinct()
                .toList();
    }

    private static ParametersParameterComponent part(ParametersParameterComponent holder, String name) {
        return holder.getPart().stream()
                .filter(part -> part.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static ParametersParameterComponent tally(Parameters figures, String kind, String code) {
        return figures.getParameter().stream()
                .filter(parameter -> parameter.getName().equals(kind))
                .filter(parameter ->
                        ((Coding) part(parameter, "code").getValue()).getCode().equals(code))
                .findFirst()
                .orElse(null);
    }

    private static long count(Parameters figures, String kind, String code, String outcome) {
        ParametersParameterComponent tally = tally(figures, kind, code);
        return tally == null
                ? 0
                : Long.parseLong(part(tally, outcome).getValue().primitiveValue());
    }

    private static ParametersParameterComponent reason(ParametersParameterComponent tally, String code) {
        if (tally == null) {
            return null;
        }
        return tally.getPart().stream()
                .filter(part -> part.getName().equals("reason"))
                .filter(part -> part(part, "code") != null
                        && ((Coding) part(part, "code").getValue()).getCode().equals(code))
                .findFirst()
                .orElse(null);
    }

    private static long reasonCount(Parameters figures, String kind, String code, String reasonCode) {
        ParametersParameterComponent reason = reason(tally(figures, kind, code), reasonCode);
        return reason == null
                ? 0
                : Long.parseLong(part(reason, "count").getValue().primitiveValue());
    }
}
