package io.appmeshxds.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.input.CloudMapAnswer;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Cloud Map answers as endpoints: every client (sidecar and proxyless) gets an EDS cluster with the
 * instances' addresses on the target listener's port; a changed answer re-plans exactly the
 * proxies that reach that node (and nothing when only the failure details change); a failing
 * answer keeps the endpoints and puts a warning, with since when, on the node's status. Every
 * incremental plan equals a plan from scratch.
 */
class CloudMapEndpointsTest {

  static final String MESH = """
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
      metadata: {name: blue, namespace: apps}
      spec:
        listeners: [{portMapping: {port: 8080, protocol: http}}, {portMapping: {port: 9090, protocol: grpc}}]
        serviceDiscovery: {awsCloudMap: {namespaceName: apps.local, serviceName: color,
          attributes: [{key: color, value: blue}, {key: color, value: blue}]}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata: {name: blue, namespace: apps}
      spec: {provider: {virtualNode: {virtualNodeRef: {name: blue}}}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: red, namespace: apps}
      spec:
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        serviceDiscovery: {awsCloudMap: {namespaceName: apps.local, serviceName: color, attributes: [{key: color, value: red}]}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata: {name: red, namespace: apps}
      spec: {provider: {virtualNode: {virtualNodeRef: {name: red}}}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: blueclient, namespace: apps}
      spec:
        backends: [{virtualService: {virtualServiceRef: {name: blue}}}]
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: redclient, namespace: apps}
      spec:
        backends: [{virtualService: {virtualServiceRef: {name: red}}}]
      """;

  static final CloudMapQuery BLUE = new CloudMapQuery("apps.local", "color", new TreeMap<>(Map.of("color", "blue")));
  static final CloudMapQuery RED = new CloudMapQuery("apps.local", "color", new TreeMap<>(Map.of("color", "red")));
  static final NodeKey BLUE_CLIENT = NodeKey.sidecar("m", "blueclient_apps");
  static final NodeKey BLUE_PROXYLESS = NodeKey.proxyless("m", "blueclient_apps", Dialect.GRPC);
  static final NodeKey RED_CLIENT = NodeKey.sidecar("m", "redclient_apps");
  static final ClusterId.Backend BLUE_HTTP = new ClusterId.Backend("m", "blue_apps", PortProtocol.http, 8080);
  static final ClusterId.Backend BLUE_GRPC = new ClusterId.Backend("m", "blue_apps", PortProtocol.grpc, 9090);
  static final ClusterId.Backend RED_HTTP = new ClusterId.Backend("m", "red_apps", PortProtocol.http, 8080);

  private final MeshModelBuilder builder = new MeshModelBuilder();
  private final PlanSession session = new PlanSession(new Planner(EndpointOptions.appMesh(), List.of(), List.of()));
  private MeshResources last;
  private BuildResult build;

  private static CloudMapAnswer answer(String... ips) {
    List<CloudMapAnswer.Instance> list = new java.util.ArrayList<>();
    for (String ip : ips) {
      list.add(ip.contains(":") ? new CloudMapAnswer.Instance(ip, null, ip) : new CloudMapAnswer.Instance(ip, ip, null));
    }
    return CloudMapAnswer.of(list, false);
  }

  private PlanSession.Update apply(Map<CloudMapQuery, CloudMapAnswer> answers) {
    MeshResources r = TestManifests.resources(MESH);
    MeshResources now = r.withCloudMap(answers);
    build = builder.update(now, InputChanges.between(last, now));
    last = now;
    PlanSession.Update u = session.update(build.model(), build.changes(), List.of(BLUE_PROXYLESS));
    SortedMap<NodeKey, ProxyPlan> fresh = new Planner(EndpointOptions.appMesh(), List.of(), List.of())
        .planAll(new PlanContext(build.model()), List.of(BLUE_PROXYLESS));
    Map<NodeKey, ProxyPlan> kept = new TreeMap<>();
    session.keys().forEach(k -> kept.put(k, session.plan(k)));
    assertThat(kept).as("incremental plans equal plans from scratch").isEqualTo(fresh);
    return u;
  }

  private List<String> endpoints(NodeKey key, ClusterId cluster) {
    return session.plan(key).endpoints().stream().filter(e -> e.cluster().equals(cluster))
        .flatMap(e -> e.localities().stream()).flatMap(l -> l.endpoints().stream())
        .map(a -> a.ip() + ":" + a.port()).toList();
  }

  private List<String> warnings(String node) {
    ObjectStatus s = build.status().objects().get(ObjectRef.of(io.appmeshxds.translator.api.Kind.VirtualNode, "apps", node));
    return s.problems().stream().filter(p -> !p.isError()).map(Problem::fieldAndMessage).toList();
  }

  @Test
  void instancesAreEdsEndpointsOnTheTargetListenersPortForEveryClient() {
    apply(Map.of(BLUE, answer("10.0.0.1", "fd00::2"), RED, answer("10.0.1.1")));
    assertThat(session.plan(BLUE_CLIENT).clusters()).filteredOn(c -> c.id().equals(BLUE_HTTP))
        .singleElement().satisfies(c -> assertThat(c.type()).isEqualTo(ClusterPlan.Type.EDS));
    assertThat(endpoints(BLUE_CLIENT, BLUE_HTTP)).containsExactly("10.0.0.1:8080", "fd00::2:8080");
    assertThat(endpoints(BLUE_CLIENT, BLUE_GRPC)).as("the second listener's cluster: its own port")
        .containsExactly("10.0.0.1:9090", "fd00::2:9090");
    assertThat(endpoints(BLUE_PROXYLESS, BLUE_HTTP)).containsExactly("10.0.0.1:8080", "fd00::2:8080");
    assertThat(endpoints(RED_CLIENT, RED_HTTP)).containsExactly("10.0.1.1:8080");
    assertThat(warnings("blue")).containsExactly("spec.serviceDiscovery.awsCloudMap.attributes[1].key: attribute color is "
        + "already filtered on by attributes[0]; Cloud Map takes one value per key, the last one");
  }

  @Test
  void aChangedAnswerReplansOnlyTheProxiesThatReachTheNode() {
    apply(Map.of(BLUE, answer("10.0.0.1"), RED, answer("10.0.1.1")));
    ProxyPlan red = session.plan(RED_CLIENT);

    PlanSession.Update u = apply(Map.of(BLUE, answer("10.0.0.1", "10.0.0.3"), RED, answer("10.0.1.1")));

    assertThat(u.changed().keySet()).containsExactlyInAnyOrder(BLUE_CLIENT, BLUE_PROXYLESS);
    assertThat(session.plan(RED_CLIENT)).isSameAs(red);
    assertThat(build.changes().evaluated()).as("only the blue node's status is evaluated again").isEqualTo(1);
    assertThat(endpoints(BLUE_CLIENT, BLUE_HTTP)).containsExactly("10.0.0.1:8080", "10.0.0.3:8080");
  }

  @Test
  void aFailingAnswerKeepsTheEndpointsAndTheStatusSaysSinceWhen() {
    apply(Map.of(BLUE, answer("10.0.0.1"), RED, answer("10.0.1.1")));
    ProxyPlan blue = session.plan(BLUE_CLIENT);
    Instant since = Instant.parse("2026-12-07T10:00:00Z");
    CloudMapAnswer failing = answer("10.0.0.1").failed("ServiceUnavailable: down (HTTP 503)", since);

    PlanSession.Update u = apply(Map.of(BLUE, failing, RED, answer("10.0.1.1")));

    assertThat(u.changed()).as("the endpoints are the same: no proxy gets anything new").isEmpty();
    assertThat(session.plan(BLUE_CLIENT)).isEqualTo(blue);
    assertThat(warnings("blue")).contains("spec.serviceDiscovery.awsCloudMap: Cloud Map DiscoverInstances for "
        + "apps.local/color{color=blue} failing since 2026-12-07T10:00:00Z: ServiceUnavailable: down (HTTP 503); "
        + "serving the 1 endpoint(s) last discovered");
    assertThat(build.status().objects().get(ObjectRef.of(io.appmeshxds.translator.api.Kind.VirtualNode, "apps", "blue"))
        .condition().status()).as("still served").isEqualTo("True");

    apply(Map.of(BLUE, failing.failed("ServiceUnavailable: down (HTTP 503)", since.plusSeconds(30)), RED, answer("10.0.1.1")));
    assertThat(warnings("blue")).as("failing since the first failure").anyMatch(w -> w.contains("since 2026-12-07T10:00:00Z"));
  }

  @Test
  void noAnswerYetMeansNoEndpointsAndNoWarning() {
    apply(Map.of(RED, answer("10.0.1.1")));
    assertThat(endpoints(BLUE_CLIENT, BLUE_HTTP)).isEmpty();
    assertThat(warnings("blue")).noneMatch(w -> w.startsWith("spec.serviceDiscovery.awsCloudMap:"));
  }

  @Test
  void ipPreferencePicksTheAddressAppMeshUsed() {
    CloudMapAnswer.Instance both = new CloudMapAnswer.Instance("a", "10.0.0.1", "fd00::1");
    CloudMapAnswer.Instance v4 = new CloudMapAnswer.Instance("b", "10.0.0.2", null);
    CloudMapAnswer.Instance v6 = new CloudMapAnswer.Instance("c", null, "fd00::3");
    var none = (io.appmeshxds.translator.api.Mesh.IpPreference) null;
    assertThat(List.of(both.address(none), v4.address(none), v6.address(none))).as("default: IPv4, else IPv6")
        .containsExactly("10.0.0.1", "10.0.0.2", "fd00::3");
    var only4 = io.appmeshxds.translator.api.Mesh.IpPreference.IPv4_ONLY;
    assertThat(java.util.Arrays.asList(both.address(only4), v4.address(only4), v6.address(only4)))
        .containsExactly("10.0.0.1", "10.0.0.2", null);
    var only6 = io.appmeshxds.translator.api.Mesh.IpPreference.IPv6_ONLY;
    assertThat(java.util.Arrays.asList(both.address(only6), v4.address(only6), v6.address(only6)))
        .containsExactly("fd00::1", null, "fd00::3");
  }
}
