package dev.provium;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/** The engine adapts provium-core through its public API only. */
class EngineArchitectureTest {
    private static final String[] ENGINE_PACKAGES = {"dev.provium.engine..", "dev.provium.lua..", "dev.provium.jupiter.."};

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.provium.engine", "dev.provium.lua", "dev.provium.jupiter");

    /** A type of another module that its module marks {@code @API(status = INTERNAL)}. */
    private static final DescribedPredicate<JavaClass> INTERNAL_ELSEWHERE = DescribedPredicate.describe(
            "are marked @API(status = INTERNAL) in another module",
            type -> type.getPackageName().startsWith("dev.provium")
                    && !type.getPackageName().startsWith("dev.provium.engine")
                    && !type.getPackageName().startsWith("dev.provium.lua")
                    && !type.getPackageName().startsWith("dev.provium.jupiter")
                    && type.tryGetAnnotationOfType(API.class).map(api -> api.status() == API.Status.INTERNAL).orElse(false));

    @Test
    void theEngineNeverReachesIntoCoreInternals() {
        noClasses().that().resideInAnyPackage(ENGINE_PACKAGES)
                .should().dependOnClassesThat().resideInAPackage("dev.provium.internal..")
                .orShould().dependOnClassesThat(INTERNAL_ELSEWHERE)
                .check(ENGINE);
    }

    @Test
    void everyPublicTopLevelTypeSaysHowStableItIs() {
        classes().that().arePublic().and().areTopLevelClasses().and().doNotHaveSimpleName("package-info")
                .should().beAnnotatedWith(API.class)
                .check(ENGINE);
    }
}
