package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import io.appmeshxds.translator.TestPeers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An xDS client from another gRPC implementation, run as a child process with the load tester's
 * node identity, routes real RPCs to real backends by what our control plane serves from watched
 * manifests: Flagger's 90/10 canary split and its A/B user-agent match.
 *
 * <p>The in-JVM grpc-java client of {@link RunningMesh} tells when the server has published a new
 * router (it shares the translation, not the dialect); each peer run is a fresh process, so it
 * fetches the configuration current at its start. A peer that is not installed fails the class,
 * or with {@code -Dpeers.optional=true} skips each test loudly ({@link TestPeers}); .ci/run installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ExternalPeerRoutingTest {
  static final String TARGET = "podinfo.demo:9898";
  static final Map<String, String> NONE = Map.of();
  static final Map<String, String> CURL = Map.of("user-agent", "curl/8.5.0");
  static final Map<String, String> CHROME = Map.of("user-agent", "Mozilla/5.0 (X11) Chrome/120.0");

  @TempDir static Path dir;
  RunningMesh mesh;
  ExternalPeer peer;
  String bootstrap;

  abstract ExternalPeer peer();

  String missing;

  @BeforeAll
  void start() throws Exception {
    peer = peer();
    missing = peer.unavailableBecause();
    if (missing != null) {
      if (!TestPeers.optional()) {
        TestPeers.missing(getClass(), peer.name(), missing); // fails the class
      }
      return; // each test is skipped with the reason (Surefire hides a class-level skip's message)
    }
    mesh = new RunningMesh(dir);
    bootstrap = ExternalPeer.bootstrap(mesh.cp.xdsPort(), MeshFiles.LOADTESTER);
  }

  @BeforeEach
  void peerInstalled() {
    if (missing != null) {
      TestPeers.missing(getClass(), peer.name(), missing); // -Dpeers.optional=true: a loud skip of this test
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (mesh != null) {
      mesh.close();
    }
  }

  /** No client (the peer nor grpc-java) rejected anything the server sent. */
  @AfterEach
  void noNacks() throws Exception {
    if (mesh == null) {
      return;
    }
    double nacks = mesh.cp.metrics().find("appmeshxds_nacks_total").counters().stream().mapToDouble(Counter::count).sum();
    assertThat(nacks).as("NACKs; /status says: %s", mesh.admin("/status")).isZero();
  }

  ExternalPeer.Run run(int n, Map<String, String> metadata) throws Exception {
    ExternalPeer.Run r = peer.run(bootstrap, TARGET, n, metadata);
    assertThat(r.get("timedOut")).as("%s timed out: %s", peer.name(), r).isZero();
    return r;
  }

  @Test
  @Order(1)
  void weightedSplit90_10WithinBinomialBound() throws Exception {
    // Everything to the canary first: the peer must see the router at all (and not reject it).
    mesh.files.router(Flagger.weights(100));
    mesh.awaitStable(NONE, "canary", 30);
    assertThat(run(50, NONE).tally()).as(peer.name() + " with weights 100/0")
        .containsExactlyInAnyOrderEntriesOf(Map.of("primary", 0, "canary", 50, "errors", 0));

    mesh.files.router(Flagger.weights(10));
    mesh.awaitRoute(NONE, "primary"); // published: only the 10/90 version sends anything to primary
    ExternalPeer.Run r = run(1000, NONE);
    // n=1000, p=0.1: mean 100, sd sqrt(1000*0.1*0.9) = 9.5; accepting 60..140 is about ±4.2 sd,
    // a false failure about once in 40,000 runs.
    assertThat(r.get("errors")).as("errors: %s", r).isZero();
    assertThat(r.get("primary") + r.get("canary")).as("answered by primary or canary: %s", r).isEqualTo(1000);
    assertThat(r.get("canary")).as("canary share of 1000 calls at 10%%: %s", r).isBetween(60, 140);
  }

  @Test
  @Order(2)
  void userAgentRegexGoesToTheCanaryAndEverythingElseToThePrimary() throws Exception {
    mesh.files.router(Flagger.abTest(100));
    mesh.awaitStable(CURL, "canary", 30); // under the previous 90/10 router 30 in a row is ~1e-30
    assertThat(run(100, CURL).tally()).as(peer.name() + " with user-agent curl/8.5.0")
        .containsExactlyInAnyOrderEntriesOf(Map.of("primary", 0, "canary", 100, "errors", 0));
    assertThat(run(100, CHROME).tally()).as(peer.name() + " with a Chrome user-agent")
        .containsExactlyInAnyOrderEntriesOf(Map.of("primary", 100, "canary", 0, "errors", 0));
  }

}
