package io.appmeshxds.translator.arch;

import static io.appmeshxds.translator.arch.Planted.assertCaught;
import static io.appmeshxds.translator.arch.Planted.importClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Re2jTrees;
import com.google.re2j.Re2jTreesPlantedReadsTheModel;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import io.appmeshxds.translator.api.Duration;
import io.appmeshxds.translator.api.archplanted.ApiUsesInput;
import io.appmeshxds.translator.archplanted.cycle.a.CycleA;
import io.appmeshxds.translator.archplanted.cycle.b.CycleB;
import io.appmeshxds.translator.archplanted.purity.TranslatorIsImpure;
import io.appmeshxds.translator.archplanted.re2j.CallsTheRe2jAccessor;
import io.appmeshxds.translator.incremental.archplanted.IncrementalUsesModel;
import io.appmeshxds.translator.input.AcmMaterial;
import io.appmeshxds.translator.input.archplanted.InputUsesStatus;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.GraphMap;
import io.appmeshxds.translator.model.archplanted.ModelUsesPlan;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.archplanted.PlanUsesXds;
import io.appmeshxds.translator.re2.archplanted.Re2UsesApi;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.archplanted.StatusUsesModel;
import io.appmeshxds.translator.xds.Names;
import io.appmeshxds.translator.xds.archplanted.XdsUsesIncremental;
import io.appmeshxds.translator.xds.archplanted.XdsUsesModelAndStatus;
import io.appmeshxds.translator.xds.rules.archplanted.RulesKnowAPlan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureTest} can fail: evaluated exactly as that class defines it (the
 * same {@code ArchRule} objects) on planted classes, it reports them. The plants are test sources in
 * the packages the rules cover, which ArchitectureTest does not import (DoNotIncludeTests;
 * {@link #plants_are_not_imported_by_the_architecture_test}). One test per rule, named as the rule
 * ({@link #every_rule_has_a_plant} fails for a rule without one):
 *
 * <ul>
 *   <li>no_io_outside_the_loader_edge, no_clock, no_environment,
 *       no_threads_or_shared_state_but_memo_caches, only_reads_holds_a_thread_local,
 *       static_fields_are_final, envoy_protos_only_in_xds and no_server (gRPC, the cache):
 *       {@code archplanted.purity.TranslatorIsImpure}, one member per forbidden thing;
 *   <li>no_server (Netty, java-control-plane's server, AWS) and no_kubernetes_client: their
 *       libraries are not on this module's class path; xds-server's
 *       {@code TranslatorRulesCatchServerLibrariesTest} plants them;
 *   <li>no_package_cycles: {@code archplanted.cycle.a.CycleA} and {@code archplanted.cycle.b.CycleB};
 *   <li>stages_depend_only_on_earlier_stages: a plant per clause of the rule ({@link #STAGE_PLANTS}),
 *       {@code <layer>.archplanted.*} reaching a layer the clause forbids;
 *   <li>the_re2j_accessor_serves_re2_only: {@code archplanted.re2j.CallsTheRe2jAccessor} (called from
 *       outside re2) and {@code com.google.re2j.Re2jTreesPlantedReadsTheModel} (depends on the model);
 *   <li>the_proto_rule_validator_depends_on_nothing_of_ours: {@code xds.rules.archplanted.RulesKnowAPlan};
 *   <li>named_exceptions_exist: imports lacking the loader edge, the read recorder, a memo cache.
 * </ul>
 */
class ArchitectureRulesCatchViolationsTest {

  /** Where each rule's plant is, when not in this module. */
  static final Set<String> PLANTED_IN_XDS_SERVER = Set.of("no_kubernetes_client");

  /** A plant and the classes it reaches that its rule forbids. */
  record Plant(Class<?> plant, Class<?>... reached) {
    JavaClasses imported() {
      return importClasses(Stream.concat(Stream.of(plant), Arrays.stream(reached)).toArray(Class<?>[]::new));
    }

    String[] reachedNames() {
      return Arrays.stream(reached).map(Class::getName).toArray(String[]::new);
    }
  }

  /**
   * A plant for each clause of the stage rule, keyed by the clause as the rule describes it (without
   * its list of layers). The incremental rows apply once the rule has an incremental layer
   * (translator.incremental); a clause without a row fails {@link #stages_depend_only_on_earlier_stages}.
   */
  static final Map<String, Plant> STAGE_PLANTS = Map.of(
      "where layer 'api' may not access any layer", new Plant(ApiUsesInput.class, AcmMaterial.class),
      "where layer 'input' may only access layers", new Plant(InputUsesStatus.class, Condition.class),
      "where layer 'status' may only access layers", new Plant(StatusUsesModel.class, BuildResult.class),
      "where layer 're2' may not access any layer", new Plant(Re2UsesApi.class, Duration.class),
      "where layer 'model' may only access layers", new Plant(ModelUsesPlan.class, ClusterPlan.class),
      "where layer 'plan' may only access layers", new Plant(PlanUsesXds.class, Names.class),
      "where layer 'xds' may only access layers", new Plant(XdsUsesModelAndStatus.class, BuildResult.class, Condition.class),
      "where layer 'incremental' may only access layers", new Plant(IncrementalUsesModel.class, BuildResult.class),
      "where layer 'incremental' may only be accessed by layers", new Plant(XdsUsesIncremental.class, IncrementalUsesModel.class));

  private static final JavaClasses IMPURE = importClasses(TranslatorIsImpure.class);

  @Test
  void every_rule_has_a_plant() {
    Planted.assertEveryRuleHasAPlant(ArchitectureTest.class, getClass(), PLANTED_IN_XDS_SERVER);
  }

  @Test
  void plants_are_not_imported_by_the_architecture_test() {
    Planted.assertNotImportedBy(ArchitectureTest.class, TranslatorIsImpure.class, CycleA.class, CycleB.class,
        CallsTheRe2jAccessor.class, Re2jTreesPlantedReadsTheModel.class, RulesKnowAPlan.class);
    Planted.assertNotImportedBy(ArchitectureTest.class,
        STAGE_PLANTS.values().stream().map(Plant::plant).toArray(Class<?>[]::new));
  }

  @Test
  void no_io_outside_the_loader_edge() {
    assertCaught(ArchitectureTest.no_io_outside_the_loader_edge, IMPURE, TranslatorIsImpure.class, Planted.IO_TARGETS);
  }

  @Test
  void no_clock() {
    assertCaught(ArchitectureTest.no_clock, IMPURE, TranslatorIsImpure.class, Planted.CLOCK_TARGETS);
  }

  @Test
  void no_environment() {
    assertCaught(ArchitectureTest.no_environment, IMPURE, TranslatorIsImpure.class, Planted.ENVIRONMENT_TARGETS);
  }

  @Test
  void no_threads_or_shared_state_but_memo_caches() {
    assertCaught(ArchitectureTest.no_threads_or_shared_state_but_memo_caches, IMPURE, TranslatorIsImpure.class, Planted.THREAD_TARGETS);
  }

  @Test
  void only_reads_holds_a_thread_local() {
    assertCaught(ArchitectureTest.only_reads_holds_a_thread_local, IMPURE, TranslatorIsImpure.class,
        "java.lang.ThreadLocal");
  }

  @Test
  void static_fields_are_final() {
    assertCaught(ArchitectureTest.static_fields_are_final, IMPURE, TranslatorIsImpure.class,
        TranslatorIsImpure.class.getName() + ".translations");
  }

  @Test
  void no_server() {
    assertCaught(ArchitectureTest.no_server, IMPURE, TranslatorIsImpure.class,
        "io.grpc.ManagedChannel", "io.envoyproxy.controlplane.cache.v3.SimpleCache");
  }

  @Test
  void envoy_protos_only_in_xds() {
    assertCaught(ArchitectureTest.envoy_protos_only_in_xds, IMPURE, TranslatorIsImpure.class,
        "io.envoyproxy.envoy.config.cluster.v3.Cluster", "io.envoyproxy.pgv.validate.Validate",
        "com.github.xds.core.v3.ResourceName", "com.github.udpa.udpa.type.v1.TypedStruct");
  }

  @Test
  void no_package_cycles() {
    assertCaught(ArchitectureTest.no_package_cycles, importClasses(CycleA.class, CycleB.class), CycleA.class,
        CycleB.class.getName());
  }

  @Test
  void stages_depend_only_on_earlier_stages() {
    ArchRule rule = ArchitectureTest.stages_depend_only_on_earlier_stages;
    List<String> clauses = clauses(rule);
    assertThat(clauses).as("clauses of %s", rule.getDescription()).hasSizeGreaterThanOrEqualTo(7);
    for (String clause : clauses) {
      Plant plant = STAGE_PLANTS.get(clause);
      assertThat(plant).as("a planted violation of '%s' in STAGE_PLANTS", clause).isNotNull();
      assertCaught(rule, plant.imported(), plant.plant(), plant.reachedNames());
    }
  }

  /** The "where layer ..." clauses of a layered rule's description, without their lists of layers. */
  static List<String> clauses(ArchRule layered) {
    return layered.getDescription().lines().map(String::trim)
        .filter(l -> l.startsWith("where layer '"))
        .map(l -> l.replaceFirst("\\s*\\[.*$", ""))
        .collect(Collectors.toList());
  }

  @Test
  void the_re2j_accessor_serves_re2_only() {
    ArchRule rule = ArchitectureTest.the_re2j_accessor_serves_re2_only;
    assertCaught(rule, importClasses(Re2jTrees.class, CallsTheRe2jAccessor.class), CallsTheRe2jAccessor.class,
        Re2jTrees.class.getName() + ".parse(");
    assertCaught(rule, importClasses(Re2jTreesPlantedReadsTheModel.class), Re2jTreesPlantedReadsTheModel.class,
        GraphMap.class.getName());
  }

  @Test
  void the_proto_rule_validator_depends_on_nothing_of_ours() {
    assertCaught(ArchitectureTest.the_proto_rule_validator_depends_on_nothing_of_ours,
        importClasses(RulesKnowAPlan.class), RulesKnowAPlan.class, ClusterPlan.class.getName());
  }

  @Test
  void named_exceptions_exist() throws ClassNotFoundException {
    Class<?> edge = Class.forName(ArchitectureTest.LOADER_EDGE);
    Class<?> reads = Class.forName(ArchitectureTest.READS);
    assertThatThrownBy(() -> ArchitectureTest.named_exceptions_exist(importClasses(reads)))
        .isInstanceOf(AssertionError.class).hasMessageContaining(ArchitectureTest.LOADER_EDGE);
    assertThatThrownBy(() -> ArchitectureTest.named_exceptions_exist(importClasses(edge)))
        .isInstanceOf(AssertionError.class).hasMessageContaining(ArchitectureTest.READS);
    assertThatThrownBy(() -> ArchitectureTest.named_exceptions_exist(importClasses(edge, reads)))
        .isInstanceOf(AssertionError.class).hasMessageContaining(ArchitectureTest.MEMO_CACHES.get(0));
  }
}
