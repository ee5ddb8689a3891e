package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.FlaggerGatewayApi;
import io.appmeshxds.server.testing.XdsChannel;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * grpc-java's proxyless xDS client routed by Gateway API objects (GAMMA: a parentRef that is the
 * Service {@code podinfo}) written next to the podinfo mesh's App Mesh objects and served by the
 * same control plane: the HTTPRoute or GRPCRoute replaces the App Mesh router's routes for
 * VirtualService {@code podinfo.demo}, and removing it gives them back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayApiRoutingTest {
  static final Map<String, String> NONE = Map.of();

  @TempDir static Path dir;
  RunningMesh mesh;

  @BeforeAll
  void start() throws Exception {
    mesh = new RunningMesh(dir);
    // The App Mesh router sends everything to the canary: whatever reaches the primary below was
    // routed by a Gateway API object.
    mesh.files.router(Flagger.weights(100));
    mesh.awaitStable(NONE, "canary", 20);
  }

  @AfterAll
  void stop() throws Exception {
    mesh.close();
  }

  @AfterEach
  void removeRoutes() throws Exception {
    Files.deleteIfExists(dir.resolve("httproute.yaml"));
    Files.deleteIfExists(dir.resolve("grpcroute.yaml"));
    mesh.awaitStable(NONE, "canary", 20); // the router's routes are back
  }

  @Test
  @Order(1)
  void httpRouteWeightsSplitWithinBinomialBounds() throws Exception {
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0));
    mesh.awaitStable(NONE, "primary", 30); // the HTTPRoute wins over the router
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(80, 20));
    mesh.awaitRoute(NONE, "canary");
    Map<String, Integer> tally = mesh.apex.tally(2000, NONE);
    // p=0.2, n=2000: mean 400, sd 17.9; [320, 480] is about ±4.5 sd.
    System.out.println("HTTPRoute 80/20 over 2000 RPCs: " + tally);
    assertThat(tally.keySet()).containsOnly("primary", "canary");
    assertThat(tally.get("canary")).isBetween(320, 480);
  }

  @Test
  @Order(2)
  void headerMatchesExactAndRegex() throws Exception {
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.abTest("x-user", "Exact", "insider", 100));
    mesh.awaitStable(Map.of("x-user", "insider"), "canary", 20);
    mesh.awaitStable(NONE, "primary", 20);
    assertThat(mesh.apex.tally(50, Map.of("x-user", "insider"))).containsExactly(Map.entry("canary", 50));
    assertThat(mesh.apex.tally(50, Map.of("x-user", "insider2"))).containsExactly(Map.entry("primary", 50));
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("primary", 50));
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.abTest("user-agent", "RegularExpression", ".*(Firefox|curl).*", 100));
    mesh.awaitStable(Map.of("user-agent", "curl/8.5.0"), "canary", 20);
    assertThat(mesh.apex.tally(50, Map.of("user-agent", "Mozilla/5.0 Firefox/121.0"))).containsExactly(Map.entry("canary", 50));
    assertThat(mesh.apex.tally(50, Map.of("user-agent", "Mozilla/5.0 Chrome/120.0"))).containsExactly(Map.entry("primary", 50));
  }

  @Test
  @Order(3)
  void methodMatch() throws Exception {
    // gRPC calls are POSTs: a GET rule never matches them, a POST rule always does.
    mesh.files.write("httproute.yaml", methodRoute("GET"));
    mesh.awaitStable(NONE, "primary", 30);
    mesh.files.write("httproute.yaml", methodRoute("POST"));
    mesh.awaitStable(NONE, "canary", 30);
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("canary", 50));
  }

  @Test
  @Order(4)
  void grpcRouteMethodMatch() throws Exception {
    mesh.files.write("grpcroute.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata:
          name: podinfo
          namespace: demo
        spec:
          parentRefs:
            - {group: "", kind: Service, name: podinfo, port: 9898}
          rules:
            - matches:
                - method: {service: grpc.health.v1.Health, method: Watch}
              backendRefs:
                - {name: podinfo-canary, port: 9898}
            - backendRefs:
                - {name: podinfo-primary, port: 9898}
        """);
    mesh.awaitStable(NONE, "primary", 30); // Check goes to the default rule
    RunningMesh.await(() -> "canary".equals(watch(mesh.apex)), 20_000);
    for (int i = 0; i < 20; i++) {
      assertThat(watch(mesh.apex)).isEqualTo("canary");
    }
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("primary", 50));
  }

  @Test
  @Order(5)
  void requestTimeoutEndsSlowCalls() throws Exception {
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weightsWithTimeout(100, 0, "300ms"));
    mesh.awaitStable(NONE, "primary", 20);
    mesh.primary.delay(1500);
    try {
      RunningMesh.await(() -> "DEADLINE_EXCEEDED".equals(mesh.apex.call(NONE, 10_000)), 20_000);
      long t0 = System.nanoTime();
      assertThat(mesh.apex.call(NONE, 10_000)).isEqualTo("DEADLINE_EXCEEDED");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("HTTPRoute timeouts.request 300ms: call ended after " + ms + " ms");
      assertThat(ms).isLessThan(1500);
    } finally {
      mesh.primary.delay(0);
    }
    // Without the timeout the slow call completes (App Mesh's 15 s default).
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0));
    mesh.primary.delay(800);
    try {
      RunningMesh.await(() -> "primary".equals(mesh.apex.call(NONE, 10_000)), 20_000);
    } finally {
      mesh.primary.delay(0);
    }
  }

  @Test
  @Order(6)
  void statusNamesTheMissingBackendAndTheCrossNamespaceBackend() throws Exception {
    mesh.files.write("httproute.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: podinfo
          namespace: demo
        spec:
          parentRefs:
            - {group: "", kind: Service, name: podinfo}
          rules:
            - backendRefs:
                - {name: podinfo-gone, port: 9898}
                - {name: podinfo-primary, port: 9898}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: elsewhere
          namespace: demo
        spec:
          parentRefs:
            - {group: "", kind: Service, name: podinfo}
          rules:
            - matches:
                - path: {type: PathPrefix, value: /elsewhere}
              backendRefs:
                - {name: podinfo-canary, namespace: elsewhere, port: 9898}
        """);
    mesh.awaitStable(NONE, "primary", 30); // the valid backend carries the rule
    RunningMesh.await(() -> status().contains("RefNotPermitted"), 20_000);
    String status = status().replaceAll("\\s+", " ");
    assertThat(status)
        .contains("\"type\" : \"ResolvedRefs\", \"status\" : \"False\", \"reason\" : \"BackendNotFound\"")
        .contains("spec.rules[0].backendRefs[0].name: no VirtualNode in mesh appmesh is discovered as Service demo/podinfo-gone")
        .contains("\"type\" : \"ResolvedRefs\", \"status\" : \"False\", \"reason\" : \"RefNotPermitted\"")
        .contains("spec.rules[0].backendRefs[0].namespace: Service elsewhere/podinfo-canary is in another namespace and no"
            + " ReferenceGrant in namespace elsewhere allows HTTPRoutes from namespace demo");
  }

  private String status() {
    try {
      return mesh.admin("/status");
    } catch (Exception e) {
      return "";
    }
  }

  static String methodRoute(String method) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: podinfo
          namespace: demo
        spec:
          parentRefs:
            - {group: "", kind: Service, name: podinfo, port: 9898}
          rules:
            - matches:
                - method: %s
              backendRefs:
                - {name: podinfo-canary, port: 9898}
            - backendRefs:
                - {name: podinfo-primary, port: 9898}
        """.formatted(method);
  }

  /** One Health/Watch call (server streaming): the backend id of its first response, or the status code. */
  static String watch(XdsChannel ch) {
    AtomicReference<Metadata> h = new AtomicReference<>();
    AtomicReference<Metadata> t = new AtomicReference<>();
    Context.CancellableContext ctx = Context.current().withCancellation();
    try {
      return ctx.call(() -> {
        var it = HealthGrpc.newBlockingStub(ch.channel())
            .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(h, t))
            .withWaitForReady()
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .watch(HealthCheckRequest.getDefaultInstance());
        it.next();
        return h.get() == null ? "no-headers" : h.get().get(Backend.ID);
      });
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    } catch (Exception e) {
      return e.toString();
    } finally {
      ctx.cancel(null);
    }
  }
}
