package org.twitchtriage.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;

/**
 * Candidate content as clinical governance would write it: a copy of the active checklist rules with one
 * rule's level changed, saved in a folder of its own.
 */
public final class CandidateRules {

    public static final String RULES = "http://twitchtriage.org/fhir/PlanDefinition/muscle-twitch-triage";
    private static final String LEVEL_EXTENSION = "http://twitchtriage.org/fhir/StructureDefinition/triage-level";

    private final PlanDefinition plan;

    private CandidateRules(PlanDefinition plan) {
        this.plan = plan;
    }

    /** A copy of the rules active today, unchanged so far. */
    public static CandidateRules fromActive() {
        PlanDefinition active = Content.registry().all(PlanDefinition.class).stream()
                .filter(p -> RULES.equals(p.getUrl()) && p.getStatus() == PublicationStatus.ACTIVE)
                .findFirst()
                .orElseThrow();
        return new CandidateRules(active.copy());
    }

    public CandidateRules level(String ruleId, String level) {
        PlanDefinitionActionComponent action = plan.getAction().stream()
                .filter(a -> a.getCode().stream()
                        .flatMap(c -> c.getCoding().stream())
                        .anyMatch(c -> ruleId.equals(c.getCode())))
                .findFirst()
                .orElseThrow();
        ((Coding) action.getExtensionByUrl(LEVEL_EXTENSION).getValue()).setCode(level);
        return this;
    }

    /** The next major version, e.g. 1.0.0 becomes 2.0.0. */
    public CandidateRules nextVersion() {
        String major = plan.getVersion().split("\\.")[0];
        plan.setVersion((Integer.parseInt(major) + 1) + ".0.0");
        return this;
    }

    public CandidateRules ownId() {
        plan.setId(plan.getIdPart() + "-" + plan.getVersion());
        return this;
    }

    public String version() {
        return plan.getVersion();
    }

    public Path writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(
                folder.resolve("PlanDefinition-" + plan.getIdPart() + ".json"),
                Content.FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(plan));
        return folder;
    }
}
