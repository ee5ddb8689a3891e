package io.appmeshxds.gateway.arch;

import static io.appmeshxds.translator.arch.Planted.assertCaught;
import static io.appmeshxds.translator.arch.Planted.importClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.appmeshxds.gateway.GatewayModule;
import io.appmeshxds.gateway.archplanted.cycle.a.CycleA;
import io.appmeshxds.gateway.archplanted.cycle.b.CycleB;
import io.appmeshxds.gateway.archplanted.modules.GatewayUsesServerAndTracing;
import io.appmeshxds.gateway.archplanted.purity.GatewayIsImpure;
import io.appmeshxds.gateway.plan.archplanted.PlanUsesTheWiring;
import io.appmeshxds.gateway.plan.archplanted.PlanUsesXdsStages;
import io.appmeshxds.gateway.xds.HealthCheckFilterFactory;
import io.appmeshxds.gateway.xds.archplanted.XdsUsesTheWiring;
import io.appmeshxds.server.archplanted.ServerStandInSeenFromGateway;
import io.appmeshxds.tracing.archplanted.TracingStandInSeenFromGateway;
import io.appmeshxds.translator.arch.Planted;
import io.appmeshxds.translator.arch.Purity;
import io.appmeshxds.translator.xds.Names;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the gateway's {@link ArchitectureTest} can fail: evaluated exactly as that class
 * defines it (the same {@code ArchRule} objects) on planted test-source classes in the packages it
 * covers, which ArchitectureTest does not import (DoNotIncludeTests;
 * {@link #plants_are_not_imported_by_the_architecture_test}), it reports them. One test per rule,
 * named as the rule ({@link #every_rule_has_a_plant}):
 *
 * <ul>
 *   <li>no_io, no_clock, no_environment, no_threads_or_shared_state, no_thread_locals,
 *       static_fields_are_final, no_server (gRPC, java-control-plane's server and cache) and
 *       envoy_protos_only_in_gateway_xds: {@code gateway.archplanted.purity.GatewayIsImpure};
 *   <li>no_kubernetes_client: no Kubernetes client on this class path. The rule is
 *       {@code Purity.noKubernetesClient(GATEWAY)} ({@link #no_kubernetes_client_is_the_purity_helper_on_the_gateway}):
 *       the GATEWAY packages are shown to cover GatewayIsImpure by the rules above, and xds-server's
 *       {@code TranslatorRulesCatchServerLibrariesTest} shows the helper reports fabric8's client;
 *   <li>no_package_cycles: {@code gateway.archplanted.cycle.a.CycleA} and {@code ...cycle.b.CycleB};
 *   <li>no_cycle_through_the_wiring_package: {@code gateway.plan.archplanted.PlanUsesTheWiring} and
 *       {@code gateway.xds.archplanted.XdsUsesTheWiring};
 *   <li>planning_stage_is_free_of_the_xds_stage: {@code gateway.plan.archplanted.PlanUsesXdsStages};
 *   <li>not_on_the_server_or_tracing: {@code gateway.archplanted.modules.GatewayUsesServerAndTracing},
 *       through stand-ins in the server's and tracing's packages (test sources here).
 * </ul>
 */
class ArchitectureRulesCatchViolationsTest {

  static final Set<String> PLANTED_IN_XDS_SERVER = Set.of("no_kubernetes_client");

  private static final JavaClasses IMPURE = importClasses(GatewayIsImpure.class);

  @Test
  void every_rule_has_a_plant() {
    Planted.assertEveryRuleHasAPlant(ArchitectureTest.class, getClass(), PLANTED_IN_XDS_SERVER);
  }

  @Test
  void plants_are_not_imported_by_the_architecture_test() {
    Planted.assertNotImportedBy(ArchitectureTest.class, GatewayIsImpure.class, CycleA.class, CycleB.class,
        PlanUsesTheWiring.class, XdsUsesTheWiring.class, PlanUsesXdsStages.class, GatewayUsesServerAndTracing.class,
        ServerStandInSeenFromGateway.class, TracingStandInSeenFromGateway.class);
  }

  @Test
  void no_io() {
    assertCaught(ArchitectureTest.no_io, IMPURE, GatewayIsImpure.class, Planted.IO_TARGETS);
  }

  @Test
  void no_clock() {
    assertCaught(ArchitectureTest.no_clock, IMPURE, GatewayIsImpure.class, Planted.CLOCK_TARGETS);
  }

  @Test
  void no_environment() {
    assertCaught(ArchitectureTest.no_environment, IMPURE, GatewayIsImpure.class, Planted.ENVIRONMENT_TARGETS);
  }

  @Test
  void no_threads_or_shared_state() {
    assertCaught(ArchitectureTest.no_threads_or_shared_state, IMPURE, GatewayIsImpure.class, Planted.THREAD_TARGETS);
  }

  @Test
  void no_thread_locals() {
    assertCaught(ArchitectureTest.no_thread_locals, IMPURE, GatewayIsImpure.class, "java.lang.ThreadLocal");
  }

  @Test
  void static_fields_are_final() {
    assertCaught(ArchitectureTest.static_fields_are_final, IMPURE, GatewayIsImpure.class,
        GatewayIsImpure.class.getName() + ".translations");
  }

  @Test
  void no_server() {
    assertCaught(ArchitectureTest.no_server, IMPURE, GatewayIsImpure.class, "io.grpc.ManagedChannel",
        "io.envoyproxy.controlplane.server.V3DiscoveryServer", "io.envoyproxy.controlplane.cache.v3.SimpleCache");
  }

  @Test
  void no_kubernetes_client_is_the_purity_helper_on_the_gateway() {
    assertThat(ArchitectureTest.no_kubernetes_client.getDescription())
        .isEqualTo(Purity.noKubernetesClient(ArchitectureTest.GATEWAY).getDescription());
  }

  @Test
  void envoy_protos_only_in_gateway_xds() {
    assertCaught(ArchitectureTest.envoy_protos_only_in_gateway_xds, IMPURE, GatewayIsImpure.class,
        "io.envoyproxy.envoy.config.cluster.v3.Cluster", "io.envoyproxy.pgv.validate.Validate",
        "com.github.xds.core.v3.ResourceName", "com.github.udpa.udpa.type.v1.TypedStruct");
  }

  @Test
  void no_package_cycles() {
    assertCaught(ArchitectureTest.no_package_cycles, importClasses(CycleA.class, CycleB.class), CycleA.class,
        CycleB.class.getName());
  }

  @Test
  void no_cycle_through_the_wiring_package() {
    JavaClasses plants = importClasses(PlanUsesTheWiring.class, XdsUsesTheWiring.class);
    assertCaught(ArchitectureTest.no_cycle_through_the_wiring_package, plants, PlanUsesTheWiring.class,
        GatewayModule.class.getName());
    assertCaught(ArchitectureTest.no_cycle_through_the_wiring_package, plants, XdsUsesTheWiring.class,
        GatewayModule.class.getName());
  }

  @Test
  void planning_stage_is_free_of_the_xds_stage() {
    assertCaught(ArchitectureTest.planning_stage_is_free_of_the_xds_stage, importClasses(PlanUsesXdsStages.class),
        PlanUsesXdsStages.class, HealthCheckFilterFactory.class.getName(), Names.class.getName());
  }

  @Test
  void not_on_the_server_or_tracing() {
    assertCaught(ArchitectureTest.not_on_the_server_or_tracing, importClasses(GatewayUsesServerAndTracing.class),
        GatewayUsesServerAndTracing.class, ServerStandInSeenFromGateway.class.getName(),
        TracingStandInSeenFromGateway.class.getName());
  }
}
