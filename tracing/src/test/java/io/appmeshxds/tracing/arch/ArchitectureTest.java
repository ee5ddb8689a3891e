package io.appmeshxds.tracing.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.appmeshxds.translator.arch.Purity;

/**
 * The tracing module's shape (docs/architecture.md): what it plugs into translation (a plan
 * decorator, xDS factories) is pure like mesh-translator; the exporter ({@code logs}) and the
 * control plane's spans ({@code telemetry}) run threads and do I/O, apart; no package cycles.
 */
@AnalyzeClasses(packages = "io.appmeshxds.tracing",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

  /** The parts that run inside a translation. */
  static final String[] PLUGGED_IN = {
      "io.appmeshxds.tracing.plan..", "io.appmeshxds.tracing.xds..", "io.appmeshxds.tracing.logs.xds.."};

  @ArchTest
  static final ArchRule plugged_in_parts_do_no_io = Purity.noIo(PLUGGED_IN);

  @ArchTest
  static final ArchRule plugged_in_parts_read_no_clock = Purity.noClock(PLUGGED_IN);

  @ArchTest
  static final ArchRule plugged_in_parts_read_no_environment = Purity.noEnvironment(PLUGGED_IN);

  @ArchTest
  static final ArchRule plugged_in_parts_run_no_threads = Purity.noThreads(PLUGGED_IN);

  @ArchTest
  static final ArchRule plugged_in_parts_hold_no_thread_locals = Purity.noThreadLocals(PLUGGED_IN);

  @ArchTest
  static final ArchRule plans_hold_no_envoy_protos = noClasses().that().resideInAPackage("io.appmeshxds.tracing.plan..")
      .should().dependOnClassesThat().resideInAnyPackage("io.envoyproxy.envoy..", "com.github.xds..", "com.github.udpa..")
      .because("Envoy protos stay in the xDS stage (ARCHITECTURE.md rule 7)");

  @ArchTest
  static final ArchRule no_package_cycles = slices().matching("io.appmeshxds.tracing.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule not_on_the_server_or_gateway = noClasses().that().resideInAPackage("io.appmeshxds.tracing..")
      .should().dependOnClassesThat().resideInAnyPackage("io.appmeshxds.server..", "io.appmeshxds.gateway..")
      .because("tracing depends on mesh-translator only (ARCHITECTURE.md, modules)");
}
