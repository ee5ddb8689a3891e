package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.EndpointPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.PlanSession;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.plan.ProxyPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A gateway's backend clusters follow the mesh's endpoint option: by default Envoy resolves the
 * hostname and an EndpointSlice change does not plan the gateway again; with per-pod endpoints the
 * gateway gets EDS and the change reaches it. Incremental plans equal plans from scratch.
 */
class GatewayEndpointsTest {
  static final NodeKey GATEWAY = NodeKey.gateway("web", "gw_web");

  private final MeshModelBuilder builder = new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks());
  private MeshResources last;

  /** The golden case's mesh, with app-v1's first ready pod at {@code ip}. */
  private static String mesh(String ip) throws IOException {
    String text = Files.readString(GatewayGoldenTest.DIR.resolve("endpoints-per-pod.in.yaml"));
    assertThat(text).contains("addresses: [10.1.0.1]");
    return text.replace("addresses: [10.1.0.1]", "addresses: [" + ip + "]");
  }

  private PlanSession.Update apply(PlanSession session, EndpointOptions options, String yaml) {
    MeshResources now = MeshResources.of(new ManifestLoader().loadText("gw", yaml));
    BuildResult b = builder.update(now, InputChanges.between(last, now));
    last = now;
    PlanSession.Update u = session.update(b.model(), b.changes(), List.of());
    ProxyPlan fresh = planner(options).plan(GATEWAY, new PlanContext(b.model()));
    assertThat(session.plan(GATEWAY)).isEqualTo(fresh);
    return u;
  }

  private static Planner planner(EndpointOptions options) {
    return new Planner(options, List.of(GatewayModule.planner(options)), List.of());
  }

  @Test
  void byDefaultASliceChangeLeavesTheGatewayAlone() throws IOException {
    EndpointOptions options = EndpointOptions.appMesh();
    PlanSession session = new PlanSession(planner(options));
    apply(session, options, mesh("10.1.0.1"));
    ProxyPlan before = session.plan(GATEWAY);
    assertThat(before.clusters()).extracting(ClusterPlan::type).containsOnly(ClusterPlan.Type.LOGICAL_DNS);
    assertThat(before.clusters()).extracting(ClusterPlan::staticAddress)
        .containsExactly("app-v1.web.svc.cluster.local", "10.1.0.9");
    assertThat(before.endpoints()).isEmpty();

    PlanSession.Update u = apply(session, options, mesh("10.1.0.7"));

    assertThat(u.changed()).doesNotContainKey(GATEWAY);
    assertThat(u.planned()).as("nothing read the slice").isZero();
    assertThat(session.plan(GATEWAY)).isSameAs(before);
  }

  @Test
  void withPerPodEndpointsASliceChangeReachesTheGateway() throws IOException {
    EndpointOptions options = EndpointOptions.perPod(List.of("web"));
    PlanSession session = new PlanSession(planner(options));
    apply(session, options, mesh("10.1.0.1"));
    assertThat(session.plan(GATEWAY).clusters()).extracting(ClusterPlan::type).containsOnly(ClusterPlan.Type.EDS);

    PlanSession.Update u = apply(session, options, mesh("10.1.0.7"));

    assertThat(u.changed()).containsKey(GATEWAY);
    assertThat(session.plan(GATEWAY).endpoints().stream().flatMap(e -> e.localities().stream())
        .flatMap(l -> l.endpoints().stream()).map(EndpointPlan.Address::ip)).contains("10.1.0.7").doesNotContain("10.1.0.1");
  }
}
