package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.FlaggerGatewayApi;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.MeshFiles;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flagger's {@code gatewayapi:v1} provider, phase by phase: the HTTPRoute it writes for the apex
 * Service {@code podinfo} (see {@link FlaggerGatewayApi}, from pkg/router/gateway_api.go) replayed
 * into the watched manifests of a running control plane, each phase asserted by where real RPCs of
 * a grpc-java xDS client with the load tester's identity go. The Canary itself is switched to
 * {@code provider: gatewayapi:v1} (no App Mesh objects are derived from it); the App Mesh router of
 * the apex service sends everything to the canary, so every call that reaches the primary was
 * routed by the HTTPRoute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlaggerGatewayApiPhasesTest {
  static final Map<String, String> NONE = Map.of();

  @TempDir static Path dir;
  RunningMesh mesh;

  @BeforeAll
  void start() throws Exception {
    mesh = new RunningMesh(dir);
    mesh.files.router(Flagger.weights(100));
    mesh.files.write("canary.yaml", FlaggerGatewayApi.canary());
    mesh.awaitStable(NONE, "canary", 20);
  }

  @AfterAll
  void stop() throws Exception {
    mesh.close();
  }

  @Test
  void initializedThenStepsThenPromoted() throws Exception {
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0)); // Initialized
    mesh.awaitStable(NONE, "primary", 30);
    assertThat(mesh.apex.tally(200, NONE)).containsExactly(Map.entry("primary", 200));
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(90, 10)); // step 1
    mesh.awaitRoute(NONE, "canary");
    Map<String, Integer> step = mesh.apex.tally(1000, NONE);
    // n=1000, p=0.1: mean 100, sd 9.5; accept 60..140 (about ±4.2 sd).
    System.out.println("gatewayapi:v1 step 90/10 over 1000 RPCs: " + step);
    assertThat(step.get("canary")).isBetween(60, 140);
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(50, 50)); // maxWeight
    // Both backends already get calls at 90/10: wait until the 50/50 version is the one served.
    RunningMesh.await(() -> mesh.routes().contains("weight { value: 50 }"), 20_000);
    mesh.apex.tally(100, NONE); // discarded: calls made while the client may still hold 90/10
    Map<String, Integer> half = mesh.apex.tally(1000, NONE);
    // n=1000, p=0.5: mean 500, sd 15.8; accept 430..570 (about ±4.4 sd).
    System.out.println("gatewayapi:v1 step 50/50 over 1000 RPCs: " + half);
    assertThat(half.get("canary")).isBetween(430, 570);
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0)); // Promoting done: back to the primary
    mesh.awaitStable(NONE, "primary", 50);
    assertThat(mesh.apex.tally(200, NONE)).containsExactly(Map.entry("primary", 200));
    assertThat(mesh.canaryService.tally(20, NONE)).containsExactly(Map.entry("canary", 20));
  }

  @Test
  void rollbackReturnsAllTrafficToThePrimary() throws Exception {
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(0, 100));
    mesh.awaitStable(NONE, "canary", 30);
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(70, 30)); // analysis at 30 %, then failed checks
    mesh.awaitRoute(NONE, "primary");
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0)); // rolled back
    mesh.awaitStable(NONE, "primary", 50);
    assertThat(mesh.apex.tally(200, NONE)).containsExactly(Map.entry("primary", 200));
  }

  @Test
  void abTestingByHeaderAndByCookie() throws Exception {
    Map<String, String> insider = Map.of("x-canary", "insider");
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.abTest("x-canary", "Exact", "insider", 0)); // before the run
    mesh.awaitStable(insider, "primary", 30);
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.abTest("x-canary", "Exact", "insider", 100)); // running
    mesh.awaitStable(insider, "canary", 30);
    assertThat(mesh.apex.tally(100, insider)).containsExactly(Map.entry("canary", 100));
    assertThat(mesh.apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));
    // Flagger's cookie match (its docs' regex: analysis match headers.cookie.regex; the cookie must
    // come first or right after a ";" without a space).
    Map<String, String> cookie = Map.of("cookie", "canary=always; theme=dark");
    mesh.files.write("httproute.yaml",
        FlaggerGatewayApi.abTest("cookie", "RegularExpression", "^(.*?;)?(canary=always)(;.*)?$", 100));
    mesh.awaitStable(cookie, "canary", 30);
    assertThat(mesh.apex.tally(100, Map.of("cookie", "session=1; canary=never"))).containsExactly(Map.entry("primary", 100));
    assertThat(mesh.apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0)); // promoted
    mesh.awaitStable(cookie, "primary", 30);
  }

  /**
   * Blue/Green with mirroring: while Flagger's route mirrors to the canary, every call still reaches
   * the primary; a sidecar caller (an ADS client with the load tester's Envoy identity) receives a
   * mirror policy to the canary's cluster for every request (no runtime fraction) and that cluster;
   * the proxyless client, which does not mirror, gets the route without it and accepts it.
   * Switching to the canary and promoting drop the mirror.
   */
  @Test
  void blueGreenMirroringMirrorsToTheCanaryForSidecarsOnly() throws Exception {
    String canaryCluster = "cds_egress_appmesh_podinfo-canary_demo_http_9898";
    try (AdsTestClient envoy = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
      mesh.files.write("httproute.yaml", FlaggerGatewayApi.mirrored(100, 0));
      try {
        RunningMesh.await(() -> !mirrors(envoy).isEmpty(), 20_000);
      } catch (AssertionError e) {
        throw new AssertionError("no mirror reached the load tester's sidecar; it holds " + envoy.held().keySet()
            + ", status " + mesh.admin("/status"), e);
      }
      assertThat(mirrors(envoy)).singleElement().satisfies(p -> {
        assertThat(p.getCluster()).isEqualTo(canaryCluster);
        assertThat(p.hasRuntimeFraction()).as("every request is mirrored").isFalse();
      });
      RunningMesh.await(() -> envoy.held().getOrDefault(AdsTestClient.CDS, Map.of()).containsKey(canaryCluster), 20_000);
      mesh.awaitStable(NONE, "primary", 30);
      assertThat(mesh.apex.tally(200, NONE)).containsExactly(Map.entry("primary", 200));
      assertThat(mesh.routes()).as("the proxyless client's route").contains("weight { value: 100 }")
          .doesNotContain("request_mirror_policies");
      mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(0, 100)); // analysis passed: switched
      mesh.awaitStable(NONE, "canary", 30);
      RunningMesh.await(() -> mirrors(envoy).isEmpty(), 20_000);
      mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0)); // promoted
      mesh.awaitStable(NONE, "primary", 30);
    }
  }

  /** The mirror policies of the apex service's routes the client holds (empty: none, or nothing yet). */
  private static List<RouteAction.RequestMirrorPolicy> mirrors(AdsTestClient envoy) {
    Any a = envoy.held().getOrDefault(AdsTestClient.RDS, Map.of()).get("rds_egress_http_9898");
    if (a == null) {
      return List.of();
    }
    try {
      return a.unpack(RouteConfiguration.class).getVirtualHostsList().stream()
          .filter(vh -> vh.getDomainsList().contains("podinfo.demo"))
          .flatMap(vh -> vh.getRoutesList().stream()).flatMap(x -> x.getRoute().getRequestMirrorPoliciesList().stream())
          .toList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void sessionAffinityKeepsCookieHoldersOnTheCanary() throws Exception {
    Map<String, String> sticky = Map.of("cookie", "flagger-cookie=Xk2pQ9");
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.sessionAffinity("flagger-cookie", "Xk2pQ9", 0));
    mesh.awaitStable(sticky, "canary", 30);
    assertThat(mesh.apex.tally(100, sticky)).containsExactly(Map.entry("canary", 100));
    assertThat(mesh.apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));
    mesh.files.write("httproute.yaml", FlaggerGatewayApi.weights(100, 0));
    mesh.awaitStable(sticky, "primary", 30);
  }
}
