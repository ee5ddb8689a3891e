package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.FlaggerGatewayApi;
import java.nio.file.Path;
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
