package io.appmeshxds.tracing.arch;

import static io.appmeshxds.translator.arch.Planted.assertCaught;
import static io.appmeshxds.translator.arch.Planted.importClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import io.appmeshxds.gateway.archplanted.GatewayStandInSeenFromTracing;
import io.appmeshxds.server.archplanted.ServerStandInSeenFromTracing;
import io.appmeshxds.tracing.archplanted.cycle.a.CycleA;
import io.appmeshxds.tracing.archplanted.cycle.b.CycleB;
import io.appmeshxds.tracing.archplanted.modules.TracingUsesServerAndGateway;
import io.appmeshxds.tracing.logs.xds.archplanted.LogsXdsIsImpure;
import io.appmeshxds.tracing.plan.archplanted.PlanHoldsEnvoyProtos;
import io.appmeshxds.tracing.plan.archplanted.PlanIsImpure;
import io.appmeshxds.tracing.xds.archplanted.XdsIsImpure;
import io.appmeshxds.translator.arch.Planted;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each rule of tracing's {@link ArchitectureTest} can fail: evaluated exactly as that class defines
 * it (the same {@code ArchRule} objects) on planted test-source classes in the packages it covers,
 * which ArchitectureTest does not import (DoNotIncludeTests;
 * {@link #plants_are_not_imported_by_the_architecture_test}), it reports them. One test per rule,
 * named as the rule ({@link #every_rule_has_a_plant}):
 *
 * <ul>
 *   <li>plugged_in_parts_do_no_io, plugged_in_parts_read_no_clock,
 *       plugged_in_parts_read_no_environment, plugged_in_parts_run_no_threads,
 *       plugged_in_parts_hold_no_thread_locals: {@code plan.archplanted.PlanIsImpure},
 *       {@code xds.archplanted.XdsIsImpure} and {@code logs.xds.archplanted.LogsXdsIsImpure}, one in
 *       each plugged-in package, so each package the rules name is shown to be covered;
 *   <li>plans_hold_no_envoy_protos: {@code plan.archplanted.PlanHoldsEnvoyProtos};
 *   <li>no_package_cycles: {@code archplanted.cycle.a.CycleA} and {@code archplanted.cycle.b.CycleB};
 *   <li>not_on_the_server_or_gateway: {@code archplanted.modules.TracingUsesServerAndGateway}, through
 *       stand-ins in the server's and gateway's packages (test sources here).
 * </ul>
 */
class ArchitectureRulesCatchViolationsTest {

  /** One impure plant in each package of {@link ArchitectureTest#PLUGGED_IN}. */
  private static final List<Class<?>> IMPURE_PLANTS = List.of(PlanIsImpure.class, XdsIsImpure.class, LogsXdsIsImpure.class);

  private static final JavaClasses IMPURE = importClasses(IMPURE_PLANTS.toArray(Class<?>[]::new));

  @Test
  void every_rule_has_a_plant() {
    Planted.assertEveryRuleHasAPlant(ArchitectureTest.class, getClass(), Set.of());
  }

  @Test
  void plants_are_not_imported_by_the_architecture_test() {
    Planted.assertNotImportedBy(ArchitectureTest.class, PlanIsImpure.class, XdsIsImpure.class, LogsXdsIsImpure.class,
        PlanHoldsEnvoyProtos.class, CycleA.class, CycleB.class, TracingUsesServerAndGateway.class,
        ServerStandInSeenFromTracing.class, GatewayStandInSeenFromTracing.class);
  }

  private static void assertEachImpurePlantCaught(ArchRule rule, String forbidden) {
    for (Class<?> plant : IMPURE_PLANTS) {
      assertCaught(rule, IMPURE, plant, forbidden);
    }
  }

  @Test
  void plugged_in_parts_do_no_io() {
    assertEachImpurePlantCaught(ArchitectureTest.plugged_in_parts_do_no_io, "java.nio.file.Files");
  }

  @Test
  void plugged_in_parts_read_no_clock() {
    assertEachImpurePlantCaught(ArchitectureTest.plugged_in_parts_read_no_clock, "java.lang.System.currentTimeMillis()");
  }

  @Test
  void plugged_in_parts_read_no_environment() {
    assertEachImpurePlantCaught(ArchitectureTest.plugged_in_parts_read_no_environment, "java.lang.System.getenv(");
  }

  @Test
  void plugged_in_parts_run_no_threads() {
    assertEachImpurePlantCaught(ArchitectureTest.plugged_in_parts_run_no_threads, "java.util.concurrent.ConcurrentHashMap");
  }

  @Test
  void plugged_in_parts_hold_no_thread_locals() {
    assertEachImpurePlantCaught(ArchitectureTest.plugged_in_parts_hold_no_thread_locals, "java.lang.ThreadLocal");
  }

  @Test
  void plans_hold_no_envoy_protos() {
    assertCaught(ArchitectureTest.plans_hold_no_envoy_protos, importClasses(PlanHoldsEnvoyProtos.class),
        PlanHoldsEnvoyProtos.class, "io.envoyproxy.envoy.config.cluster.v3.Cluster",
        "com.github.xds.core.v3.ResourceName", "com.github.udpa.udpa.type.v1.TypedStruct");
  }

  @Test
  void no_package_cycles() {
    assertCaught(ArchitectureTest.no_package_cycles, importClasses(CycleA.class, CycleB.class), CycleA.class,
        CycleB.class.getName());
  }

  @Test
  void not_on_the_server_or_gateway() {
    assertCaught(ArchitectureTest.not_on_the_server_or_gateway, importClasses(TracingUsesServerAndGateway.class),
        TracingUsesServerAndGateway.class, ServerStandInSeenFromTracing.class.getName(),
        GatewayStandInSeenFromTracing.class.getName());
  }
}
