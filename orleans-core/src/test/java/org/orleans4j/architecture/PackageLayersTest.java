package org.orleans4j.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form layers: no package depends, directly or through others, on a package
 * that depends on it, and the runtime needs nothing of Spring. A change that adds a cycle fails here
 * with the chain of classes that closes it. The API and SPI packages expose nothing of the
 * {@code internal} packages.
 */
class PackageLayersTest {

    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.orleans4j");

    @Test
    void noPackageOfTheRuntimeDependsOnItselfThroughOthers() {
        slices().matching("org.orleans4j.(**)")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .check(RUNTIME);
    }

    @Test
    void theApiAndSpiPackagesDoNotExposeInternals() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "org.orleans4j.grain",
                        "org.orleans4j.cluster",
                        "org.orleans4j.metadata",
                        "org.orleans4j.persistence",
                        "org.orleans4j.placement",
                        "org.orleans4j.calls",
                        "org.orleans4j.catalog",
                        "org.orleans4j.directory",
                        "org.orleans4j.messaging",
                        "org.orleans4j.serialization")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.orleans4j.*.internal..")
                .because("users and providers program against these packages; what they may not use lives in"
                        + " packages named internal")
                .check(RUNTIME);
    }

    @Test
    void theRuntimeDoesNotDependOnSpring() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .check(RUNTIME);
    }
}
