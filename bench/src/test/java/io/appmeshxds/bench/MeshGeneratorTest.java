package io.appmeshxds.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
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
  void theHotServiceAddsOneBackendToEveryNodeAndChangesNothingElse() {
    MeshResources plain = MeshGenerator.generate(MeshGenerator.Profile.M1K, 42);
    MeshResources hot = MeshGenerator.generate(MeshGenerator.Profile.M1K, 42, MeshGenerator.Options.HOT);
    assertThat(MeshGenerator.generate(MeshGenerator.Profile.M1K, 42, MeshGenerator.Options.DEFAULT)).isEqualTo(plain);
    assertThat(hot.ofKind(Kind.VirtualService)).hasSize(1_001);
    assertThat(hot.ofKind(Kind.VirtualNode)).hasSize(2_002);
    plain.objects().forEach((ref, o) -> {
      if (o instanceof VirtualNode n) {
        VirtualNode h = (VirtualNode) hot.objects().get(ref);
        assertThat(h.spec().backends()).hasSize(n.spec().backends().size() + 1).startsWith(n.spec().backends().toArray(VirtualNode.Backend[]::new));
        assertThat(h.spec().backends().get(n.spec().backends().size()).virtualService().virtualServiceRef().name())
            .isEqualTo(MeshGenerator.HOT_SERVICE);
      } else {
        assertThat(hot.objects().get(ref)).isEqualTo(o);
      }
    });
    assertThat(hot.endpointSlices()).containsAllEntriesOf(plain.endpointSlices());
    BuildResult r = new MeshModelBuilder().build(hot);
    assertThat(r.status().hasErrors()).as(r.status().allProblems().stream().limit(5).toList().toString()).isFalse();
  }

  @Test
  void theBenchConfigGivesTheEnvoyClientsPerPodEndpoints() {
    MeshResources m = MeshGenerator.generate(new MeshGenerator.Profile("T", 20, 3, 1, 2), 42);
    BuildResult r = new MeshModelBuilder().build(m);
    NodeKey key = NodeKey.sidecar(MeshGenerator.MESH, MeshGenerator.nodeAwsName(3, "primary"));
    ProxyPlan eds = Pipelines.standard(MeshGenerator.config()).planner().plan(key, new PlanContext(r.model()));
    assertThat(eds.clusters()).filteredOn(c -> c.id() instanceof ClusterId.Backend).isNotEmpty()
        .allMatch(c -> c.type() == ClusterPlan.Type.EDS);
    assertThat(eds.endpoints()).isNotEmpty().allMatch(e -> e.size() == 3);
    // Without the opt-in the same (Envoy) client resolves hostnames itself: no slice would reach it.
    ProxyPlan dns = Pipelines.standard().planner().plan(key, new PlanContext(r.model()));
    assertThat(dns.clusters()).filteredOn(c -> c.id() instanceof ClusterId.Backend).isNotEmpty()
        .allMatch(c -> c.type() == ClusterPlan.Type.LOGICAL_DNS);
    assertThat(dns.endpoints()).isEmpty();
  }

  @Test
  void deterministicBySeed() {
    assertThat(MeshGenerator.generate(MeshGenerator.Profile.M1K, 7)).isEqualTo(MeshGenerator.generate(MeshGenerator.Profile.M1K, 7));
    assertThat(MeshGenerator.generate(MeshGenerator.Profile.M1K, 7)).isNotEqualTo(MeshGenerator.generate(MeshGenerator.Profile.M1K, 8));
  }
}
