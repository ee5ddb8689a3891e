package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code serve --manifests} with a Gateway of our GatewayClass and an HTTPRoute: an Envoy-like ADS
 * client with the Gateway's node id ({@code mesh/<mesh>/virtualGateway/<gateway>_<namespace>})
 * gets its listener, route configuration and clusters; editing the HTTPRoute file changes the
 * routes it holds; {@code /status} shows the Gateway's Accepted and Programmed conditions.
 */
class GatewayApiNorthSouthServeTest {
  @TempDir Path dir;

  static final String NODE = "mesh/web/virtualGateway/ingress_web";

  static final String MESH = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: web, labels: {mesh: web}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata: {name: web}
      spec: {namespaceSelector: {matchLabels: {mesh: web}}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: app, namespace: web}
      spec:
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        serviceDiscovery: {dns: {hostname: app.web.svc.cluster.local}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata: {name: app, namespace: web}
      spec: {provider: {virtualNode: {virtualNodeRef: {name: app}}}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: shop, namespace: web}
      spec:
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        serviceDiscovery: {dns: {hostname: shop.web.svc.cluster.local}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata: {name: shop, namespace: web}
      spec: {provider: {virtualNode: {virtualNodeRef: {name: shop}}}}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: appmesh-xds}
      spec: {controllerName: appmesh-xds.io/gateway-controller}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: ingress, namespace: web}
      spec:
        gatewayClassName: appmesh-xds
        listeners:
          - {name: http, port: 8088, protocol: HTTP}
          - {name: tls, port: 8443, protocol: TLS}
      """;

  static String route(String prefix, String backend) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: site, namespace: web}
        spec:
          parentRefs: [{name: ingress, sectionName: http}]
          rules:
            - matches: [{path: {type: PathPrefix, value: %s}}]
              backendRefs: [{name: %s, port: 8080}]
        """.formatted(prefix, backend);
  }

  @Test
  void theGatewaysEnvoyGetsItsListenerRoutesAndClustersAndFollowsTheHttpRoute() throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), MESH);
    Files.writeString(dir.resolve("route.yaml"), route("/shop", "shop"));
    try (ControlPlane cp = new ControlPlane(Pipelines.standard(ControlPlaneConfig.defaults()), ControlPlane.Settings.loopback(),
            List.of(), List.of()).start();
        ManifestSource source = new ManifestSource(List.of(dir), cp.store(), 50).start()) {
      Await.until(() -> cp.reconciler().ready(), 20_000);
      try (AdsTestClient envoy = new AdsTestClient(cp.xdsPort(), NODE, false).start()) {
        Await.until(() -> envoy.held().getOrDefault(AdsTestClient.RDS, Map.of()).containsKey("rds_ingress_http_8088"), 20_000);
        Map<String, Map<String, com.google.protobuf.Any>> held = envoy.held();
        assertThat(held.get(AdsTestClient.LDS).keySet()).contains("lds_ingress_0.0.0.0_8088")
            .doesNotContain("lds_ingress_0.0.0.0_8443");
        assertThat(held.get(AdsTestClient.CDS).keySet()).contains("cds_egress_web_shop_web_http_8080");
        RouteConfiguration rc = held.get(AdsTestClient.RDS).get("rds_ingress_http_8088").unpack(RouteConfiguration.class);
        Route r = rc.getVirtualHosts(0).getRoutes(0);
        assertThat(r.getMatch().getSafeRegex().getRegex()).isEqualTo("/shop(/.*)?");
        assertThat(r.getRoute().getCluster()).isEqualTo("cds_egress_web_shop_web_http_8080");

        // The HTTPRoute now sends /app to the other Service: the gateway's routes follow.
        Files.writeString(dir.resolve("route.yaml"), route("/app", "app"));
        Await.until(() -> {
          try {
            RouteConfiguration now = envoy.held().get(AdsTestClient.RDS).get("rds_ingress_http_8088")
                .unpack(RouteConfiguration.class);
            Route first = now.getVirtualHosts(0).getRoutes(0);
            return first.getMatch().getSafeRegex().getRegex().equals("/app(/.*)?")
                && first.getRoute().getCluster().equals("cds_egress_web_app_web_http_8080");
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
        }, 20_000);
        Await.until(() -> envoy.held().get(AdsTestClient.CDS).containsKey("cds_egress_web_app_web_http_8080")
            && !envoy.held().get(AdsTestClient.CDS).containsKey("cds_egress_web_shop_web_http_8080"), 20_000);
      }
      String status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + cp.adminPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
      JsonNode objects = JsonMapper.shared().readTree(status).path("objects");
      JsonNode gateway = null;
      for (JsonNode o : objects) {
        assertThat(o.path("kind").asString("")).as("lowered objects have no status").isNotIn("VirtualGateway", "GatewayRoute");
        if (o.path("kind").asString("").equals("Gateway")) {
          gateway = o;
        }
      }
      assertThat(gateway).isNotNull();
      assertThat(gateway.path("condition").path("status").asString("")).isEqualTo("True");
      assertThat(gateway.path("conditions").get(0).path("type").asString("")).isEqualTo("Programmed");
      assertThat(gateway.path("conditions").get(0).path("message").asString("")).contains(NODE);
      assertThat(gateway.path("problems").toString()).contains("spec.listeners[1].protocol", "TLS");
      // Its listeners, as Kubernetes gets them in status.listeners[].
      assertThat(gateway.path("listeners").get(0).path("name").asString("")).isEqualTo("http");
      assertThat(gateway.path("listeners").get(1).path("conditions").get(0).path("reason").asString(""))
          .isEqualTo("UnsupportedProtocol");
    }
  }

  static String grpcRoute(String method) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: greeter, namespace: web}
        spec:
          listeners: [{portMapping: {port: 50051, protocol: grpc}}]
          serviceDiscovery: {dns: {hostname: greeter.web.svc.cluster.local}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: greeter, namespace: web}
        spec: {provider: {virtualNode: {virtualNodeRef: {name: greeter}}}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: rpc, namespace: web}
        spec:
          parentRefs: [{name: ingress, sectionName: grpc}]
          rules:
            - matches: [{method: {service: helloworld.Greeter%s}}]
              backendRefs: [{name: greeter, port: 50051}]
        """.formatted(method == null ? "" : ", method: " + method);
  }

  /** A GRPCRoute on a Gateway listener that takes GRPCRoutes only: a grpc listener, its routes follow the file. */
  @Test
  void theGatewaysEnvoyServesAGrpcRouteOnAGrpcListener() throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), MESH.replace("""
            - {name: tls, port: 8443, protocol: TLS}
        """, """
            - {name: tls, port: 8443, protocol: TLS}
            - {name: grpc, port: 9000, protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}
        """));
    assertThat(Files.readString(dir.resolve("mesh.yaml"))).contains("port: 9000");
    Files.writeString(dir.resolve("route.yaml"), route("/shop", "shop"));
    Files.writeString(dir.resolve("grpc.yaml"), grpcRoute(null));
    try (ControlPlane cp = new ControlPlane(Pipelines.standard(ControlPlaneConfig.defaults()), ControlPlane.Settings.loopback(),
            List.of(), List.of()).start();
        ManifestSource source = new ManifestSource(List.of(dir), cp.store(), 50).start()) {
      Await.until(() -> cp.reconciler().ready(), 20_000);
      try (AdsTestClient envoy = new AdsTestClient(cp.xdsPort(), NODE, false).start()) {
        Await.until(() -> envoy.held().getOrDefault(AdsTestClient.RDS, Map.of()).containsKey("rds_ingress_http_9000"), 20_000);
        Map<String, Map<String, com.google.protobuf.Any>> held = envoy.held();
        io.envoyproxy.envoy.config.listener.v3.Listener l = held.get(AdsTestClient.LDS).get("lds_ingress_0.0.0.0_9000")
            .unpack(io.envoyproxy.envoy.config.listener.v3.Listener.class);
        assertThat(l.getFilterChains(0).getName()).isEqualTo("ingress_grpc_9000");
        assertThat(held.get(AdsTestClient.CDS).keySet()).contains("cds_egress_web_greeter_web_grpc_50051");
        RouteConfiguration rc = held.get(AdsTestClient.RDS).get("rds_ingress_http_9000").unpack(RouteConfiguration.class);
        Route r = rc.getVirtualHosts(0).getRoutes(0);
        assertThat(r.getMatch().getPrefix()).isEqualTo("/helloworld.Greeter/");
        assertThat(r.getRoute().getCluster()).isEqualTo("cds_egress_web_greeter_web_grpc_50051");
        assertThat(r.getRoute().getHostRewriteLiteral()).as("the authority is kept").isEmpty();

        // A method match: the route follows the file.
        Files.writeString(dir.resolve("grpc.yaml"), grpcRoute("SayHello"));
        Await.until(() -> {
          try {
            Route first = envoy.held().get(AdsTestClient.RDS).get("rds_ingress_http_9000").unpack(RouteConfiguration.class)
                .getVirtualHosts(0).getRoutes(0);
            return first.getMatch().getPath().equals("/helloworld.Greeter/SayHello")
                && first.getRoute().getCluster().equals("cds_egress_web_greeter_web_grpc_50051");
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
        }, 20_000);
      }
      String status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + cp.adminPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
      JsonNode rpc = null;
      for (JsonNode o : JsonMapper.shared().readTree(status).path("objects")) {
        if (o.path("kind").asString("").equals("GRPCRoute")) {
          rpc = o;
        }
      }
      assertThat(rpc).isNotNull();
      assertThat(rpc.path("condition").path("status").asString("")).as(rpc.toString()).isEqualTo("True");
      assertThat(rpc.path("condition").path("message").asString("")).contains("listener grpc");
    }
  }
}
