package io.appmeshxds.gateway.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.appmeshxds.translator.arch.Purity;

/**
 * The gateway module's shape (docs/architecture.md): pure like mesh-translator, no package cycles,
 * the planning stage free of the xDS stage, Envoy protos only in {@code gateway.xds}, and of
 * mesh-translator only what a plug-in uses.
 */
@AnalyzeClasses(packages = "io.appmeshxds.gateway",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

  static final String[] GATEWAY = {"io.appmeshxds.gateway.."};

  @ArchTest
  static final ArchRule no_io = Purity.noIo(GATEWAY);

  @ArchTest
  static final ArchRule no_clock = Purity.noClock(GATEWAY);

  @ArchTest
  static final ArchRule no_environment = Purity.noEnvironment(GATEWAY);

  @ArchTest
  static final ArchRule no_threads_or_shared_state = Purity.noThreads(GATEWAY);

  @ArchTest
  static final ArchRule no_thread_locals = Purity.noThreadLocals(GATEWAY);

  @ArchTest
  static final ArchRule static_fields_are_final = fields().that().areDeclaredInClassesThat().resideInAnyPackage(GATEWAY)
      .and().areStatic().should().beFinal()
      .because("a static field that can be reassigned is state shared by every translation");

  @ArchTest
  static final ArchRule no_kubernetes_client = Purity.noKubernetesClient(GATEWAY);

  @ArchTest
  static final ArchRule no_server = Purity.noServer(GATEWAY);

  @ArchTest
  static final ArchRule envoy_protos_only_in_gateway_xds = Purity.envoyProtosOnlyIn(GATEWAY, "io.appmeshxds.gateway.xds..");

  /** Every package its own slice, the wiring package ({@code gateway}) included. */
  @ArchTest
  static final ArchRule no_package_cycles = slices().matching("io.appmeshxds.(gateway).(**)")
      .should().beFreeOfCycles();

  @ArchTest
  static final ArchRule no_cycle_through_the_wiring_package = noClasses()
      .that().resideInAnyPackage("io.appmeshxds.gateway.plan..", "io.appmeshxds.gateway.xds..")
      .should().dependOnClassesThat().resideInAPackage("io.appmeshxds.gateway")
      .because("io.appmeshxds.gateway holds the wiring (GatewayModule), which names both stages");

  @ArchTest
  static final ArchRule planning_stage_is_free_of_the_xds_stage = noClasses()
      .that().resideInAPackage("io.appmeshxds.gateway.plan..")
      .should().dependOnClassesThat().resideInAnyPackage("io.appmeshxds.gateway.xds..", "io.appmeshxds.translator.xds..")
      .because("plans are records; only the xDS stage turns them into Envoy resources");

  @ArchTest
  static final ArchRule not_on_the_server_or_tracing = noClasses().that().resideInAnyPackage(GATEWAY)
      .should().dependOnClassesThat().resideInAnyPackage("io.appmeshxds.server..", "io.appmeshxds.tracing..")
      .because("gateway depends on mesh-translator only (ARCHITECTURE.md, modules)");
}
