package io.appmeshxds.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The modules' one-way dependencies (ARCHITECTURE.md, "Modules"): mesh-translator depends on
 * nothing of ours; gateway and tracing depend on mesh-translator only. Maven's reactor forbids a
 * cycle between modules but not a new edge such as gateway on tracing; this test does. It runs
 * here because xds-server's class path holds every module.
 */
@AnalyzeClasses(packages = "io.appmeshxds", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDirectionTest {

  @ArchTest
  static final ArchRule mesh_translator_depends_on_nothing_of_ours = noClasses()
      .that().resideInAPackage("io.appmeshxds.translator..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.appmeshxds.gateway..", "io.appmeshxds.tracing..", "io.appmeshxds.server..", "io.appmeshxds.bench..");

  @ArchTest
  static final ArchRule gateway_depends_on_mesh_translator_only = noClasses()
      .that().resideInAPackage("io.appmeshxds.gateway..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.appmeshxds.tracing..", "io.appmeshxds.server..", "io.appmeshxds.bench..");

  @ArchTest
  static final ArchRule tracing_depends_on_mesh_translator_only = noClasses()
      .that().resideInAPackage("io.appmeshxds.tracing..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.appmeshxds.gateway..", "io.appmeshxds.server..", "io.appmeshxds.bench..");

  /** The rules above are not vacuous: every module's classes were imported. */
  @ArchTest
  static void every_module_is_imported(JavaClasses classes) {
    assertThat(classes.contain("io.appmeshxds.translator.xds.XdsTranslator")).isTrue();
    assertThat(classes.contain("io.appmeshxds.gateway.GatewayModule")).isTrue();
    assertThat(classes.contain("io.appmeshxds.tracing.xds.TracingFactory")).isTrue();
    assertThat(classes.contain("io.appmeshxds.server.Pipelines")).isTrue();
  }
}
