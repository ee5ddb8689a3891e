package io.appmeshxds.server.arch;

import static io.appmeshxds.translator.arch.Planted.assertCaught;
import static io.appmeshxds.translator.arch.Planted.importClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmeshxds.bench.archplanted.BenchStandIn;
import io.appmeshxds.gateway.GatewayModule;
import io.appmeshxds.gateway.archplanted.modules.GatewayUsesOtherModules;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.tracing.archplanted.modules.TracingUsesOtherModules;
import io.appmeshxds.tracing.xds.TracingFactory;
import io.appmeshxds.translator.arch.Planted;
import io.appmeshxds.translator.archplanted.modules.TranslatorUsesOtherModules;
import io.appmeshxds.translator.archplanted.serverside.TranslatorServes;
import io.appmeshxds.translator.xds.XdsTranslator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ModuleDirectionTest} can fail: evaluated exactly as that class defines it
 * (the same {@code ArchRule} objects) on planted classes in xds-server's test sources, which
 * ModuleDirectionTest does not import (DoNotIncludeTests;
 * {@link #plants_are_not_imported_by_module_direction_test}). One test per rule, named as the rule
 * ({@link #every_rule_has_a_plant}):
 *
 * <ul>
 *   <li>mesh_translator_depends_on_nothing_of_ours: {@code translator.archplanted.modules.TranslatorUsesOtherModules};
 *   <li>gateway_depends_on_mesh_translator_only: {@code gateway.archplanted.modules.GatewayUsesOtherModules};
 *   <li>tracing_depends_on_mesh_translator_only: {@code tracing.archplanted.modules.TracingUsesOtherModules};
 *   <li>every_module_is_imported: imports that each lack one module.
 * </ul>
 *
 * <p>Each plant reaches a class of each module its rule forbids; bench's is the stand-in
 * {@code bench.archplanted.BenchStandIn} (bench depends on xds-server, so its classes are not here).
 */
class ModuleDirectionRulesCatchViolationsTest {

  @Test
  void every_rule_has_a_plant() {
    Planted.assertEveryRuleHasAPlant(ModuleDirectionTest.class, getClass(), Set.of());
  }

  @Test
  void plants_are_not_imported_by_module_direction_test() {
    Planted.assertNotImportedBy(ModuleDirectionTest.class, TranslatorUsesOtherModules.class,
        GatewayUsesOtherModules.class, TracingUsesOtherModules.class, BenchStandIn.class, TranslatorServes.class);
  }

  @Test
  void mesh_translator_depends_on_nothing_of_ours() {
    assertCaught(ModuleDirectionTest.mesh_translator_depends_on_nothing_of_ours,
        importClasses(TranslatorUsesOtherModules.class), TranslatorUsesOtherModules.class,
        GatewayModule.class.getName(), TracingFactory.class.getName(), Pipelines.class.getName(),
        BenchStandIn.class.getName());
  }

  @Test
  void gateway_depends_on_mesh_translator_only() {
    assertCaught(ModuleDirectionTest.gateway_depends_on_mesh_translator_only,
        importClasses(GatewayUsesOtherModules.class), GatewayUsesOtherModules.class,
        TracingFactory.class.getName(), Pipelines.class.getName(), BenchStandIn.class.getName());
  }

  @Test
  void tracing_depends_on_mesh_translator_only() {
    assertCaught(ModuleDirectionTest.tracing_depends_on_mesh_translator_only,
        importClasses(TracingUsesOtherModules.class), TracingUsesOtherModules.class,
        GatewayModule.class.getName(), Pipelines.class.getName(), BenchStandIn.class.getName());
  }

  @Test
  void every_module_is_imported() {
    List<Class<?>> oneOfEach = List.of(XdsTranslator.class, GatewayModule.class, TracingFactory.class, Pipelines.class);
    for (Class<?> missing : oneOfEach) {
      Class<?>[] others = oneOfEach.stream().filter(c -> c != missing).toArray(Class<?>[]::new);
      assertThatThrownBy(() -> ModuleDirectionTest.every_module_is_imported(importClasses(others)))
          .as("an import without %s", missing.getName())
          .isInstanceOf(AssertionError.class);
    }
  }
}
