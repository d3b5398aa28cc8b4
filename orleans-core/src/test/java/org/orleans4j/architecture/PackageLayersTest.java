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
 * with the chain of classes that closes it.
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
    void theRuntimeDoesNotDependOnSpring() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .check(RUNTIME);
    }
}
