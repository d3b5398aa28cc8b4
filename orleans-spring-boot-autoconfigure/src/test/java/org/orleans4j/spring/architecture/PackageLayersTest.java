package org.orleans4j.spring.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The starter's packages form layers: {@code autoconfigure} (properties, conditions, phases) at the
 * bottom, one package per feature above it, and no cycle between them. A change that adds a cycle
 * fails here with the chain of classes that closes it.
 */
class PackageLayersTest {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.orleans4j.spring");

    @Test
    void noPackageOfTheStarterDependsOnItselfThroughOthers() {
        slices().matching("org.orleans4j.spring.(**)")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .check(STARTER);
    }
}
