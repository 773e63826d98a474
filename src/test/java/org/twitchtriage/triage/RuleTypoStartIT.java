package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.twitchtriage.TwitchTriageApplication;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.testing.TestDatabase;

/**
 * The module does not start when a content folder holds a rule that names an item its checklist lacks:
 * the start-up error names the rules, the rule and the misspelt linkId. The folder is a copy of the
 * second checklist's files with one condition misspelt.
 */
class RuleTypoStartIT {

    private static final String CONDITION = "(repeat(item).where(linkId = 'fever-stiff-neck').answer.value = true)";

    @TempDir
    Path folder;

    @Test
    void theModuleRefusesToStartWithATypoInACondition() throws IOException {
        copySecondChecklistTo(folder);
        Path rules = folder.resolve("PlanDefinition-headache-triage.json");
        String json = Files.readString(rules);
        assertThat(json).containsOnlyOnce(CONDITION);
        Files.writeString(rules, json.replace(CONDITION, CONDITION.replace("fever-stiff-neck", "fever-stif-neck")));

        List<String> arguments = new ArrayList<>(TestDatabase.arguments("rule_typo"));
        arguments.addAll(List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--questionnaire.content-locations=classpath*:fhir/questionnaires/*.json,classpath*:fhir/profiles/*.json,"
                        + folder.toUri() + "*.json"));

        assertThatThrownBy(() -> new SpringApplicationBuilder(TwitchTriageApplication.class)
                        .run(arguments.toArray(String[]::new))
                        .close())
                .getRootCause()
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("PlanDefinition http://example.org/fhir/PlanDefinition/headache-triage|1.0.0,"
                        + " action 'meningism'")
                .hasMessageContaining("names the item 'fever-stif-neck'");
    }

    private static void copySecondChecklistTo(Path target) throws IOException {
        for (Resource file :
                new PathMatchingResourcePatternResolver().getResources("classpath*:second-checklist/*.json")) {
            try (InputStream in = file.getInputStream()) {
                Files.writeString(
                        target.resolve(file.getFilename()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
