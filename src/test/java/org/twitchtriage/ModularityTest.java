package org.twitchtriage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

/**
 * The application modules: each top-level package is one, its root types are its API and its sub-packages
 * are internal; each declares the modules it may use in its {@code package-info.java}. Spring Modulith checks
 * that no module reaches another's internals, that the dependencies are the declared ones and that there are
 * no cycles. The module documentation under {@code docs/modules} is written anew by every build.
 */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of(TwitchTriageApplication.class);

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.twitchtriage");

    @Test
    void modulesKeepTheirBoundaries() {
        MODULES.verify();
    }

    @Test
    void theModuleDocumentationIsWrittenUnderDocs() throws IOException {
        Path generated = Path.of("target", "module-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(generated.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        Path docs = Path.of("docs", "modules");
        Files.createDirectories(docs);
        try (Stream<Path> files = Files.list(generated)) {
            for (Path file : files.toList()) {
                copyIfChanged(file, docs.resolve(file.getFileName()));
            }
        }
        assertThat(generated.resolve("components.puml")).content().contains("Review", "Results");
        assertThat(generated.resolve("module-review.adoc")).content().contains("`org.twitchtriage.review`");
        assertThat(sorted(Files.readAllLines(docs.resolve("components.puml"))))
                .as("the committed diagram says what this build found")
                .isEqualTo(sorted(Files.readAllLines(generated.resolve("components.puml"))));
    }

    /**
     * The Documenter does not write its lines in a stable order, so a file is replaced only when its lines
     * differ as a whole, not merely in order: the committed diagrams change when the structure does.
     */
    private static void copyIfChanged(Path generated, Path committed) throws IOException {
        List<String> lines = Files.readAllLines(generated);
        if (Files.exists(committed) && sorted(Files.readAllLines(committed)).equals(sorted(lines))) {
            return;
        }
        Files.write(committed, lines);
    }

    private static List<String> sorted(List<String> lines) {
        // In a canvas the first item of a list cell carries the cell's "|", so it moves with the order too.
        return lines.stream()
                .map(line -> line.replaceFirst("^\\|\\* ", "* "))
                .sorted()
                .toList();
    }

    @Test
    void aModuleThatUsesAnotherModulesInternalsFailsVerification() {
        // A small application beside the real one, whose "orders" module imports an internal type of "results".
        ImportOption testClassesToo = location -> true;
        ApplicationModules broken = ApplicationModules.of("org.twitchtriage.modulithfixture", testClassesToo);
        assertThatThrownBy(broken::verify)
                .isInstanceOf(Violations.class)
                .hasMessageContaining("Module 'orders' depends on non-exposed type")
                .hasMessageContaining("results.internal.StoredRows");
    }

    @Test
    void theTriageEngineKnowsNothingOfSpringHttpOrStorage() {
        noClasses()
                .that()
                .resideInAPackage("org.twitchtriage.triage..")
                .and()
                .doNotHaveSimpleName("TriageConfiguration")
                .and()
                .doNotHaveSimpleName("TriageProperties")
                .and()
                .doNotHaveSimpleName("package-info")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "jakarta.servlet..",
                        "jakarta.persistence..",
                        "ca.uhn.fhir.rest..",
                        "org.twitchtriage.intake..",
                        "org.twitchtriage.results..")
                .check(CLASSES);
    }

    @Test
    void validationPlansStayFreeOfSpringAndHttp() {
        noClasses()
                .that()
                .haveSimpleNameStartingWith("ValidationPlan")
                .or()
                .haveSimpleName("QuestionnaireCompiler")
                .or()
                .haveSimpleName("ItemPlan")
                .or()
                .haveSimpleName("EnableRule")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta.servlet..", "ca.uhn.fhir.rest..")
                .check(CLASSES);
    }
}
