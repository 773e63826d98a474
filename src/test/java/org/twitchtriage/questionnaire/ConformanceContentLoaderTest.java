package org.twitchtriage.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.twitchtriage.questionnaire.internal.ContentLayers;
import org.twitchtriage.testing.Content;

/** Content locations laid over each other: copies, supersession, and the changes that are refused. */
class ConformanceContentLoaderTest {

    private static final String RULES = "http://example.org/fhir/PlanDefinition/rules";
    private static final String FORM = "http://example.org/fhir/Questionnaire/form";

    @TempDir
    Path packaged;

    @TempDir
    Path added;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger layersLog = (Logger) LoggerFactory.getLogger(ContentLayers.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        layersLog.addAppender(logged);
        layersLog.setLevel(Level.INFO);
    }

    @AfterEach
    void releaseLog() {
        layersLog.detachAppender(logged);
        layersLog.setLevel(null);
    }

    @Test
    void aHigherVersionInALaterLocationSupersedesTheEarlierOne() throws IOException {
        write(packaged, "PlanDefinition-rules.json", rules("rules", "1.0.0", "old"));
        write(added, "PlanDefinition-rules-2.json", rules("rules-2", "2.0.0", "new"));

        List<MetadataResource> loaded = load();

        assertThat(loaded)
                .extracting(
                        r -> r.getIdElement().getIdPart() + " " + r.getStatus().toCode())
                .containsExactly("rules retired", "rules-2 active");
        assertThat(logged.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .singleElement()
                .asString()
                .contains(RULES, "2.0.0", "1.0.0", "retired");
        assertThat(new ConformanceRegistry(loaded).byCanonical(PlanDefinition.class, RULES))
                .map(PlanDefinition::getVersion)
                .contains("2.0.0");
    }

    @Test
    void eachLaterVersionSupersedesAllLowerOnes(@TempDir Path third) throws IOException {
        write(packaged, "PlanDefinition-rules.json", rules("rules", "1.0.0", "first"));
        write(added, "PlanDefinition-rules-2.json", rules("rules-2", "2.0.0", "second"));
        write(third, "PlanDefinition-rules-3.json", rules("rules-3", "3.0.0", "third"));

        List<MetadataResource> loaded = new ConformanceContentLoader(Content.FHIR)
                .load(List.of(pattern(packaged), pattern(added), pattern(third)));

        assertThat(loaded)
                .extracting(
                        r -> r.getIdElement().getIdPart() + " " + r.getStatus().toCode())
                .containsExactly("rules retired", "rules-2 retired", "rules-3 active");
        assertThat(new ConformanceRegistry(loaded).all(PlanDefinition.class)).hasSize(3);
    }

    @Test
    void aCopyOfPublishedContentIsTakenOnce() throws IOException {
        write(packaged, "Questionnaire-form.json", form("form", "1.0.0", PublicationStatus.ACTIVE));
        Questionnaire copy = form("form", "1.0.0", PublicationStatus.ACTIVE);
        copy.getMeta().setVersionId("7");
        copy.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED));
        copy.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">copied</div>");
        write(added, "copied-under-another-name.json", copy);
        Files.copy(packaged.resolve("Questionnaire-form.json"), added.resolve("Questionnaire-form.json"));

        assertThat(load())
                .extracting(
                        r -> r.getIdElement().getIdPart() + " " + r.getStatus().toCode())
                .containsExactly("form active");
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aChangeWithoutANewVersionIsRefusedNamingBothFiles() throws IOException {
        write(packaged, "PlanDefinition-rules.json", rules("rules", "1.0.0", "old"));
        write(added, "PlanDefinition-rules-edited.json", rules("rules", "1.0.0", "edited"));

        assertThatThrownBy(this::load)
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining(RULES + "|1.0.0")
                .hasMessageContaining(packaged.resolve("PlanDefinition-rules.json")
                        .getFileName()
                        .toString())
                .hasMessageContaining("PlanDefinition-rules-edited.json")
                .hasMessageContaining("a change needs a new version");
    }

    @Test
    void aNewVersionKeepingTheOldIdIsRefused() throws IOException {
        write(packaged, "PlanDefinition-rules.json", rules("rules", "1.0.0", "old"));
        write(added, "PlanDefinition-rules.json", rules("rules", "1.1.0", "new"));

        assertThatThrownBy(this::load)
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining(RULES + "|1.1.0")
                .hasMessageContaining("keeps its id 'rules'")
                .hasMessageContaining("give the new version an id of its own");
    }

    @Test
    void versionsInOneLocationKeepTheirOwnStatus() throws IOException {
        write(packaged, "Questionnaire-form.json", form("form", "1.0.0", PublicationStatus.ACTIVE));
        write(packaged, "Questionnaire-form-1.1.0.json", form("form-1.1.0", "1.1.0", PublicationStatus.ACTIVE));

        assertThat(load())
                .extracting(
                        r -> r.getIdElement().getIdPart() + " " + r.getStatus().toCode())
                .containsExactly("form-1.1.0 active", "form active");
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aDraftSupersedesNothing() throws IOException {
        write(packaged, "Questionnaire-form.json", form("form", "1.0.0", PublicationStatus.ACTIVE));
        write(added, "Questionnaire-form-2.json", form("form-2", "2.0.0", PublicationStatus.DRAFT));

        assertThat(load())
                .extracting(
                        r -> r.getIdElement().getIdPart() + " " + r.getStatus().toCode())
                .containsExactly("form active", "form-2 draft");
    }

    @Test
    void aLowerVersionAddedLaterIsRetired() throws IOException {
        write(packaged, "Questionnaire-form.json", form("form", "2.0.0", PublicationStatus.ACTIVE));
        write(added, "Questionnaire-form-old.json", form("form-old", "1.0.0", PublicationStatus.ACTIVE));

        assertThat(load())
                .extracting(
                        r -> r.getIdElement().getIdPart() + " " + r.getStatus().toCode())
                .containsExactly("form active", "form-old retired");
    }

    @Test
    void twoActiveVersionsOfOneRulesArtifactInOneLocationAreRefused() throws IOException {
        write(packaged, "PlanDefinition-rules.json", rules("rules", "1.0.0", "old"));
        write(packaged, "PlanDefinition-rules-2.json", rules("rules-2", "2.0.0", "new"));

        assertThatThrownBy(this::load)
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining(RULES)
                .hasMessageContaining("PlanDefinition-rules-2.json")
                .hasMessageContaining("only one version of a rules artifact may be active");
    }

    private List<MetadataResource> load() {
        return new ConformanceContentLoader(Content.FHIR).load(List.of(pattern(packaged), pattern(added)));
    }

    private static String pattern(Path folder) {
        return "file:" + folder.toAbsolutePath() + "/*.json";
    }

    private static void write(Path folder, String name, MetadataResource resource) throws IOException {
        Files.writeString(folder.resolve(name), Content.FHIR.newJsonParser().encodeResourceToString(resource));
    }

    private static PlanDefinition rules(String id, String version, String description) {
        PlanDefinition plan = new PlanDefinition();
        plan.setId(id);
        plan.setUrl(RULES)
                .setVersion(version)
                .setStatus(PublicationStatus.ACTIVE)
                .setDescription(description);
        return plan;
    }

    private static Questionnaire form(String id, String version, PublicationStatus status) {
        Questionnaire questionnaire =
                new Questionnaire().setUrl(FORM).setVersion(version).setStatus(status);
        questionnaire.setId(id);
        questionnaire.addItem().setLinkId("a").setType(QuestionnaireItemType.BOOLEAN);
        return questionnaire;
    }
}
