package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.kubernetes.GatewayApiKinds;
import io.appmeshxds.server.status.kubernetes.Leadership;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.FlaggerGatewayApi;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.translator.input.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --kubernetes} with Gateway API objects created in fabric8's mock API (CRUD mode, with
 * Gateway API's CRDs registered as the cluster would have them): an HTTPRoute routes a grpc-java
 * xDS client, and the lease holder writes {@code status.parents[]} as Gateway API defines it
 * (Accepted, ResolvedRefs, reasons, observedGeneration per parent, other controllers' entries
 * kept). The last test runs a cluster without Gateway API's CRDs: it syncs, and picks the kinds
 * up when the CRDs are installed later.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesGatewayApiTest {
  static final Map<String, String> NONE = Map.of();
  static final String CONTROLLER = "appmesh-xds.io/mesh-controller";

  @TempDir static Path dir;
  final Backend primary = new Backend("primary");
  final Backend canary = new Backend("canary");
  MockApi api;
  KubernetesClient client;
  KubernetesMode mode;
  XdsChannel apex;

  KubernetesGatewayApiTest() throws Exception {}

  @BeforeAll
  void start() throws Exception {
    api = new MockApi();
    installGatewayApiCrds(api.admin());
    new MeshFiles(dir, RunningMesh.backends(primary, canary));
    api.applyDir(dir);
    // The App Mesh router sends everything to the canary: what reaches the primary was routed by an HTTPRoute.
    api.routes("demo", "podinfo", Flagger.weights(100));
    client = api.newClient();
    mode = KubernetesMode.start(client, Pipelines.standard(), ControlPlane.Settings.loopback(),
        new KubernetesMode.Settings(null, "appmesh-system", "replica-0",
            new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))));
    Await.until(() -> mode.controlPlane().reconciler().ready(), 30_000);
    apex = new XdsChannel(mode.controlPlane().xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898");
    awaitStable(apex, "canary", 10);
  }

  @AfterAll
  void stop() throws Exception {
    apex.close();
    mode.close();
    client.close();
    api.close();
    primary.close();
    canary.close();
  }

  @Test
  @Order(1)
  void httpRouteCreatedInTheApiRoutesTheClientAndIsAcceptedPerParent() throws Exception {
    assertThat(mode.source().synced()).isTrue();
    apply(api.admin(), FlaggerGatewayApi.weights(100, 0));
    awaitStable(apex, "primary", 20); // the HTTPRoute wins over the router (which says canary)
    assertThat(apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));

    Map<String, Object> accepted = awaitCondition("podinfo", "Accepted", "True");
    GenericKubernetesResource route = get("podinfo");
    long generation = route.getMetadata().getGeneration();
    assertThat(accepted.get("reason")).isEqualTo("Accepted");
    assertThat((String) accepted.get("message")).contains("VirtualService podinfo.demo");
    assertThat(((Number) accepted.get("observedGeneration")).longValue()).isEqualTo(generation);
    assertThat(accepted.get("lastTransitionTime")).isNotNull();
    Map<String, Object> refs = condition(route, "ResolvedRefs");
    assertThat(refs).containsEntry("status", "True").containsEntry("reason", "ResolvedRefs");
    assertThat(((Number) refs.get("observedGeneration")).longValue()).isEqualTo(generation);
    List<Map<String, Object>> parents = parents(route);
    assertThat(parents).hasSize(1);
    assertThat(parents.get(0).get("controllerName")).isEqualTo(CONTROLLER);
    assertThat((Map<String, Object>) parents.get(0).get("parentRef"))
        .containsEntry("kind", "Service").containsEntry("name", "podinfo").containsEntry("group", "");
    assertThat(((Number) ((Map<?, ?>) parents.get(0).get("parentRef")).get("port")).intValue()).isEqualTo(9898);

    // Nothing changed: compared again, nothing written (numbers come back from the API as Integers).
    Await.until(() -> mode.statusSink().pending() == 0, 10_000);
    long writes = mode.statusSink().writes();
    mode.statusSink().touch(new ObjectRef("HTTPRoute", "demo", "podinfo"));
    Await.until(() -> mode.statusSink().pending() == 0, 10_000);
    assertThat(mode.statusSink().writes()).as("no write when the status already says it").isEqualTo(writes);
  }

  @Test
  @Order(2)
  void missingBackendIsResolvedRefsFalseBackendNotFound() throws Exception {
    apply(api.admin(), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: missing
          namespace: demo
        spec:
          parentRefs:
            - group: ""
              kind: Service
              name: podinfo
              port: 9898
          rules:
            - matches:
                - path:
                    type: PathPrefix
                    value: /missing
              backendRefs:
                - name: nosuch
                  port: 9898
        """);
    Map<String, Object> refs = awaitCondition("missing", "ResolvedRefs", "False");
    assertThat(refs.get("reason")).isEqualTo("BackendNotFound");
    assertThat((String) refs.get("message")).contains("spec.rules[0].backendRefs[0].name", "nosuch");
    GenericKubernetesResource route = get("missing");
    assertThat(((Number) refs.get("observedGeneration")).longValue()).isEqualTo(route.getMetadata().getGeneration());
    assertThat(condition(route, "Accepted")).containsEntry("status", "True"); // attached; its backend is not
    assertThat(apex.tally(50, NONE)).containsExactly(Map.entry("primary", 50)); // the other route still serves
  }

  @Test
  @Order(3)
  void crossNamespaceBackendNeedsAReferenceGrant() throws Exception {
    api.apply("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: other
          labels:
            appmesh.k8s.aws/sidecarInjectorWebhook: enabled
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: remote
          namespace: other
        spec:
          podSelector:
            matchLabels:
              app: remote
          listeners:
            - portMapping:
                port: 9898
                protocol: http
          serviceDiscovery:
            dns:
              hostname: remote.other.svc.cluster.local
        """);
    apply(api.admin(), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: cross
          namespace: demo
        spec:
          parentRefs:
            - group: ""
              kind: Service
              name: podinfo
              port: 9898
          rules:
            - matches:
                - path:
                    type: PathPrefix
                    value: /remote
              backendRefs:
                - name: remote
                  namespace: other
                  port: 9898
        """);
    Map<String, Object> denied = awaitCondition("cross", "ResolvedRefs", "False");
    assertThat(denied.get("reason")).isEqualTo("RefNotPermitted");
    assertThat((String) denied.get("message")).contains("spec.rules[0].backendRefs[0].namespace", "ReferenceGrant");
    Object deniedSince = denied.get("lastTransitionTime");

    apply(api.admin(), """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata:
          name: from-demo
          namespace: other
        spec:
          from:
            - group: gateway.networking.k8s.io
              kind: HTTPRoute
              namespace: demo
          to:
            - group: ""
              kind: Service
        """);
    Map<String, Object> granted = awaitCondition("cross", "ResolvedRefs", "True");
    assertThat(granted.get("reason")).isEqualTo("ResolvedRefs");
    assertThat(granted.get("lastTransitionTime")).isNotNull();
    assertThat(deniedSince).isNotNull();
    assertThat(condition(get("cross"), "Accepted")).containsEntry("status", "True");
  }

  @Test
  @Order(4)
  void otherControllersEntriesAreKeptAndTransitionTimesTooWhenNothingFlips() throws Exception {
    var op = routes().inNamespace("demo");
    GenericKubernetesResource route = op.withName("podinfo").get();
    Map<String, Object> before = condition(route, "Accepted");
    // Another implementation (a Gateway's controller) writes its own entry next to ours.
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) route.getAdditionalProperties().get("status");
    List<Object> parents = new ArrayList<>((List<?>) status.get("parents"));
    Map<String, Object> theirs = Map.of(
        "parentRef", Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", "edge", "namespace", "demo"),
        "controllerName", "example.net/gateway-controller",
        "conditions", List.of(Map.of("type", "Accepted", "status", "True", "reason", "Accepted", "message", "theirs",
            "observedGeneration", route.getMetadata().getGeneration(), "lastTransitionTime", "2024-01-01T00:00:00Z")));
    parents.add(0, theirs);
    status.put("parents", parents);
    op.resource(route).updateStatus();

    // A spec change: a new generation to judge (a timeout; the route stays accepted).
    apply(api.admin(), FlaggerGatewayApi.weightsWithTimeout(100, 0, "10s"));
    long generation = op.withName("podinfo").get().getMetadata().getGeneration();
    Await.until(() -> {
      Map<String, Object> c = condition(op.withName("podinfo").get(), "Accepted");
      return c != null && ((Number) c.get("observedGeneration")).longValue() == generation;
    }, 15_000);
    GenericKubernetesResource after = op.withName("podinfo").get();
    List<Map<String, Object>> all = parents(after);
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("controllerName")).isEqualTo("example.net/gateway-controller");
    assertThat(((Map<?, ?>) all.get(0).get("parentRef")).get("name")).isEqualTo("edge");
    assertThat(all.get(1).get("controllerName")).isEqualTo(CONTROLLER);
    Map<String, Object> now = condition(after, "Accepted");
    assertThat(now.get("status")).isEqualTo("True");
    assertThat(now.get("lastTransitionTime")).as("still True: the transition time is kept")
        .isEqualTo(before.get("lastTransitionTime"));
    assertThat(apex.tally(50, NONE)).containsExactly(Map.entry("primary", 50));
  }

  @Test
  @Order(5)
  void grpcRouteWithAParentNoVirtualServiceNamesIsNotAcceptedThere() throws Exception {
    apply(api.admin(), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata:
          name: nowhere
          namespace: demo
        spec:
          parentRefs:
            - group: ""
              kind: Service
              name: nowhere
              port: 9898
          rules:
            - backendRefs:
                - name: podinfo-primary
                  port: 9898
        """);
    var op = api.admin().genericKubernetesResources(GatewayApiKinds.GRPCROUTE.context()).inNamespace("demo");
    Await.until(() -> condition(op.withName("nowhere").get(), "Accepted") != null, 15_000);
    GenericKubernetesResource r = op.withName("nowhere").get();
    Map<String, Object> accepted = condition(r, "Accepted");
    assertThat(accepted).containsEntry("status", "False").containsEntry("reason", "NoMatchingParent");
    assertThat((String) accepted.get("message")).contains("spec.parentRefs[0]", "Service demo/nowhere");
    assertThat(((Number) accepted.get("observedGeneration")).longValue()).isEqualTo(r.getMetadata().getGeneration());
    assertThat(condition(r, "ResolvedRefs")).containsEntry("status", "True");
    assertThat(apex.tally(30, NONE)).containsExactly(Map.entry("primary", 30)); // attached nowhere: nothing changes
    op.withName("nowhere").delete();
  }

  @Test
  @Order(6)
  void routesDeletedGiveTheRouterBack() throws Exception {
    // Every HTTPRoute on the Service's port replaces the router there: all three must go.
    for (String name : List.of("podinfo", "missing", "cross")) {
      routes().inNamespace("demo").withName(name).delete();
    }
    awaitStable(apex, "canary", 20);
  }

  @Test
  @Order(7)
  void aGatewayOfOurClassIsServedToItsEnvoyFromTheApi() throws Exception {
    apply(api.admin(), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: ours
        spec:
          controllerName: appmesh-xds.io/gateway-controller
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: north
          namespace: demo
        spec:
          gatewayClassName: ours
          listeners:
            - {name: http, port: 8089, protocol: HTTP}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: north
          namespace: demo
        spec:
          parentRefs: [{name: north}]
          rules:
            - matches: [{path: {type: PathPrefix, value: /podinfo}}]
              backendRefs: [{name: podinfo, port: 9898}]
        """);
    ObjectRef gwRef = new ObjectRef("Gateway", "demo", "north");
    Await.until(() -> mode.controlPlane().status().report().get(gwRef) != null
        && mode.controlPlane().status().report().get(gwRef).condition().isTrue(), 20_000);
    assertThat(mode.controlPlane().status().report().get(gwRef).more().get(0).message())
        .contains("mesh/appmesh/virtualGateway/north_demo");
    try (io.appmeshxds.server.testing.AdsTestClient envoy = new io.appmeshxds.server.testing.AdsTestClient(
        mode.controlPlane().xdsPort(), "mesh/appmesh/virtualGateway/north_demo", false).start()) {
      Await.until(() -> envoy.held().getOrDefault(io.appmeshxds.server.testing.AdsTestClient.RDS, Map.of())
          .containsKey("rds_ingress_http_8089"), 20_000);
      var route = envoy.held().get(io.appmeshxds.server.testing.AdsTestClient.RDS).get("rds_ingress_http_8089")
          .unpack(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class);
      assertThat(route.getVirtualHosts(0).getRoutesList()).isNotEmpty()
          .allSatisfy(r -> assertThat(r.getMatch().getSafeRegex().getRegex()).isEqualTo("/podinfo(/.*)?"));
      // A class of another controller: the Gateway is not ours any more (no status, no plan; like a
      // deleted VirtualGateway's, its connected Envoy keeps what it has until one exists again).
      apply(api.admin(), """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata:
            name: ours
          spec:
            controllerName: example.com/other
          """);
      ObjectRef routeRef = new ObjectRef("HTTPRoute", "demo", "north");
      Await.until(() -> mode.controlPlane().status().report().get(gwRef) == null
          && !mode.controlPlane().status().report().get(routeRef).condition().isTrue(), 20_000);
    }
    routes().inNamespace("demo").withName("north").delete();
  }

  @Test
  @Order(8)
  void clusterWithoutGatewayApiSyncsAndPicksItUpWhenInstalled(@TempDir Path other) throws Exception {
    try (Backend p = new Backend("primary"); Backend c = new Backend("canary"); MockApi bare = new MockApi()) {
      new MeshFiles(other, RunningMesh.backends(p, c));
      bare.applyDir(other);
      bare.routes("demo", "podinfo", Flagger.weights(100));
      try (KubernetesClient k = bare.newClient();
          KubernetesMode m = KubernetesMode.start(k, Pipelines.standard(), ControlPlane.Settings.loopback(),
              new KubernetesMode.Settings(null, "appmesh-system", "replica-0",
                  new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200)))
                  .withGatewayApi(CONTROLLER, Duration.ofMillis(300)))) {
        Await.until(() -> m.controlPlane().reconciler().ready(), 30_000);
        assertThat(m.source().synced()).as("Gateway API kinds count as synced and empty").isTrue();
        try (XdsChannel ch = new XdsChannel(m.controlPlane().xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898")) {
          awaitStable(ch, "canary", 10);
          // Installed later: discovery sees the CRDs, the informers start, the route is served.
          installGatewayApiCrds(bare.admin());
          apply(bare.admin(), FlaggerGatewayApi.weights(100, 0));
          awaitStable(ch, "primary", 20);
          assertThat(m.source().synced()).isTrue();
          Await.until(() -> {
            GenericKubernetesResource r = routes(bare.admin()).inNamespace("demo").withName("podinfo").get();
            Map<String, Object> a = condition(r, "Accepted");
            return a != null && "True".equals(a.get("status"));
          }, 15_000);
        }
      }
    }
  }

  // --- helpers ---

  /** Gateway API's CRDs as a cluster would have them: namespaced, with a status subresource. */
  static void installGatewayApiCrds(KubernetesClient admin) {
    for (GatewayApiKinds k : GatewayApiKinds.values()) {
      String version = k == GatewayApiKinds.REFERENCEGRANT ? "v1beta1" : "v1";
      CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
          .withNewMetadata().withName(k.plural() + ".gateway.networking.k8s.io").endMetadata()
          .withNewSpec()
          .withGroup("gateway.networking.k8s.io")
          .withScope(k.namespaced() ? "Namespaced" : "Cluster")
          .withNewNames().withKind(k.kind()).withPlural(k.plural()).withSingular(k.kind().toLowerCase())
          .withListKind(k.kind() + "List").endNames()
          .addNewVersion().withName(version).withServed(true).withStorage(true)
          .withNewSubresources().withNewStatus().endStatus().endSubresources()
          .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
          .endOpenAPIV3Schema().endSchema()
          .endVersion()
          .endSpec()
          .build();
      admin.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(NonDeletingOperation::update);
    }
  }

  /** Creates or updates Gateway API objects as generic resources (what a kubectl apply does). */
  static void apply(KubernetesClient admin, String yaml) {
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      GenericKubernetesResource g = admin.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class);
      GatewayApiKinds k = GatewayApiKinds.byKind(g.getKind());
      String version = g.getApiVersion().substring(g.getApiVersion().indexOf('/') + 1);
      var all = admin.genericKubernetesResources(k.context(version));
      var op = k.namespaced() ? all.inNamespace(g.getMetadata().getNamespace()) : all;
      GenericKubernetesResource cur = op.withName(g.getMetadata().getName()).get();
      if (cur == null) {
        op.resource(g).create();
      } else {
        cur.getAdditionalProperties().put("spec", g.getAdditionalProperties().get("spec"));
        op.resource(cur).update();
      }
    }
  }

  private io.fabric8.kubernetes.client.dsl.MixedOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> routes() {
    return routes(api.admin());
  }

  private static io.fabric8.kubernetes.client.dsl.MixedOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> routes(KubernetesClient admin) {
    return admin.genericKubernetesResources(GatewayApiKinds.HTTPROUTE.context());
  }

  private GenericKubernetesResource get(String name) {
    return routes().inNamespace("demo").withName(name).get();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parents(GenericKubernetesResource r) {
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> s)
        || !(s.get("parents") instanceof List<?> l)) {
      return List.of();
    }
    return (List<Map<String, Object>>) l;
  }

  /** A condition of our (the mesh controller's) parents entry, or null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> condition(GenericKubernetesResource r, String type) {
    for (Map<String, Object> p : parents(r)) {
      if (CONTROLLER.equals(p.get("controllerName")) && p.get("conditions") instanceof List<?> cs) {
        for (Object c : cs) {
          if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
            return (Map<String, Object>) m;
          }
        }
      }
    }
    return null;
  }

  private Map<String, Object> awaitCondition(String route, String type, String status) throws InterruptedException {
    Await.until(() -> {
      Map<String, Object> c = condition(get(route), type);
      return c != null && status.equals(c.get("status"));
    }, 15_000, () -> String.valueOf(get(route) == null ? null : get(route).getAdditionalProperties().get("status")));
    return condition(get(route), type);
  }

  private static void awaitStable(XdsChannel ch, String backend, int n) throws InterruptedException {
    int[] streak = {0};
    Await.until(() -> {
      streak[0] = backend.equals(ch.call(NONE, 5_000)) ? streak[0] + 1 : 0;
      return streak[0] >= n;
    }, 30_000);
  }
}
