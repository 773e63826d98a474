package org.twitchtriage.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.CdsHooks;
import org.twitchtriage.testing.ClinicianApi;
import org.twitchtriage.testing.IntegrationTest;

/** Where orders are only proposed, the card's link says they await sign-off, until a clinician approves them. */
class CdsHooksSignOffIT extends IntegrationTest {

    @DynamicPropertySource
    static void proposals(DynamicPropertyRegistry registry) {
        registry.add("triage.intent", () -> "proposal");
    }

    @Test
    void theLinkAsksForSignOffWhileProposalsAwaitIt() {
        String patient = "example-cds-signoff-" + UUID.randomUUID().toString().substring(0, 8);
        String id = submit(benign().answer("numbness-tingling", true).subject("Patient/" + patient));

        JsonNode awaiting = card(patient);
        assertThat(awaiting.get("links").get(0).get("label").asText())
                .isEqualTo("Review and sign off the proposed orders in Twitch triage");
        assertThat(awaiting.get("detail").asText())
                .contains(": proposal, status active, priority urgent, **awaiting a clinician's sign-off**");

        ClinicianApi.body(new ClinicianApi(port).post("/results/" + id + "/approve"), 201);
        JsonNode approved = card(patient);

        assertThat(approved.get("links").get(0).get("label").asText())
                .isEqualTo("Open the triage result in Twitch triage");
        assertThat(approved.get("detail").asText())
                .doesNotContain("awaiting")
                .contains(": order, status active, priority urgent");
    }

    private JsonNode card(String patient) {
        JsonNode cards = CdsHooks.json(CdsHooks.call(port, CdsHooks.patientView(patient), null), 200)
                .get("cards");
        assertThat(cards).hasSize(1);
        return cards.get(0);
    }
}
