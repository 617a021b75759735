package dev.ferry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layout STYLE.md promises: capabilities in the middle, frameworks at the edges, nothing depends on the API. */
class ArchitectureTest {

    private static final JavaClasses FERRY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ferry");

    @Test
    void onlyTheStatemachineAdapterImportsSpringStatemachine() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.ferry.lifecycle.statemachine..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework.statemachine..")
                .check(FERRY);
    }

    @Test
    void onlyTheAwsPackageImportsTheAwsSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.ferry.aws..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .check(FERRY);
    }

    @Test
    void nothingDependsOnTheApi() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.ferry.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.ferry.api..")
                .check(FERRY);
    }

    @Test
    void theLifecyclePortKnowsNoCapability() {
        noClasses()
                .that()
                .resideInAPackage("dev.ferry.lifecycle..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.ferry.job..",
                        "dev.ferry.execution..",
                        "dev.ferry.approval..",
                        "dev.ferry.plan..",
                        "dev.ferry.audit..")
                .check(FERRY);
    }

    @Test
    void theDomainDoesNotReachIntoWorkersOrSecurity() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.ferry.job..",
                        "dev.ferry.plan..",
                        "dev.ferry.audit..",
                        "dev.ferry.approval..",
                        "dev.ferry.action..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.ferry.execution..", "dev.ferry.security..")
                .check(FERRY);
    }

    /** The decider is pure: it decides, the job package writes. So no framework, storage or cloud in it. */
    @Test
    void theEngineIsPure() {
        noClasses()
                .that()
                .resideInAPackage("dev.ferry.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "jakarta.persistence..",
                        "org.hibernate..",
                        "java.sql..",
                        "javax.sql..",
                        "software.amazon.awssdk..",
                        "dev.ferry.job..",
                        "dev.ferry.execution..",
                        "dev.ferry.rollback..")
                .check(FERRY);
    }

    @Test
    void onlyTheEngineRunnersUseTheEngine() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "dev.ferry.engine..", "dev.ferry.job..", "dev.ferry.execution..", "dev.ferry.rollback..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.ferry.engine..")
                .check(FERRY);
    }

    @Test
    void capabilitiesHaveNoCycles() {
        slices().matching("dev.ferry.(*)..").should().beFreeOfCycles().check(FERRY);
    }
}
