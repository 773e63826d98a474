package org.twitchtriage;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Capability packages talk in one direction: intake uses questionnaire and fhir; questionnaire uses fhir. */
class ModularityTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.twitchtriage");

    @Test
    void capabilityPackagesHaveNoCycles() {
        slices().matching("org.twitchtriage.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void serverWiringKnowsNoCapability() {
        noClasses().that().resideInAPackage("org.twitchtriage.fhir..")
                .should().dependOnClassesThat().resideInAnyPackage("org.twitchtriage.questionnaire..",
                        "org.twitchtriage.intake..")
                .check(CLASSES);
    }

    @Test
    void publishedContentKnowsNothingOfIntake() {
        noClasses().that().resideInAPackage("org.twitchtriage.questionnaire..")
                .should().dependOnClassesThat().resideInAPackage("org.twitchtriage.intake..")
                .check(CLASSES);
    }

    @Test
    void validationPlansStayFreeOfSpringAndHttp() {
        noClasses().that().haveSimpleNameStartingWith("ValidationPlan")
                .or().haveSimpleName("QuestionnaireCompiler").or().haveSimpleName("ItemPlan")
                .or().haveSimpleName("EnableRule")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.servlet..",
                        "ca.uhn.fhir.rest..")
                .check(CLASSES);
    }
}
