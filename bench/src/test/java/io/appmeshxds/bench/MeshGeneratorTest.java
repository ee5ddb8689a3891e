package io.appmeshxds.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshModelBuilder;
import org.junit.jupiter.api.Test;

/** The generated mesh has the stated shape, is fully valid, and is the same for the same seed. */
class MeshGeneratorTest {
  @Test
  void m1kHasItsShapeAndIsValid() {
    MeshResources m = MeshGenerator.generate(MeshGenerator.Profile.M1K, 42);
    assertThat(m.ofKind(Kind.VirtualService)).hasSize(1_000);
    assertThat(m.ofKind(Kind.VirtualRouter)).hasSize(1_000);
    assertThat(m.ofKind(Kind.VirtualNode)).hasSize(2_000);
    assertThat(m.ofKind(Kind.VirtualGateway)).hasSize(10);
    assertThat(m.ofKind(Kind.GatewayRoute)).hasSize(100);
    assertThat(m.endpointSlices().values().stream().mapToInt(s -> s.endpoints().size()).sum()).isEqualTo(6_000);
    BuildResult r = new MeshModelBuilder().build(m);
    assertThat(r.status().hasErrors()).as(r.status().allProblems().stream().limit(5).toList().toString()).isFalse();
    assertThat(r.model().mesh(MeshGenerator.MESH).nodes().get(MeshGenerator.nodeAwsName(7, "primary")).backends()).hasSize(20);
  }

  @Test
  void deterministicBySeed() {
    assertThat(MeshGenerator.generate(MeshGenerator.Profile.M1K, 7)).isEqualTo(MeshGenerator.generate(MeshGenerator.Profile.M1K, 7));
    assertThat(MeshGenerator.generate(MeshGenerator.Profile.M1K, 7)).isNotEqualTo(MeshGenerator.generate(MeshGenerator.Profile.M1K, 8));
  }
}
