package org.twitchtriage.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;
import static org.twitchtriage.testing.ClinicianApi.body;
import static org.twitchtriage.testing.ClinicianApi.texts;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.FhirHttpTest;
import org.twitchtriage.testing.TestDatabase;

/**
 * Approval of proposed orders (triage.intent=proposal) after corrections and retractions: it acts on the result
 * as it stands, approving only proposals still active that no standing order was approved from.
 */
class ApprovalIT extends FhirHttpTest {

    private ClinicianApi api;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestDatabase.configureIsolated(registry, "approval");
        registry.add("triage.intent", () -> "proposal");
    }

    @BeforeEach
    void api() {
        api = new ClinicianApi(port);
    }

    @Test
    void proposalsRevokedByACorrectionAreNeverApproved() {
        String id = submit(benign().answer("numbness-tingling", true));
        assertThat(texts(api.result(id).get("approval").get("awaiting"), "code"))
                .containsExactlyInAnyOrder("183521007", "306144006");
        body(api.post("/results/" + id + "/approve"), 201);

        correct(id, benign());

        JsonNode approval = api.result(id).get("approval");
        assertThat(approval.get("possible").asBoolean()).isFalse();
        assertThat(approval.get("awaiting")).isEmpty();
        assertThat(texts(approval.get("approvedOrders"), "status"))
                .as("withdrawn with their proposals")
                .containsExactly("revoked", "revoked");
        JsonNode refused = body(api.post("/results/" + id + "/approve"), 409);
        assertThat(refused.get("detail").asText()).contains("revoked proposals are never approved");
        assertThat(approvedRows(id)).isEqualTo(2);
    }

    @Test
    void afterACorrectionAddsAProposalOnlyTheNewOneAwaitsApproval() {
        String id = submit(benign().answer("family-history", true).answer("spreading", true));
        JsonNode first = body(api.post("/results/" + id + "/approve"), 201);
        assertThat(texts(first.get("orders"), "reference"))
                .containsExactly("ServiceRequest/" + id + "-183521007-approved");
        assertThat(api.result(id).get("approval").get("possible").asBoolean()).isFalse();

        correct(
                id,
                benign().answer("family-history", true)
                        .answer("spreading", true)
                        .answer("numbness-tingling", true));

        JsonNode detail = api.result(id);
        assertThat(detail.get("approval").get("possible").asBoolean()).isTrue();
        assertThat(texts(detail.get("approval").get("awaiting"), "reference"))
                .as("the neurology referral's order still stands; only the MRI is new")
                .containsExactly("ServiceRequest/" + id + "-306144006");
        JsonNode earlier = detail.get("versions").get(1);
        assertThat(earlier.get("version").asInt()).isEqualTo(1);
        assertThat(texts(earlier.get("orders"), "reference"))
                .as("the order approved while version 1 was current")
                .containsExactlyInAnyOrder(
                        "ServiceRequest/" + id + "-183521007", "ServiceRequest/" + id + "-183521007-approved");

        JsonNode second = body(api.post("/results/" + id + "/approve"), 201);
        assertThat(texts(second.get("orders"), "reference"))
                .containsExactly("ServiceRequest/" + id + "-306144006-approved");
        assertThat(jdbc.queryForList(
                        "select delivery_key from delivery where submission_id = ? and batch = 'approval'"
                                + " order by sequence_number",
                        String.class,
                        id))
                .as("one approval delivery per version approved from, the second after the correction's")
                .containsExactly(id + "/approval", id + "/approval-2");
    }

    @Test
    void approvingARetractedResultIsRefused() {
        String id = submit(benign().answer("numbness-tingling", true));

        HttpResponse<String> retracted = update(
                id, benign().answer("numbness-tingling", true).status(QuestionnaireResponseStatus.ENTEREDINERROR));
        assertThat(retracted.statusCode()).as(retracted.body()).isEqualTo(200);

        assertThat(api.result(id).get("approval").get("possible").asBoolean()).isFalse();
        HttpResponse<String> approve = api.post("/results/" + id + "/approve");
        JsonNode problem = body(approve, 409);
        assertThat(approve.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(problem.get("title").asText()).isEqualTo("Result retracted");
        assertThat(problem.get("detail").asText())
                .isEqualTo("QuestionnaireResponse/" + id + " was retracted (entered in error): its result and"
                        + " orders are not to be acted on, so nothing can be approved");
        assertThat(approvedRows(id)).isZero();
    }

    private int approvedRows(String id) {
        return jdbc.queryForObject(
                "select count(*) from triage_resource where origin = 'approval' and submission_id = ?",
                Integer.class,
                id);
    }

    private void correct(String id, ChecklistResponses answers) {
        HttpResponse<String> updated = update(id, answers.status(QuestionnaireResponseStatus.AMENDED));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    private HttpResponse<String> update(String id, ChecklistResponses response) {
        QuestionnaireResponse body = response.build();
        body.setId(id);
        return put("/QuestionnaireResponse/" + id, JSON, json(body));
    }
}
