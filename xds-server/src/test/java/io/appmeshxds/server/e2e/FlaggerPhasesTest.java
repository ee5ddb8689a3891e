package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Flagger;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flagger's phases (flagger-appmesh.md §1.7), replayed by rewriting the watched router the way
 * Flagger's App Mesh v1beta2 router does, each asserted by where real RPCs from the load tester's
 * identity go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlaggerPhasesTest {
  static final Map<String, String> NONE = Map.of();
  static final Map<String, String> CURL = Map.of("user-agent", "curl/8.5.0");
  static final Map<String, String> CHROME = Map.of("user-agent", "Mozilla/5.0 Chrome/120.0");

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
  void progressiveCanaryInitThenWeight10ThenPromoted() throws Exception {
    mesh.files.router(Flagger.weights(0)); // Initialized
    mesh.awaitStable(NONE, "primary", 30);
    assertThat(mesh.apex.tally(200, NONE)).containsExactly(Map.entry("primary", 200));
    mesh.files.router(Flagger.weights(100)); // a step we can observe unambiguously, then the real step
    mesh.awaitStable(NONE, "canary", 30);
    mesh.files.router(Flagger.weights(10)); // canary-step-weight-10
    mesh.awaitRoute(NONE, "primary");
    Map<String, Integer> step = mesh.apex.tally(1000, NONE);
    System.out.println("canary step 10/90 over 1000 RPCs: " + step);
    // n=1000, p=0.1: mean 100, sd 9.5; accept 60..140 (about ±4.2 sd).
    assertThat(step.get("canary")).isBetween(60, 140);
    mesh.files.router(Flagger.weights(0)); // Promoted: all traffic back to the (new) primary
    mesh.awaitStable(NONE, "primary", 30);
    assertThat(mesh.apex.tally(200, NONE)).containsExactly(Map.entry("primary", 200));
    assertThat(mesh.canaryService.tally(20, NONE)).containsExactly(Map.entry("canary", 20));
  }

  @Test
  void abTestingInitRunningPromoted() throws Exception {
    mesh.files.router(Flagger.abTest(0)); // A/B Canary before the run
    mesh.awaitStable(CURL, "primary", 30);
    mesh.awaitStable(NONE, "primary", 10);
    mesh.files.router(Flagger.abTest(100)); // A/B running: podinfo-a sends matching users to the canary
    mesh.awaitStable(CURL, "canary", 30);
    assertThat(mesh.apex.tally(100, CURL)).containsExactly(Map.entry("canary", 100));
    assertThat(mesh.apex.tally(100, CHROME)).containsExactly(Map.entry("primary", 100));
    assertThat(mesh.apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));
    mesh.files.router(Flagger.abTest(0)); // promoted (or rolled back): podinfo-a back to primary
    mesh.awaitStable(CURL, "primary", 30);
    assertThat(mesh.apex.tally(100, CURL)).containsExactly(Map.entry("primary", 100));
  }

  @Test
  void rollbackReturnsAllTrafficToThePrimary() throws Exception {
    mesh.files.router(Flagger.weights(100));
    mesh.awaitStable(NONE, "canary", 30);
    mesh.files.router(Flagger.weights(30)); // analysis at 30 %, then failed checks
    mesh.awaitRoute(NONE, "primary");
    mesh.files.router(Flagger.weights(0)); // rolled-back
    mesh.awaitStable(NONE, "primary", 30);
    assertThat(mesh.apex.tally(200, NONE)).containsExactly(Map.entry("primary", 200));
  }
}
