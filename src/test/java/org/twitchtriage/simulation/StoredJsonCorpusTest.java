package org.twitchtriage.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.twitchtriage.fhir.ResourceJson;
import org.twitchtriage.fhir.internal.FhirConfiguration;
import org.twitchtriage.testing.Content;
import org.twitchtriage.testing.StoredResults;
import org.twitchtriage.triage.RuleSet;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageResources;
import org.twitchtriage.triage.TriageRevisions;
import org.twitchtriage.triage.TriageRules;

/**
 * What a submission stores, for every response of the golden corpus, is HAPI's JSON byte for byte, and is written
 * without HAPI's parser: the stored response, every triage resource, and every resource a correction and a
 * retraction of it write (those HAPI's parser writes where a reference keeps its version).
 */
class StoredJsonCorpusTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final TriageProperties PROPERTIES =
            new TriageProperties("Organization/triage-site", TriageProperties.Intent.ORDER, "twitch-triage");

    private final FhirContext fhir = FhirConfiguration.newContext();
    private final ResourceJson json = new ResourceJson(fhir);
    private final TriageEngine engine = new TriageEngine(Content.FHIR);
    private final TriageDocuments documents = new TriageDocuments(PROPERTIES, "test");
    private final TriageRevisions revisions = new TriageRevisions(PROPERTIES);

    @Test
    void everyStoredResourceIsHapisJsonWrittenDirectly() {
        RuleSet rules = new TriageRules(Content.registry(), engine)
                .forQuestionnaire("http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist")
                .orElseThrow();
        Map<String, QuestionnaireResponse> corpus = GoldenCorpus.responses();
        int checked = 0;
        int direct = 0;
        for (Map.Entry<String, QuestionnaireResponse> entry : corpus.entrySet()) {
            String name = entry.getKey();
            QuestionnaireResponse stored = entry.getValue().copy();
            stored.setId("0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
            stored.getMeta().setVersionId("1").setLastUpdated(Date.from(NOW));
            assertDirect(name, stored);

            TriageResources triaged = documents.write(stored, stored.getIdPart(), engine.evaluate(stored, rules), NOW);
            for (Resource resource : triaged.all()) {
                resource.getMeta().setVersionId("1").setLastUpdated(Date.from(NOW));
                assertDirect(name, resource);
                checked++;
            }

            QuestionnaireResponse amended = stored.copy();
            amended.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
            amended.getMeta().setVersionId("2");
            TriageResources fresh = documents.write(amended, stored.getIdPart(), engine.evaluate(amended, rules), NOW);
            List<Resource> written = new ArrayList<>(
                    revisions.amend(amended, StoredResults.atVersionOne(triaged), fresh, NOW.plusSeconds(60)));
            QuestionnaireResponse retracted = stored.copy();
            retracted.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR);
            retracted.getMeta().setVersionId("2");
            written.addAll(revisions.retract(retracted, StoredResults.atVersionOne(triaged), NOW.plusSeconds(120)));
            for (Resource resource : written) {
                String hapi = fhir.newJsonParser().encodeResourceToString(resource);
                assertThat(json.encode(resource))
                        .as(name + " " + resource.getId())
                        .isEqualTo(hapi);
                if (json.encodeDirectly(resource) != null) {
                    direct++;
                }
            }
        }
        assertThat(corpus).hasSizeGreaterThan(30);
        assertThat(checked).isGreaterThan(corpus.size() * 3);
        // Only the Provenance of a revision, whose targets keep their versions, is left to HAPI's parser.
        assertThat(direct).isGreaterThan(corpus.size() * 2);
    }

    private void assertDirect(String name, Resource resource) {
        String hapi = fhir.newJsonParser().encodeResourceToString(resource);
        assertThat(json.encodeDirectly(resource))
                .as(name + " " + resource.fhirType())
                .isEqualTo(hapi);
    }
}
