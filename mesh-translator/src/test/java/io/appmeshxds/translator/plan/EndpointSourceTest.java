package io.appmeshxds.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshModelBuilder;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Where a DNS-discovered backend's endpoints come from: by default (App Mesh's behaviour) the
 * sidecar's cluster names the hostname and Envoy resolves it, so an EndpointSlice change re-plans no
 * sidecar; the proxyless gRPC client of the same node gets EDS from the slices and is re-planned;
 * with the mesh opted into per-pod endpoints the sidecar gets EDS and is re-planned too. Every
 * incremental plan equals a plan from scratch.
 */
class EndpointSourceTest {

  private static String mesh(String podIp) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: apps, labels: {mesh: m}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata: {name: m}
        spec: {namespaceSelector: {matchLabels: {mesh: m}}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: web, namespace: apps}
        spec:
          listeners: [{portMapping: {port: 8080, protocol: http}}]
          serviceDiscovery: {dns: {hostname: web.apps.svc.cluster.local.}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: web, namespace: apps}
        spec: {provider: {virtualNode: {virtualNodeRef: {name: web}}}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: worker, namespace: apps}
        spec:
          backends: [{virtualService: {virtualServiceRef: {name: web}}}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abc12, namespace: apps, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: http, protocol: TCP, port: 8080}]
        endpoints: [{addresses: [%s], conditions: {ready: true}}]
        """.formatted(podIp);
  }

  private static final NodeKey SIDECAR = NodeKey.sidecar("m", "worker_apps");
  private static final NodeKey PROXYLESS = NodeKey.proxyless("m", "worker_apps", Dialect.GRPC);
  private static final ClusterId.Backend WEB = new ClusterId.Backend("m", "web_apps",
      io.appmeshxds.translator.api.PortProtocol.http, 8080);

  private final MeshModelBuilder builder = new MeshModelBuilder();
  private MeshResources last;

  private PlanSession.Update apply(PlanSession session, EndpointOptions options, String yaml) {
    MeshResources now = TestManifests.resources(yaml);
    BuildResult b = builder.update(now, InputChanges.between(last, now));
    last = now;
    assertThat(b.status().objects().values()).allMatch(s -> s.accepted(), "every object accepted");
    PlanSession.Update u = session.update(b.model(), b.changes(), List.of(PROXYLESS));
    SortedMap<NodeKey, ProxyPlan> fresh = new Planner(options, List.of(), List.of())
        .planAll(new PlanContext(b.model()), List.of(PROXYLESS));
    Map<NodeKey, ProxyPlan> kept = new TreeMap<>();
    session.keys().forEach(k -> kept.put(k, session.plan(k)));
    assertThat(kept).isEqualTo(fresh);
    return u;
  }

  private static ClusterPlan cluster(ProxyPlan p) {
    return p.clusters().stream().filter(c -> c.id().equals(WEB)).findFirst().orElseThrow();
  }

  private static List<String> ips(ProxyPlan p) {
    return p.endpoints().stream().filter(e -> e.cluster().equals(WEB))
        .flatMap(e -> e.localities().stream()).flatMap(l -> l.endpoints().stream()).map(EndpointPlan.Address::ip).toList();
  }

  @Test
  void bySliceChangeTheSidecarIsNotPlannedAgainButTheProxylessClientIs() {
    EndpointOptions options = EndpointOptions.appMesh();
    PlanSession session = new PlanSession(new Planner(options, List.of(), List.of()));
    apply(session, options, mesh("10.1.0.1"));
    ProxyPlan sidecar = session.plan(SIDECAR);
    assertThat(cluster(sidecar).type()).isEqualTo(ClusterPlan.Type.LOGICAL_DNS);
    assertThat(cluster(sidecar).staticAddress()).isEqualTo("web.apps.svc.cluster.local.");
    assertThat(cluster(sidecar).staticPort()).isEqualTo(8080);
    assertThat(sidecar.endpoints()).isEmpty();
    assertThat(cluster(session.plan(PROXYLESS)).type()).isEqualTo(ClusterPlan.Type.EDS);
    assertThat(ips(session.plan(PROXYLESS))).containsExactly("10.1.0.1");

    PlanSession.Update u = apply(session, options, mesh("10.1.0.2"));

    assertThat(u.changed().keySet()).containsExactly(PROXYLESS);
    assertThat(u.planned()).as("only the proxyless client read the slice").isEqualTo(1);
    assertThat(session.plan(SIDECAR)).isSameAs(sidecar);
    assertThat(ips(session.plan(PROXYLESS))).containsExactly("10.1.0.2");
  }

  @Test
  void withPerPodEndpointsTheSidecarGetsEdsAndFollowsTheSlice() {
    EndpointOptions options = EndpointOptions.perPod(List.of("m"));
    PlanSession session = new PlanSession(new Planner(options, List.of(), List.of()));
    apply(session, options, mesh("10.1.0.1"));
    assertThat(cluster(session.plan(SIDECAR)).type()).isEqualTo(ClusterPlan.Type.EDS);
    assertThat(ips(session.plan(SIDECAR))).containsExactly("10.1.0.1");

    PlanSession.Update u = apply(session, options, mesh("10.1.0.2"));

    assertThat(u.changed().keySet()).containsExactlyInAnyOrder(SIDECAR, PROXYLESS);
    assertThat(ips(session.plan(SIDECAR))).containsExactly("10.1.0.2");
    assertThat(ips(session.plan(PROXYLESS))).containsExactly("10.1.0.2");
  }

  @Test
  void anotherMeshesOptInLeavesThisMeshToDns() {
    EndpointOptions options = EndpointOptions.perPod(List.of("other"));
    PlanSession session = new PlanSession(new Planner(options, List.of(), List.of()));
    apply(session, options, mesh("10.1.0.1"));
    assertThat(cluster(session.plan(SIDECAR)).type()).isEqualTo(ClusterPlan.Type.LOGICAL_DNS);
    assertThat(EndpointOptions.perPod(List.of("*")).perPod("m")).isTrue();
    assertThat(EndpointOptions.appMesh().perPod("m")).isFalse();
  }
}
