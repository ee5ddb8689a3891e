package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.convert.GatewayApiModel;
import io.appmeshxds.server.source.kubernetes.GatewayApiKinds;
import io.appmeshxds.server.status.kubernetes.Leadership;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.translator.input.Json;
import io.appmeshxds.translator.input.ObjectRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code serve --kubernetes} writes the status of north-south Gateway API objects as the spec
 * defines it, in fabric8's mock API (CRUD mode, Gateway API's CRDs with a status subresource): a
 * GatewayClass of ours is Accepted; a Gateway of it gets Accepted and Programmed and one {@code
 * status.listeners[]} entry per listener (attachedRoutes counted, an HTTPS listener
 * UnsupportedProtocol); a Gateway named like a VirtualGateway is NameConflict; an HTTPRoute gets a
 * {@code status.parents[]} entry under the Gateway controller's name for its Gateway parent, beside
 * the mesh controller's for its Service parent, and another controller's entry stays. What was
 * written is read back through fabric8's Gateway API model, failing on fields it does not know.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesGatewayStatusTest {
  static final String GATEWAY_CONTROLLER = "appmesh-xds.io/gateway-controller";
  static final String MESH_CONTROLLER = "appmesh-xds.io/mesh-controller";

  MockApi api;
  KubernetesClient client;
  KubernetesMode mode;

  @BeforeAll
  void start() throws Exception {
    api = new MockApi();
    KubernetesGatewayApiTest.installGatewayApiCrds(api.admin());
    api.apply("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
          labels:
            mesh: demo
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata:
          name: demo
        spec:
          namespaceSelector:
            matchLabels:
              mesh: demo
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: app
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: 8080
                protocol: http
          serviceDiscovery:
            dns:
              hostname: app.demo.svc.cluster.local
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata:
          name: app
          namespace: demo
        spec:
          awsName: app.demo.svc.cluster.local
          provider:
            virtualNode:
              virtualNodeRef:
                name: app
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualGateway
        metadata:
          name: clash
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: 9000
                protocol: http
        """);
    client = api.newClient();
    mode = KubernetesMode.start(client, Pipelines.standard(), ControlPlane.Settings.loopback(),
        new KubernetesMode.Settings(null, "appmesh-system", "replica-0",
            new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))));
    Await.until(() -> mode.controlPlane().reconciler().ready(), 30_000);
    KubernetesGatewayApiTest.apply(api.admin(), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: ours
        spec:
          controllerName: appmesh-xds.io/gateway-controller
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: theirs
        spec:
          controllerName: example.net/gateway
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: north
          namespace: demo
        spec:
          gatewayClassName: ours
          listeners:
            - {name: http, port: 8080, protocol: HTTP}
            - {name: admin, port: 8081, protocol: HTTP, hostname: admin.example.com}
            - {name: https, port: 8443, protocol: HTTPS}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: clash
          namespace: demo
        spec:
          gatewayClassName: ours
          listeners:
            - {name: http, port: 8080, protocol: HTTP}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
          namespace: demo
        spec:
          parentRefs:
            - {name: north, sectionName: http}
            - {group: "", kind: Service, name: app, port: 8080}
          rules:
            - backendRefs: [{name: app, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: shop
          namespace: demo
        spec:
          parentRefs: [{name: north}]
          hostnames: [shop.example.com]
          rules:
            - matches: [{path: {type: PathPrefix, value: /shop}}]
              backendRefs: [{name: app, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata:
          name: rpc
          namespace: demo
        spec:
          parentRefs: [{name: north, sectionName: admin}]
          rules:
            - matches: [{method: {service: demo.Admin}}]
              backendRefs: [{name: app, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: foreign
          namespace: team
        spec:
          parentRefs: [{name: north, namespace: demo}]
          rules:
            - backendRefs: [{name: app, namespace: demo, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata:
          name: team
          namespace: demo
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: team}]
          to: [{group: "", kind: Service}]
        """);
  }

  @AfterAll
  void stop() throws Exception {
    mode.close();
    client.close();
    api.close();
  }

  @Test
  @Order(1)
  void theGatewayClassOfOursIsAcceptedAndAnotherControllersIsLeftAlone() throws Exception {
    GatewayClass ours = await(GatewayClass.class, null, "ours", g -> g.getStatus() != null
        && condition(g.getStatus().getConditions(), "Accepted") != null);
    Condition accepted = condition(ours.getStatus().getConditions(), "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("True");
    assertThat(accepted.getReason()).isEqualTo("Accepted");
    assertThat(accepted.getObservedGeneration()).isEqualTo(ours.getMetadata().getGeneration());
    assertThat(accepted.getLastTransitionTime()).isNotBlank();
    GatewayClass theirs = typed(GatewayClass.class, null, "theirs");
    assertThat(theirs.getStatus() == null || theirs.getStatus().getConditions().isEmpty()).isTrue();
  }

  @Test
  @Order(2)
  void aGatewayIsAcceptedAndProgrammedWithItsListenersRoutesCountedAndHttpsUnsupported() throws Exception {
    Gateway gw = await(Gateway.class, "demo", "north", g -> g.getStatus() != null && g.getStatus().getListeners().size() == 3
        && g.getStatus().getListeners().get(0).getAttachedRoutes() == 2 && g.getStatus().getListeners().get(1).getAttachedRoutes() == 2);
    long generation = gw.getMetadata().getGeneration();
    Condition accepted = condition(gw.getStatus().getConditions(), "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("True");
    assertThat(accepted.getReason()).as("a listener is left out").isEqualTo("ListenersNotValid");
    assertThat(accepted.getObservedGeneration()).isEqualTo(generation);
    Condition programmed = condition(gw.getStatus().getConditions(), "Programmed");
    assertThat(programmed.getStatus()).isEqualTo("True");
    assertThat(programmed.getReason()).isEqualTo("Programmed");
    assertThat(programmed.getMessage()).contains("mesh/demo/virtualGateway/north_demo");

    List<ListenerStatus> ls = gw.getStatus().getListeners();
    assertThat(ls).extracting(ListenerStatus::getName).containsExactly("http", "admin", "https");
    ListenerStatus http = ls.get(0);
    // web (sectionName http) and shop (the whole Gateway); foreign is in another namespace (from: Same).
    assertThat(http.getAttachedRoutes()).isEqualTo(2);
    assertThat(http.getSupportedKinds()).extracting(k -> k.getGroup() + "/" + k.getKind())
        .containsExactly("gateway.networking.k8s.io/HTTPRoute", "gateway.networking.k8s.io/GRPCRoute");
    assertThat(http.getConditions()).extracting(Condition::getType, Condition::getStatus, Condition::getReason).containsExactly(
        tuple("Accepted", "True", "Accepted"), tuple("Programmed", "True", "Programmed"),
        tuple("ResolvedRefs", "True", "ResolvedRefs"), tuple("Conflicted", "False", "NoConflicts"));
    assertThat(http.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(generation));
    // shop attaches to the whole Gateway, but its hostname is not admin's: still counted there
    // (attachment is allowedRoutes and parentRefs; shop is Accepted through listener http); and the GRPCRoute rpc.
    assertThat(ls.get(1).getAttachedRoutes()).isEqualTo(2);
    ListenerStatus https = ls.get(2);
    assertThat(https.getSupportedKinds()).isEmpty();
    assertThat(https.getAttachedRoutes()).isZero();
    assertThat(https.getConditions()).extracting(Condition::getType, Condition::getStatus, Condition::getReason).contains(
        tuple("Accepted", "False", "UnsupportedProtocol"), tuple("Programmed", "False", "Invalid"));
    assertThat(condition(https.getConditions(), "Accepted").getMessage()).contains("spec.listeners[2].protocol");
  }

  @Test
  @Order(3)
  void aGatewayNamedLikeAVirtualGatewayIsNotAcceptedNameConflict() throws Exception {
    Gateway gw = await(Gateway.class, "demo", "clash", g -> g.getStatus() != null
        && condition(g.getStatus().getConditions(), "Accepted") != null);
    assertThat(gw.getStatus().getConditions()).extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .contains(tuple("Accepted", "False", "NameConflict"), tuple("Programmed", "False", "Invalid"));
    assertThat(condition(gw.getStatus().getConditions(), "Accepted").getMessage()).contains("VirtualGateway demo/clash");
    assertThat(condition(gw.getStatus().getListeners().get(0).getConditions(), "Programmed").getStatus()).isEqualTo("False");
  }

  @Test
  @Order(4)
  void aRouteGetsTheGatewayControllersEntryBesideTheMeshsAndKeepsAnotherControllers() throws Exception {
    HTTPRoute web = await(HTTPRoute.class, "demo", "web", r -> r.getStatus() != null && r.getStatus().getParents().size() == 2);
    RouteParentStatus gw = parent(web, GATEWAY_CONTROLLER);
    assertThat(gw.getParentRef().getName()).isEqualTo("north");
    assertThat(gw.getParentRef().getSectionName()).isEqualTo("http");
    assertThat(gw.getConditions()).extracting(Condition::getType, Condition::getStatus, Condition::getReason).containsExactly(
        tuple("Accepted", "True", "Accepted"), tuple("ResolvedRefs", "True", "ResolvedRefs"));
    assertThat(gw.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(web.getMetadata().getGeneration()));
    assertThat(parent(web, MESH_CONTROLLER).getParentRef().getKind()).isEqualTo("Service");

    // Another controller (of Gateway "edge") writes its entry; a spec change later, ours follow the
    // new generation and theirs stays.
    mutateStatus("demo", "web", status -> {
      @SuppressWarnings("unchecked")
      List<Object> parents = new ArrayList<>((List<Object>) status.get("parents"));
      parents.add(0, Map.of("parentRef", Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", "edge"),
          "controllerName", "example.net/gateway", "conditions", List.of(Map.of("type", "Accepted", "status", "True",
              "reason", "Accepted", "message", "", "observedGeneration", 1, "lastTransitionTime", "2025-01-01T00:00:00Z"))));
      status.put("parents", parents);
    });
    KubernetesGatewayApiTest.apply(api.admin(), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
          namespace: demo
        spec:
          parentRefs:
            - {name: edge}
            - {name: north, sectionName: http}
            - {group: "", kind: Service, name: app, port: 8080}
          rules:
            - matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs: [{name: app, port: 8080}]
        """);
    long generation = typed(HTTPRoute.class, "demo", "web").getMetadata().getGeneration();
    HTTPRoute after = await(HTTPRoute.class, "demo", "web", r -> r.getStatus() != null && r.getStatus().getParents().size() == 3
        && condition(parent(r, GATEWAY_CONTROLLER).getConditions(), "Accepted").getObservedGeneration() == generation);
    assertThat(after.getStatus().getParents()).extracting(RouteParentStatus::getControllerName)
        .containsExactly("example.net/gateway", GATEWAY_CONTROLLER, MESH_CONTROLLER);
    assertThat(condition(parent(after, GATEWAY_CONTROLLER).getConditions(), "Accepted").getLastTransitionTime())
        .as("still True: the transition time is kept")
        .isEqualTo(condition(gw.getConditions(), "Accepted").getLastTransitionTime());
  }

  @Test
  @Order(5)
  void aRouteNoListenerAdmitsIsNotAllowedByListeners() throws Exception {
    HTTPRoute foreign = await(HTTPRoute.class, "team", "foreign", r -> r.getStatus() != null && !r.getStatus().getParents().isEmpty());
    RouteParentStatus p = parent(foreign, GATEWAY_CONTROLLER);
    Condition accepted = condition(p.getConditions(), "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo("NotAllowedByListeners");
    assertThat(accepted.getMessage()).contains("allowedRoutes.namespaces.from: Same");
  }

  @Test
  @Order(5)
  void aGrpcRouteOnTheGatewayIsAcceptedForItsParent() throws Exception {
    GRPCRoute rpc = await(GRPCRoute.class, "demo", "rpc", r -> r.getStatus() != null && !r.getStatus().getParents().isEmpty());
    RouteParentStatus p = rpc.getStatus().getParents().stream()
        .filter(x -> GATEWAY_CONTROLLER.equals(x.getControllerName())).findFirst().orElseThrow();
    assertThat(p.getParentRef().getName()).isEqualTo("north");
    assertThat(p.getParentRef().getSectionName()).isEqualTo("admin");
    Condition accepted = condition(p.getConditions(), "Accepted");
    assertThat(accepted.getStatus()).as(accepted.getMessage()).isEqualTo("True");
    assertThat(accepted.getMessage()).contains("listener admin");
    assertThat(condition(p.getConditions(), "ResolvedRefs").getStatus()).isEqualTo("True");
  }

  @Test
  @Order(6)
  void nothingIsWrittenWhenUnchangedAndOurOwnWritesTriggerNoBuild() throws Exception {
    Await.until(() -> mode.statusSink().pending() == 0, 10_000);
    long writes = mode.statusSink().writes();
    for (ObjectRef ref : List.of(new ObjectRef("Gateway", "demo", "north"), new ObjectRef("GatewayClass", null, "ours"),
        new ObjectRef("HTTPRoute", "demo", "web"))) {
      mode.statusSink().touch(ref);
    }
    Await.until(() -> mode.statusSink().pending() == 0, 10_000);
    assertThat(mode.statusSink().writes()).as("compared, and nothing written").isEqualTo(writes);

    // Two spec changes of the Gateway as markers, each awaited until its status says its generation:
    // the Gateway's own events come in order, so our write of the first reached the store before the second.
    long builds = mode.controlPlane().reconciler().builds();
    long revision = mode.controlPlane().store().revision();
    long generation = typed(Gateway.class, "demo", "north").getMetadata().getGeneration();
    for (String from : List.of("Same", "All")) {
      KubernetesGatewayApiTest.apply(api.admin(), """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata:
            name: north
            namespace: demo
          spec:
            gatewayClassName: ours
            listeners:
              - {name: http, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: %s}}}
              - {name: admin, port: 8081, protocol: HTTP, hostname: admin.example.com}
              - {name: https, port: 8443, protocol: HTTPS}
          """.formatted(from));
      long expected = ++generation;
      await(Gateway.class, "demo", "north", g -> g.getStatus() != null
          && condition(g.getStatus().getConditions(), "Accepted").getObservedGeneration() == expected);
      Await.until(() -> mode.statusSink().pending() == 0, 10_000);
    }
    assertThat(mode.controlPlane().store().revision()).as("store changes: the two markers' only").isEqualTo(revision + 2);
    assertThat(mode.controlPlane().reconciler().builds()).as("builds: the two markers' only").isEqualTo(builds + 2);
    // from: All admits the route in namespace team: counted, and its parent Accepted.
    Gateway gw = await(Gateway.class, "demo", "north", g -> g.getStatus().getListeners().get(0).getAttachedRoutes() == 3);
    assertThat(gw.getStatus().getListeners().get(0).getAttachedRoutes()).isEqualTo(3);
    await(HTTPRoute.class, "team", "foreign", r -> "True".equals(condition(parent(r, GATEWAY_CONTROLLER).getConditions(),
        "Accepted").getStatus()));
  }

  // --- helpers ---

  /** The object as fabric8's Gateway API model reads it, failing on any field the model does not know. */
  <T> T typed(Class<T> type, String namespace, String name) {
    GatewayApiKinds k = GatewayApiKinds.byKind(type.getSimpleName());
    var all = api.admin().genericKubernetesResources(k.context());
    GenericKubernetesResource g = namespace == null ? all.withName(name).get() : all.inNamespace(namespace).withName(name).get();
    if (g == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = Json.JSON.readValue(api.admin().getKubernetesSerialization().asJson(g), Map.class);
    return type.cast(GatewayApiModel.parse(doc));
  }

  <T> T await(Class<T> type, String namespace, String name, Predicate<T> done) throws InterruptedException {
    Object[] last = {null};
    Await.until(() -> {
      T t = typed(type, namespace, name);
      last[0] = t;
      try {
        return t != null && done.test(t);
      } catch (RuntimeException e) {
        return false; // not there yet (a null on the way)
      }
    }, 20_000, () -> String.valueOf(last[0]));
    return typed(type, namespace, name);
  }

  static Condition condition(List<Condition> cs, String type) {
    return cs.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  static RouteParentStatus parent(HTTPRoute r, String controller) {
    return r.getStatus().getParents().stream().filter(p -> controller.equals(p.getControllerName())).findFirst()
        .orElseThrow(() -> new AssertionError("no status.parents entry of " + controller + ": " + r.getStatus()));
  }

  /** A read-modify-write of a route's status as another controller does it, retried on 409. */
  void mutateStatus(String namespace, String name, java.util.function.Consumer<Map<String, Object>> change) {
    var op = api.admin().genericKubernetesResources(GatewayApiKinds.HTTPROUTE.context()).inNamespace(namespace);
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource r = op.withName(name).get();
      @SuppressWarnings("unchecked")
      Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
      change.accept(status);
      try {
        op.resource(r).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }
}
