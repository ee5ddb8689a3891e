package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The bundled example and every Flagger phase fixture are accepted whole. */
class ExampleMeshTest {

  static final Path EXAMPLE = Path.of("..", "deploy", "examples", "podinfo");

  @Test
  void bundledExampleIsAcceptedWithoutProblems() {
    LoadResult load = ManifestFiles.load(List.of(EXAMPLE));
    assertThat(load.ioErrors()).isEmpty();
    assertThat(load.problems()).isEmpty();
    BuildResult r = new MeshModelBuilder().build(MeshResources.of(load));
    assertThat(r.status().allProblems()).extracting(Problem::toLine).isEmpty();
    assertThat(r.status().objects().values()).allSatisfy(s -> assertThat(s.condition().isTrue()).isTrue());
    MeshGraph mesh = r.model().mesh("appmesh");
    assertThat(mesh.nodes()).containsOnlyKeys("podinfo-primary_demo", "podinfo-canary_demo", "flagger-loadtester_demo");
    assertThat(mesh.services()).containsOnlyKeys("podinfo.demo", "podinfo-canary.demo");
    assertThat(mesh.routers()).containsOnlyKeys("podinfo_demo", "podinfo-canary_demo");
    assertThat(mesh.gateways()).containsOnlyKeys("appmesh-gateway_appmesh-gateway");
    assertThat(mesh.gatewayRoutes()).containsOnlyKeys("podinfo_demo");
    assertThat(mesh.gateways().get("appmesh-gateway_appmesh-gateway").routes()).containsExactly("podinfo_demo");
    assertThat(mesh.nodes().get("flagger-loadtester_demo").backends())
        .extracting(ResolvedNode.Backend::service)
        .containsExactly("podinfo-canary.demo", "podinfo.demo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"init", "canary-step-weight-10", "promoted", "rolled-back", "ab-testing-init", "ab-testing",
      "blue-green-switched"})
  void flaggerPhaseIsAccepted(String phase) {
    String text = TestManifests.resource("flagger/environment.yaml") + "\n---\n" + TestManifests.resource("flagger/" + phase + ".yaml");
    BuildResult r = new MeshModelBuilder().build(TestManifests.resources(text));
    assertThat(r.status().allProblems()).extracting(Problem::toLine).isEmpty();
    assertThat(r.status().objects().values()).extracting(ObjectStatus::accepted).containsOnly(true);
    assertThat(r.model().mesh("appmesh").routers().get("podinfo_demo").routes()).isNotEmpty();
  }
}
