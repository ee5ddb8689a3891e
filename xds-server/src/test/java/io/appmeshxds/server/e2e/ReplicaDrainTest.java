package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability: two replicas serve the same objects; when one drains, its proxies reconnect
 * to the other and receive the same configuration (same versions, same resources), with no NACK
 * and no empty listener or cluster push; and a short max connection age ends connections so that
 * proxies spread over the replicas again.
 */
class ReplicaDrainTest {
  static ControlPlane replica(Duration maxAge) throws Exception {
    return new ControlPlane(Pipelines.standard(), ControlPlane.Settings.loopback().withMaxConnectionAge(maxAge), List.of(),
        List.of()).start();
  }

  @Test
  void aDrainingReplicasProxiesGetTheSameConfigFromTheOther(@TempDir Path dir) throws Exception {
    try (Backend b = new Backend("primary")) {
      new MeshFiles(dir, Map.of("podinfo-primary", b, "podinfo-canary", b));
      ControlPlane a = replica(null);
      ControlPlane other = replica(null);
      ManifestSource sa = new ManifestSource(List.of(dir), a.store(), 50).start();
      ManifestSource sb = new ManifestSource(List.of(dir), other.store(), 50).start();
      try {
        RunningMesh.await(() -> a.reconciler().ready() && other.reconciler().ready(), 20_000);
        for (ControlPlane r : List.of(a, other)) {
          assertThat(r.store().snapshot().loadProblems()).as("each replica loads the mesh once: no object defined twice")
              .extracting(io.appmeshxds.translator.input.Problem::message).noneMatch(m -> m.startsWith("defined more than once"));
        }
        try (AdsTestClient before = new AdsTestClient(a.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
          RunningMesh.await(before::complete, 20_000);
          sa.close();
          a.close(); // SIGTERM after preStop: new streams refused, open ones ended
          RunningMesh.await(() -> before.ended() != null, 10_000);
          assertThat(before.ended()).isIn("UNAVAILABLE", "COMPLETED", "CANCELLED");
          try (AdsTestClient after = new AdsTestClient(other.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
            RunningMesh.await(after::complete, 20_000);
            for (String type : List.of(AdsTestClient.LDS, AdsTestClient.RDS, AdsTestClient.CDS, AdsTestClient.EDS)) {
              assertThat(after.version(type)).as(type + " version on the other replica").isEqualTo(before.version(type));
            }
            assertThat(after.held()).as("the same resources, byte for byte").isEqualTo(before.held());
            assertThat(before.emptyPushes() + after.emptyPushes()).as("no empty listener or cluster push").isZero();
            for (ControlPlane r : List.of(a, other)) {
              assertThat(r.metrics().find("appmeshxds_nacks_total").counters()).as("no NACK").allSatisfy(c ->
                  assertThat(c.count()).isZero());
            }
            assertThat(other.metrics().find("appmeshxds_pushes_total").counters()).as("the other replica did push")
                .anySatisfy(c -> assertThat(c.count()).isPositive());
          }
        }
      } finally {
        sb.close();
        other.close();
      }
    }
  }

  @Test
  void aShortMaxConnectionAgeEndsConnectionsAndTheProxyReconnects(@TempDir Path d) throws Exception {
    try (Backend b = new Backend("primary")) {
      new MeshFiles(d, Map.of("podinfo-primary", b, "podinfo-canary", b));
      ControlPlane cp = replica(Duration.ofSeconds(1));
      ManifestSource s = new ManifestSource(List.of(d), cp.store(), 50).start();
      try {
        RunningMesh.await(() -> cp.reconciler().ready(), 20_000);
        long t0 = System.nanoTime();
        try (AdsTestClient client = new AdsTestClient(cp.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
          RunningMesh.await(client::complete, 20_000);
          // 1 s +/-10 %, then at most 5 s of grace for the never-ending ADS stream.
          RunningMesh.await(() -> client.ended() != null, 15_000);
          long ms = (System.nanoTime() - t0) / 1_000_000;
          System.out.println("max connection age 1 s: the stream ended after " + ms + " ms (" + client.ended() + ")");
          assertThat(ms).isGreaterThanOrEqualTo(900);
          assertThat(client.ended()).isEqualTo("UNAVAILABLE");
        }
        try (AdsTestClient again = new AdsTestClient(cp.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
          RunningMesh.await(again::complete, 20_000);
        }
      } finally {
        s.close();
        cp.close();
      }
    }
  }
}
