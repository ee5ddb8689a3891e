package io.appmeshxds.translator.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.lang.reflect.Member;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Planted violations: small test-source classes that break one architecture rule each, so a test
 * can show that the rule, evaluated as the module's ArchitectureTest defines it, reports them.
 * Why: a rule that matches no class, names a package that does not exist or has a predicate that
 * never fires is green too; a rule that reports its plant is not vacuous.
 *
 * <p>Plants live in test sources, in packages the rules cover (or in a package of their own, with
 * {@code archplanted} in its name), and a module's ArchitectureTest does not import them: it
 * imports with {@link ImportOption.DoNotIncludeTests} ({@link #assertNotImportedBy} checks this for
 * each plant). A test imports the plants explicitly ({@link #importClasses}).
 */
public final class Planted {
  private Planted() {}

  /** What the impure plants ({@code *IsImpure}) do that each purity rule must name, per rule. */
  public static final String[] IO_TARGETS = {"java.nio.file.Files", "java.io.FileInputStream", "java.net.Socket"};

  public static final String[] CLOCK_TARGETS = {"java.lang.System.currentTimeMillis()", "java.lang.System.nanoTime()",
      "java.time.Instant.now()", "java.time.Clock.systemUTC()", "java.time.InstantSource.system()"};

  public static final String[] ENVIRONMENT_TARGETS = {"java.lang.System.getenv(", "java.lang.System.getProperty(",
      "java.lang.System.out", "java.lang.Runtime.getRuntime()", "java.lang.ProcessBuilder"};

  public static final String[] THREAD_TARGETS = {"java.util.concurrent.ConcurrentHashMap", "java.lang.Thread",
      "parallelStream()"};

  /**
   * Exactly these classes (not their nested classes: plants have none), the way the module's
   * ArchitectureTest imports main classes (archunit.properties: dependencies stay unresolved).
   */
  public static JavaClasses importClasses(Class<?>... plants) {
    return new ClassFileImporter().importClasses(plants);
  }

  /**
   * Evaluates {@code rule} on {@code classes} and asserts it reports a violation by {@code plant}:
   * one that names the plant, and for each of {@code forbidden} (a class, method or field the rule
   * forbids, as ArchUnit prints it) one that names the plant and it. Returns the violations.
   */
  public static List<String> assertCaught(ArchRule rule, JavaClasses classes, Class<?> plant, String... forbidden) {
    EvaluationResult result = rule.evaluate(classes);
    List<String> details = result.getFailureReport().getDetails();
    assertThat(result.hasViolation()).as("%s reports a violation on %s", rule.getDescription(), plant.getName()).isTrue();
    assertThat(details).as("violations of %s", rule.getDescription())
        .anySatisfy(d -> assertThat(d).contains(plant.getName()));
    for (String f : forbidden) {
      assertThat(details).as("violations of %s naming %s and %s", rule.getDescription(), plant.getName(), f)
          .anySatisfy(d -> assertThat(d).contains(plant.getName()).contains(f));
    }
    return details;
  }

  /**
   * Asserts that none of {@code plants} is imported by {@code archTest}, an ArchUnit test class:
   * each is outside the packages its {@link AnalyzeClasses} names or in a location one of its import
   * options leaves out. (So the real rules stay green while the plants break them.)
   */
  public static void assertNotImportedBy(Class<?> archTest, Class<?>... plants) {
    AnalyzeClasses analyze = archTest.getAnnotation(AnalyzeClasses.class);
    assertThat(analyze).as("@AnalyzeClasses on %s", archTest.getName()).isNotNull();
    assertThat(analyze.packagesOf()).as("packagesOf (not read here)").isEmpty();
    assertThat(analyze.classes()).as("classes (not read here)").isEmpty();
    assertThat(analyze.locations()).as("locations (not read here)").isEmpty();
    assertThat(analyze.wholeClasspath()).as("wholeClasspath").isFalse();
    List<ImportOption> options = new ArrayList<>();
    for (Class<? extends ImportOption> c : analyze.importOptions()) {
      try {
        options.add(c.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("cannot instantiate import option " + c.getName(), e);
      }
    }
    for (Class<?> plant : plants) {
      boolean inPackages = Arrays.stream(analyze.packages())
          .anyMatch(p -> plant.getPackageName().equals(p) || plant.getPackageName().startsWith(p + "."));
      URL url = plant.getResource(plant.getSimpleName() + ".class");
      assertThat(url).as("class file of %s", plant.getName()).isNotNull();
      Location location = Location.of(url);
      boolean excluded = options.stream().anyMatch(o -> !o.includes(location));
      assertThat(!inPackages || excluded)
          .as("%s (at %s) is not imported by %s", plant.getName(), location, archTest.getSimpleName()).isTrue();
    }
  }

  /**
   * Asserts that each {@link ArchTest} of {@code archTest} has a planted violation: a JUnit test
   * method of {@code plantingTest} named as the rule, or a name in {@code plantedElsewhere} (a rule
   * whose forbidden library is not on this module's class path, planted in xds-server's tests).
   * So a new rule without a plant fails the build.
   */
  public static void assertEveryRuleHasAPlant(Class<?> archTest, Class<?> plantingTest, Set<String> plantedElsewhere) {
    Set<String> planted = Arrays.stream(plantingTest.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(org.junit.jupiter.api.Test.class))
        .map(Member::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    planted.addAll(plantedElsewhere);
    assertThat(planted).as("rules of %s with a planted violation in %s", archTest.getSimpleName(), plantingTest.getSimpleName())
        .containsAll(archTestNames(archTest));
  }

  /** The names of the {@link ArchTest} fields and methods of {@code archTest}. */
  public static Set<String> archTestNames(Class<?> archTest) {
    return Stream.concat(Arrays.stream(archTest.getDeclaredFields()), Arrays.stream(archTest.getDeclaredMethods()))
        .filter(m -> ((java.lang.reflect.AnnotatedElement) m).isAnnotationPresent(ArchTest.class))
        .map(Member::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
