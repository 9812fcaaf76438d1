package dev.provium;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.conditions.ArchPredicates.are;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/** provium-core is the plain Java API: no JUnit, no Lua, every public type marked, packages without cycles. */
class CoreArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.provium");

    @Test
    void coreNeverUsesJUnitLuaOrTheEngine() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.junit..", "org.opentest4j..", "org.luaj..", "dev.provium.engine..", "dev.provium.lua..",
                        "dev.provium.jupiter..")
                .check(CORE);
    }

    @Test
    void everyPublicTopLevelTypeSaysHowStableItIs() {
        classes().that().arePublic().and().areTopLevelClasses().and().doNotHaveSimpleName("package-info")
                .should().beAnnotatedWith(API.class)
                .check(CORE);
    }

    @Test
    void theQemuLayerStaysInsideTheVmPackage() {
        classes().that(are(simpleNameStartingWith("Qemu").or(simpleNameStartingWith("Qmp"))
                        .or(simpleName("ResourcePool")).or(simpleName("RunDirectory"))))
                .and().areNotAssignableTo(ProviumException.class)
                .should().notBePublic()
                .check(CORE);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.provium.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
