package dev.chromatic.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The import rules of docs/architecture: a wrong import fails the build. */
class ArchitectureTest {

    private static final java.util.regex.Pattern TEST_JAR = java.util.regex.Pattern.compile(".*-tests\\.jar!?/.*");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // test helpers shared between modules (the runtime's test-jar) are tests too
                .withImportOption(location -> !location.matches(TEST_JAR))
                .importPackages("dev.chromatic");
    }

    @Test
    void halImportsNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.chromatic.hal..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.chromatic.sim..", "dev.chromatic.runtime..", "dev.chromatic.trainer..", "dev.chromatic.tools..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void runtimeNeverImportsSimTrainerOrTools() {
        noClasses().that().resideInAPackage("dev.chromatic.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.chromatic.sim..", "dev.chromatic.trainer..", "dev.chromatic.tools..",
                        "com.jme3..", "com.hazelcast..", "io.moquette..", "org.openjdk.jmh..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void simImportsOnlyHal() {
        noClasses().that().resideInAPackage("dev.chromatic.sim..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.chromatic.runtime..", "dev.chromatic.trainer..", "dev.chromatic.tools..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void trainerNeverImportsTools() {
        noClasses().that().resideInAPackage("dev.chromatic.trainer..")
                .should().dependOnClassesThat().resideInAPackage("dev.chromatic.tools..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void pi4jOnlyInsideTheDeviceBackend() {
        noClasses().that().resideOutsideOfPackage("dev.chromatic.hal.device..")
                .should().dependOnClassesThat().resideInAPackage("com.pi4j..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void bulletOnlyInsideSim() {
        noClasses().that().resideOutsideOfPackage("dev.chromatic.sim..")
                .should().dependOnClassesThat().resideInAPackage("com.jme3..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void runtimePackagesDependOneWay() {
        slices().matching("dev.chromatic.runtime.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noPackageCyclesInAnyModule() {
        slices().matching("dev.chromatic.(*).(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheOneBuilderComposesTheRobotLoop() {
        java.util.Set<String> parts = java.util.Set.of("dev.chromatic.runtime.loop.ControlAgent",
                "dev.chromatic.runtime.safety.SafetySupervisor", "dev.chromatic.runtime.loop.StandUpBehaviour");
        noClasses().that().doNotHaveFullyQualifiedName("dev.chromatic.runtime.loop.RobotLoop")
                .should().callConstructorWhere(new com.tngtech.archunit.base.DescribedPredicate<
                        com.tngtech.archunit.core.domain.JavaConstructorCall>("a constructor of the loop's parts") {
                    @Override
                    public boolean test(com.tngtech.archunit.core.domain.JavaConstructorCall call) {
                        return parts.contains(call.getTargetOwner().getFullName());
                    }
                })
                .because("the robot's loop is composed in one place (RobotLoop.Context) and driven everywhere")
                .check(classes);
    }
}
