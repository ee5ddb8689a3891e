package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Flagger;
import java.nio.file.Path;
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
 * grpc-java's proxyless xDS client, with the load tester's node identity, routes real RPCs to real
 * backends by what our control plane serves from watched manifests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcJavaRoutingTest {
  static final Map<String, String> NONE = Map.of();
  static final Map<String, String> CURL = Map.of("user-agent", "curl/8.5.0");
  static final Map<String, String> CHROME = Map.of("user-agent", "Mozilla/5.0 (X11) Chrome/120.0");

  @TempDir static Path dir;
  RunningMesh mesh;

  @BeforeAll
  void start() throws Exception {
    mesh = new RunningMesh(dir);
  }

  @AfterAll
  void stop() throws Exception {
    mesh.close();
  }

  @Test
  @Order(1)
  void weightedSplit90_10WithinBinomialBound() throws Exception {
    mesh.files.router(Flagger.weights(100));
    mesh.awaitStable(NONE, "canary", 30);
    mesh.files.router(Flagger.weights(10));
    mesh.awaitRoute(NONE, "primary"); // only the 10/90 version sends anything to primary
    Map<String, Integer> tally = mesh.apex.tally(2000, NONE);
    // p=0.1, n=2000: mean 200, sd 13.4; [140, 260] is ±4.5 sd (flake probability about 1e-5).
    System.out.println("90/10 split over 2000 RPCs: " + tally);
    assertThat(tally.keySet()).containsOnly("primary", "canary");
    assertThat(tally.get("canary")).isBetween(140, 260);
  }

  @Test
  @Order(2)
  void headerRegexMatchGoesToItsTargetAndTheRestToTheDefaultRoute() throws Exception {
    mesh.files.router(Flagger.abTest(100));
    mesh.awaitStable(CURL, "canary", 30);
    assertThat(mesh.apex.tally(100, CURL)).containsExactly(Map.entry("canary", 100));
    assertThat(mesh.apex.tally(100, Map.of("user-agent", "Mozilla/5.0 Firefox/121.0"))).containsExactly(Map.entry("canary", 100));
    assertThat(mesh.apex.tally(100, CHROME)).containsExactly(Map.entry("primary", 100));
    assertThat(mesh.apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));
  }

  @Test
  @Order(3)
  void priorityDecidesBetweenRoutesThatBothMatch() throws Exception {
    // Spec order: unprioritized, then priority 5 (canary), then priority 1 (primary): priority 1 wins.
    mesh.files.router(route("first-in-spec", null, "spare-free", "podinfo-canary") + route("five", 5, null, "podinfo-canary")
        + route("one", 1, null, "podinfo-primary"));
    mesh.awaitStable(NONE, "primary", 30);
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("primary", 50));
    mesh.files.router(route("first-in-spec", null, null, "podinfo-primary") + route("five", 1, null, "podinfo-canary")
        + route("one", 5, null, "podinfo-primary"));
    mesh.awaitStable(NONE, "canary", 30);
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("canary", 50));
  }

  @Test
  @Order(4)
  void retriesUnderTheRoutesGrpcRetryPolicy() throws Exception {
    mesh.files.router(retryRoute("httpRoute", "httpRetryEvents: [server-error]"));
    mesh.awaitStable(NONE, "primary", 30);
    // A proxyless client keeps only gRPC status events: an http-only policy does not retry UNAVAILABLE.
    mesh.primary.failNext(1);
    assertThat(mesh.apex.call(NONE, 10_000)).isEqualTo("UNAVAILABLE");
    mesh.files.router(retryRoute("grpcRoute", "grpcRetryEvents: [unavailable]"), "grpc");
    awaitRetrying();
    int before = mesh.primary.calls();
    mesh.primary.failNext(1);
    assertThat(mesh.apex.call(NONE, 10_000)).isEqualTo("primary");
    assertThat(mesh.primary.calls() - before).isEqualTo(2);
  }

  private void awaitRetrying() throws InterruptedException {
    RunningMesh.await(() -> {
      mesh.primary.failNext(1);
      boolean ok = "primary".equals(mesh.apex.call(NONE, 10_000));
      mesh.primary.failNext(0);
      return ok;
    }, 20_000);
  }

  @Test
  @Order(5)
  void perRequestTimeoutEndsSlowCalls() throws Exception {
    mesh.files.router(route("slow", null, null, "podinfo-primary").replace("action:",
        "timeout:\n      perRequest: {unit: ms, value: 300}\n    action:"));
    mesh.primary.delay(1500);
    try {
      long t0 = System.nanoTime();
      RunningMesh.await(() -> "DEADLINE_EXCEEDED".equals(mesh.apex.call(NONE, 10_000)), 20_000);
      long t1 = System.nanoTime();
      assertThat(mesh.apex.call(NONE, 10_000)).isEqualTo("DEADLINE_EXCEEDED");
      long ms = (System.nanoTime() - t1) / 1_000_000;
      System.out.println("per-request timeout 300 ms: call ended after " + ms + " ms (first seen after "
          + (t1 - t0) / 1_000_000 + " ms)");
      assertThat(ms).isLessThan(1500);
    } finally {
      mesh.primary.delay(0);
    }
  }

  @Test
  @Order(6)
  void weightEditedInTheWatchedFileReachesTheClient() throws Exception {
    mesh.files.router(Flagger.weights(0));
    mesh.awaitRoute(NONE, "primary");
    long t0 = System.nanoTime();
    mesh.files.router(Flagger.weights(100));
    RunningMesh.await(() -> "canary".equals(mesh.apex.call(NONE, 5_000)), 20_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("file edit (weight 0 -> 100) reached the grpc-java client after " + ms + " ms");
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("canary", 50));
  }

  @Test
  @Order(7)
  void endpointChangeMovesTraffic() throws Exception {
    mesh.files.router(Flagger.weights(0));
    mesh.awaitRoute(NONE, "primary");
    mesh.files.slices(Map.of("podinfo-primary", mesh.spare, "podinfo-canary", mesh.canary));
    mesh.awaitRoute(NONE, "spare");
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("spare", 50));
    mesh.files.slices(RunningMesh.backends(mesh.primary, mesh.canary));
    mesh.awaitRoute(NONE, "primary");
  }

  @Test
  @Order(8)
  void invalidEditKeepsTheLastGoodConfigAndReportsTheError() throws Exception {
    mesh.files.router(Flagger.weights(100));
    mesh.awaitRoute(NONE, "canary");
    long builds = mesh.cp.reconciler().builds();
    mesh.files.router(Flagger.abTest(0).replace(".*(Firefox|curl).*", "(?=.*Safari)(?!.*Chrome).*$"));
    // Why the status too: the build counter moves before the build's statuses reach /status.
    RunningMesh.await(() -> mesh.cp.reconciler().builds() > builds && statusShowsRejection(), 20_000);
    String status = mesh.admin("/status");
    assertThat(status).contains("\"status\" : \"False\"")
        .contains("spec.routes[0].httpRoute.match.headers[0].match.regex")
        .contains("is not a valid RE2 regular expression");
    // The last accepted router (weights 100 to canary) is still what clients get.
    assertThat(mesh.apex.tally(50, NONE)).containsExactly(Map.entry("canary", 50));
    mesh.files.router(Flagger.weights(0));
    mesh.awaitRoute(NONE, "primary");
  }

  private boolean statusShowsRejection() {
    try {
      return mesh.admin("/status").contains("\"status\" : \"False\"");
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  @Order(9)
  void canaryServiceAlwaysReachesTheCanary() {
    assertThat(mesh.canaryService.tally(30, NONE)).containsExactly(Map.entry("canary", 30));
  }

  static String route(String name, Integer priority, String header, String target) {
    return "- name: " + name + "\n" + (priority == null ? "" : "  priority: " + priority + "\n")
        + "  httpRoute:\n    match:\n      prefix: /\n"
        + (header == null ? "" : "      headers:\n        - name: " + header + "\n")
        + "    action:\n      weightedTargets:\n        - virtualNodeRef:\n            name: " + target + "\n          weight: 100\n";
  }

  static String retryRoute(String type, String events) {
    String r = route("retry", null, null, "podinfo-primary").replace("action:",
        "retryPolicy:\n      maxRetries: 2\n      perRetryTimeout: {unit: s, value: 2}\n      " + events + "\n    action:");
    return type.equals("grpcRoute") ? r.replace("httpRoute:", "grpcRoute:").replace("      prefix: /\n", "      {}\n") : r;
  }
}
