package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twitchtriage.testing.CandidateRules;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.IntegrationTest;

/**
 * The module started with a content folder added to the packaged content, holding a new version of the
 * rules (the {@code spreading} rule raised to {@code urgent}): the new version supersedes the packaged ones,
 * which stay published as retired, and triage uses it.
 */
class ContentFolderIT extends IntegrationTest {

    private static final CandidateRules CANDIDATE = CandidateRules.fromActive()
            .level("spreading", "urgent")
            .nextVersion()
            .ownId();

    @DynamicPropertySource
    static void contentFolder(DynamicPropertyRegistry registry) {
        try {
            Path folder = CANDIDATE.writeTo(Files.createTempDirectory("content-folder-it"));
            folder.toFile().deleteOnExit();
            try (var files = Files.list(folder)) {
                files.forEach(file -> file.toFile().deleteOnExit());
            }
            registry.add(
                    "questionnaire.content-locations",
                    () -> "classpath*:fhir/questionnaires/*.json," + "classpath*:fhir/profiles/*.json,file:"
                            + folder.toAbsolutePath() + "/*.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theNewRulesVersionSupersedesThePackagedOnes() {
        Bundle plans = parse(Bundle.class, get("/PlanDefinition?url=" + CandidateRules.RULES));

        Map<String, String> statusByVersion = plans.getEntry().stream()
                .map(e -> (PlanDefinition) e.getResource())
                .collect(Collectors.toMap(
                        PlanDefinition::getVersion, p -> p.getStatus().toCode()));
        assertThat(statusByVersion).containsEntry(CANDIDATE.version(), "active").containsEntry("1.0.0", "retired");
        assertThat(statusByVersion).hasSizeGreaterThan(1);
        assertThat(statusByVersion.values()).filteredOn("active"::equals).hasSize(1);
        assertThat(parse(PlanDefinition.class, get("/PlanDefinition/muscle-twitch-triage"))
                        .getStatus()
                        .toCode())
                .isEqualTo("retired");
    }

    @Test
    void triageUsesTheNewRules() {
        Bundle preview = parse(
                Bundle.class,
                post(
                        "/QuestionnaireResponse/$triage",
                        JSON,
                        json(ChecklistResponses.benign()
                                .answer("spreading", true)
                                .build())));

        Observation observation = preview.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode())
                .isEqualTo("urgent");
        assertThat(observation.getMethod().getText()).isEqualTo(CandidateRules.RULES + "|" + CANDIDATE.version());
    }
}
