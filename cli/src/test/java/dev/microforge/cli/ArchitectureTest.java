package dev.microforge.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The module boundaries of DESIGN.md §1, checked on the compiled main classes of every module: the dependency
 * arrows, deep-learning engines only inside {@code models} and {@code training}, and printing and exiting only in
 * {@code cli}. A rule about a module with no classes yet is allowed to match nothing; once the module has classes it
 * is enforced in full.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.microforge";
    private static final List<String> MODULES =
            List.of("datasets", "evaluator", "models", "training", "generator", "optimizer", "cli");
    /** Module to the modules it may depend on (DESIGN.md §1); cli may depend on all. */
    private static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("datasets", Set.of());
        ALLOWED.put("evaluator", Set.of("datasets"));
        ALLOWED.put("models", Set.of("datasets"));
        ALLOWED.put("training", Set.of("datasets", "evaluator", "models"));
        ALLOWED.put("generator", Set.of("datasets", "evaluator", "models"));
        ALLOWED.put("optimizer", Set.of("datasets", "evaluator", "generator", "models"));
    }

    /** Test classes of any module, whether a folder or a {@code -tests.jar} on the test class path. */
    private static final ImportOption NO_TESTS_ANYWHERE = location -> !location.contains("/test-classes/")
            && !location.matches(Pattern.compile(".*-tests\\.jar.*"));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NO_TESTS_ANYWHERE)
                .importPackages(ROOT);
    }

    private static String pkg(String module) {
        return ROOT + "." + module + "..";
    }

    private static boolean hasClasses(String module) {
        String prefix = ROOT + "." + module;
        return classes.stream().anyMatch(c -> c.getPackageName().equals(prefix)
                || c.getPackageName().startsWith(prefix + "."));
    }

    @Test
    void importerSeesTheMainClassesOnly() {
        assertTrue(hasClasses("datasets"), "no datasets classes imported: the rules below would be vacuous");
        assertTrue(hasClasses("cli"), "no cli classes imported: the rules below would be vacuous");
        assertTrue(classes.contain("dev.microforge.datasets.Volume"));
        assertTrue(classes.contain(Main.class));
        assertFalse(classes.contain(ArchitectureTest.class), "test classes must not be imported");
        assertFalse(classes.contain("dev.microforge.datasets.VolumeAssert"), "test-jar classes must not be imported");
    }

    @TestFactory
    Stream<DynamicTest> modulesDependOnlyOnTheirArrows() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
            String module = e.getKey();
            String[] forbidden = MODULES.stream()
                    .filter(m -> !m.equals(module) && !e.getValue().contains(m))
                    .map(ArchitectureTest::pkg)
                    .toArray(String[]::new);
            ArchRule rule = noClasses().that().resideInAPackage(pkg(module))
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as(module + " depends only on " + (e.getValue().isEmpty() ? "no other module" : e.getValue()))
                    .allowEmptyShould(!hasClasses(module));
            tests.add(DynamicTest.dynamicTest(module, () -> rule.check(classes)));
        }
        return tests.stream();
    }

    @Test
    void nothingDependsOnCli() {
        noClasses().that().resideOutsideOfPackage(pkg("cli"))
                .should().dependOnClassesThat().resideInAPackage(pkg("cli"))
                .check(classes);
    }

    @Test
    void deepLearningEnginesStayInModelsAndTraining() {
        noClasses().that().resideOutsideOfPackages(pkg("models"), pkg("training"))
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "org.nd4j..", "org.deeplearning4j..")
                .as("only models and training use DJL, ND4J or DL4J")
                .check(classes);
    }

    @Test
    void onlyCliPrints() {
        noClasses().that().resideOutsideOfPackage(pkg("cli"))
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .as("only cli uses System.out, System.err or printStackTrace()")
                .check(classes);
    }

    @Test
    void onlyCliExits() {
        exitRule(noClasses().that().resideOutsideOfPackage(pkg("cli"))).check(classes);
    }

    /**
     * {@code NDArray} methods that DJL 0.36.0 computes with the number in a Java buffer it frees at once, while
     * libtorch's autograd may keep that tensor for the backward pass (see {@code dev.microforge.models.Scalars}).
     */
    private static final Set<String> NUMBER_ARITHMETIC =
            Set.of("mul", "muli", "div", "divi", "rdiv", "rdivi", "pow", "powi", "rpow", "rpowi");

    /**
     * The methods (a lambda counts as the method it is written in) that multiply, divide or raise by a number
     * outside any computation autograd records, and why that is safe there. A new call elsewhere fails the test:
     * inside a recorded computation use {@code Scalars.times/over}; outside one, add the method here with the reason.
     */
    private static final Map<String, String> NUMBER_ARITHMETIC_OUTSIDE_AUTOGRAD = new TreeMap<>(Map.of(
            "dev.microforge.models.gan.Critic3d.inputGradient", "the leaky-ReLU mask, from a comparison: no gradient",
            "dev.microforge.models.slicegan.Critic2d.inputGradient", "the leaky-ReLU mask, from a comparison",
            "dev.microforge.training.Adam.step", "the optimiser's update of weights and moments, after backward",
            "dev.microforge.training.Adam.swapAverage", "swaps the weights with their average, in place",
            "dev.microforge.training.gram.GramReconstruction.reconstruct",
            "Adam's update of the design variables, after the gradient is taken"));

    @Test
    void differentiableArithmeticWithANumberGoesThroughScalars() {
        Map<String, String> found = new TreeMap<>();
        for (JavaClass c : classes) {
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                if (NUMBER_ARITHMETIC.contains(call.getName())
                        && call.getTargetOwner().isAssignableTo("ai.djl.ndarray.NDArray")
                        && call.getTarget().getRawParameterTypes().size() == 1
                        && call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(Number.class)) {
                    String method = call.getOrigin().getName();
                    if (method.startsWith("lambda$")) {
                        method = method.split("\\$")[1];
                    }
                    found.putIfAbsent(c.getName() + "." + method, call.getSourceCodeLocation().toString());
                }
            }
        }
        assertEquals(new TreeSet<>(NUMBER_ARITHMETIC_OUTSIDE_AUTOGRAD.keySet()), found.keySet(),
                "NDArray arithmetic with a number outside the allowed methods (first call of each: " + found
                        + "); in a computation autograd records, use Scalars.times/over");
    }

    @Test
    void theRulesCatchAViolation() {
        // Main calls System.exit and prints: the same conditions applied to cli must find it, so they are not vacuous.
        assertTrue(exitRule(noClasses().that().resideInAPackage(pkg("cli"))).evaluate(classes).hasViolation());
        assertTrue(noClasses().that().resideInAPackage(pkg("cli")).should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .evaluate(classes).hasViolation());
        assertTrue(noClasses().that().resideInAPackage(pkg("cli")).should().dependOnClassesThat()
                .resideInAPackage(pkg("datasets")).evaluate(classes).hasViolation());
    }

    private static ArchRule exitRule(com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction classes) {
        return classes.should().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "halt", int.class)
                .as("only cli calls System.exit");
    }
}
