package io.appmeshxds.translator.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * mesh-translator's shape, as docs/architecture.md states it: pure stages (no I/O but the loader's
 * edge, no clock, no threads, no Kubernetes client, no server), no package cycles, stages that
 * depend only on earlier stages, and Envoy protos only in {@code xds}.
 */
@AnalyzeClasses(packages = {"io.appmeshxds.translator", "com.google.re2j"},
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

  static final String[] TRANSLATOR = {"io.appmeshxds.translator.."};

  /** The loader's edge: the one class that reads files and streams. */
  static final String LOADER_EDGE = "io.appmeshxds.translator.input.ManifestFiles";

  /**
   * Static caches allowed, each memoizing a pure function of immutable values (so which thread or
   * call filled an entry cannot show in any result), each saying so where it is declared.
   */
  static final List<String> MEMO_CACHES = List.of(
      // record class -> its constraint annotations (reflection)
      "io.appmeshxds.translator.model.SchemaValidator",
      // pattern text -> compiled re2j pattern
      "io.appmeshxds.translator.xds.rules.StringCheck",
      // Envoy descriptor -> the fields to check, and whether any rule is reachable
      "io.appmeshxds.translator.xds.rules.MessagePlan",
      // add-only registry of Any payload types (defaults, plug-in factories' types) and memos of a
      // file's import closure and a type's default instance; a check does not add to it
      "io.appmeshxds.translator.xds.rules.TypeRegistry",
      // Unicode class name -> rune ranges
      "io.appmeshxds.translator.re2.Re2UnicodeClasses");

  /** The incremental engine's read recorder (see {@link #only_reads_holds_a_thread_local}). */
  static final String READS = "io.appmeshxds.translator.incremental.Reads";

  @ArchTest
  static final ArchRule no_io_outside_the_loader_edge = Purity.noIo(TRANSLATOR, LOADER_EDGE);

  @ArchTest
  static final ArchRule no_clock = Purity.noClock(TRANSLATOR);

  @ArchTest
  static final ArchRule no_environment = Purity.noEnvironment(TRANSLATOR);

  @ArchTest
  static final ArchRule no_threads_or_shared_state_but_memo_caches =
      Purity.noThreads(TRANSLATOR, MEMO_CACHES.toArray(String[]::new));

  /**
   * The one thread-local allowed: {@code incremental.Reads}, the dynamic scope in which the incremental
   * engine records what a computation reads. Why it is not a parameter: the reads happen inside
   * map lookups ({@code GraphMap.get}) that planners in three modules make; the frame is set and
   * removed around one computation ({@code Reads.record}) on the caller's thread, so nothing
   * outlives the call, and a computation's value never depends on it (only what is recorded does;
   * the incremental-equals-from-scratch property test checks the recording). Java 21's ScopedValue
   * is the type this emulates.
   */
  @ArchTest
  static final ArchRule only_reads_holds_a_thread_local = Purity.noThreadLocals(TRANSLATOR, READS);

  @ArchTest
  static final ArchRule static_fields_are_final = fields().that().areDeclaredInClassesThat().resideInAnyPackage(TRANSLATOR)
      .and().areStatic().should().beFinal()
      .because("a static field that can be reassigned is state shared by every translation");

  @ArchTest
  static final ArchRule no_kubernetes_client = Purity.noKubernetesClient(TRANSLATOR);

  @ArchTest
  static final ArchRule no_server = Purity.noServer(TRANSLATOR);

  @ArchTest
  static final ArchRule envoy_protos_only_in_xds = Purity.envoyProtosOnlyIn(TRANSLATOR, "io.appmeshxds.translator.xds..");

  @ArchTest
  static final ArchRule no_package_cycles = slices().matching("io.appmeshxds.translator.(**)")
      .should().beFreeOfCycles();

  /**
   * Each stage depends only on earlier ones: api, input (with the problem vocabulary), status,
   * model, plan, xds; re2 is a leaf both model and xds use; incremental (the engine's recorder and
   * index) knows only the input vocabulary its keys are made of, and only model and plan use it
   * (xds never learns what a plan read). xds reads plans (which may carry input
   * values, such as ACM certificate material), never the model or statuses: it does not learn
   * where a route came from.
   */
  @ArchTest
  static final ArchRule stages_depend_only_on_earlier_stages = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("api").definedBy("io.appmeshxds.translator.api..")
      .layer("input").definedBy("io.appmeshxds.translator.input..")
      .layer("status").definedBy("io.appmeshxds.translator.status..")
      .layer("re2").definedBy("io.appmeshxds.translator.re2..")
      .layer("incremental").definedBy("io.appmeshxds.translator.incremental..")
      .layer("model").definedBy("io.appmeshxds.translator.model..")
      .layer("plan").definedBy("io.appmeshxds.translator.plan..")
      .layer("xds").definedBy("io.appmeshxds.translator.xds..")
      .whereLayer("api").mayNotAccessAnyLayer()
      .whereLayer("input").mayOnlyAccessLayers("api")
      .whereLayer("status").mayOnlyAccessLayers("api", "input")
      .whereLayer("re2").mayNotAccessAnyLayer()
      .whereLayer("incremental").mayOnlyAccessLayers("api", "input")
      .whereLayer("incremental").mayOnlyBeAccessedByLayers("model", "plan")
      .whereLayer("model").mayOnlyAccessLayers("api", "input", "status", "re2", "incremental")
      .whereLayer("plan").mayOnlyAccessLayers("api", "input", "status", "model", "re2", "incremental")
      .whereLayer("xds").mayOnlyAccessLayers("api", "input", "plan", "re2");

  /**
   * Our class in re2j's package (com.google.re2j.Re2jTrees, see its Why) is re2's accessor: it
   * builds re2's tree and only re2 calls it.
   */
  @ArchTest
  static final ArchRule the_re2j_accessor_serves_re2_only = classes().that().resideInAPackage("com.google.re2j")
      .and().haveSimpleNameStartingWith("Re2jTrees")
      .should().onlyBeAccessed().byClassesThat().resideInAnyPackage("io.appmeshxds.translator.re2..", "com.google.re2j")
      .andShould().onlyDependOnClassesThat().resideInAnyPackage("io.appmeshxds.translator.re2..", "com.google.re2j", "java..");

  /** The proto-rule validator is a general Envoy API checker: it knows nothing of our stages. */
  @ArchTest
  static final ArchRule the_proto_rule_validator_depends_on_nothing_of_ours = noClasses()
      .that().resideInAPackage("io.appmeshxds.translator.xds.rules..")
      .should().dependOnClassesThat(resideInAPackage("io.appmeshxds..")
          .and(DescribedPredicate.not(resideInAPackage("io.appmeshxds.translator.xds.rules.."))))
      .because("rules changes follow Envoy's API, factories follow our features (docs/architecture.md)");

  /** An exception names a class that exists; a renamed class must not leave a stale allowance. */
  @ArchTest
  static void named_exceptions_exist(JavaClasses classes) {
    assertThat(classes.contain(LOADER_EDGE)).as(LOADER_EDGE).isTrue();
    assertThat(classes.contain(READS)).as(READS).isTrue();
    assertThat(MEMO_CACHES).allSatisfy(c -> assertThat(classes.contain(c)).as(c).isTrue());
  }
}
