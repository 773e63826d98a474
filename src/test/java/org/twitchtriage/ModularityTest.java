package org.twitchtriage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Capability packages talk in one direction: intake uses results, triage, questionnaire and fhir; results uses
 * triage; triage uses questionnaire; review (the clinician pages) uses them and delivery; audit uses security;
 * security (access control) uses only the server wiring, and the server wiring uses none of them.
 */
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
        noClasses()
                .that()
                .resideInAPackage("org.twitchtriage.fhir..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.twitchtriage.questionnaire..",
                        "org.twitchtriage.intake..",
                        "org.twitchtriage.security..",
                        "org.twitchtriage.audit..",
                        "org.twitchtriage.review..",
                        "org.twitchtriage.results..",
                        "org.twitchtriage.delivery..")
                .check(CLASSES);
    }

    @Test
    void accessControlKnowsNoCapability() {
        // Who may do what is decided from FHIR types and SMART scopes alone, so no capability can bypass it.
        noClasses()
                .that()
                .resideInAPackage("org.twitchtriage.security..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.twitchtriage.questionnaire..",
                        "org.twitchtriage.intake..",
                        "org.twitchtriage.triage..",
                        "org.twitchtriage.results..",
                        "org.twitchtriage.delivery..",
                        "org.twitchtriage.audit..",
                        "org.twitchtriage.review..")
                .check(CLASSES);
    }

    @Test
    void nothingDependsOnTheClinicianPages() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.twitchtriage.review..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.twitchtriage.review..")
                .check(CLASSES);
    }

    @Test
    void publishedContentKnowsNothingOfIntake() {
        noClasses()
                .that()
                .resideInAPackage("org.twitchtriage.questionnaire..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.twitchtriage.intake..")
                .check(CLASSES);
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
