package io.appmeshxds.server.e2e;

import static io.appmeshxds.server.testing.AdsTestClient.LDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.grpc.XdsLimits;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.RawAdsClient;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 measured +197 MB retained after 2,000 clients sent 100 KB ACK versions and +301 MB after
 * 1,000 sent 100 KB NACKs. Here 2,000 clients do both (a third of them with node ids we have no
 * config for, a sixth with ids that are not App Mesh ids at all), then disconnect: the server's
 * per-client state must be empty again (structurally: streams, NACK book, cache groups, text
 * accounted) and the heap after GC back to the baseline within {@link #MARGIN_BYTES}.
 */
class XdsClientStateMemoryTest {
  static final int CLIENTS = 2_000;
  static final long MARGIN_BYTES = 32L << 20;
  static final String HUGE = "v".repeat(100_000);
  static final String HUGE_NACK = "rejected\n" + "n".repeat(100_000);

  @TempDir Path dir;

  @Test
  void retainedStateReturnsToBaselineAfterTwoThousandAbusiveClientsLeave() throws Exception {
    // One address for all: the per-address stream limit is lifted (the point here is memory).
    XdsLimits limits = XdsLimits.defaults().withStreams(10_000, 20_000);
    try (RunningMesh mesh = new RunningMesh(dir, ControlPlaneConfig.defaults(), ControlPlane.Settings.loopback().withLimits(limits))) {
      // Warm-up round (class loading, pools), then the baseline.
      close(round(mesh, 100));
      awaitEmpty(mesh);
      long entries = mesh.cp.clientStateEntries();
      int groups = mesh.cp.cache().groups();
      long baseline = usedAfterGc();

      long t0 = System.nanoTime();
      List<ManagedChannel> channels = round(mesh, CLIENTS);
      long connectedMs = (System.nanoTime() - t0) / 1_000_000;
      long during = usedAfterGc();
      long textDuring = mesh.cp.clientTextChars();
      int rejectingStreams = mesh.cp.nackBook().streams();
      close(channels);
      // Structurally empty: no stream, no rejection, no group of an unknown node, no text kept.
      try {
        RunningMesh.await(() -> mesh.cp.clientStateEntries() == entries && mesh.cp.clientTextChars() == 0
            && mesh.cp.nackBook().streams() == 0 && mesh.cp.cache().groups() == groups, 30_000);
      } catch (AssertionError e) {
        // Say which part did not drain (a flake seen once in a full run: find it when it recurs).
        throw new AssertionError("client state did not return to baseline: entries " + mesh.cp.clientStateEntries()
            + " (baseline " + entries + "), text chars " + mesh.cp.clientTextChars() + ", NACK book streams "
            + mesh.cp.nackBook().streams() + ", cache groups " + mesh.cp.cache().groups() + " (baseline " + groups
            + "), open proxies " + mesh.cp.callbacks().proxies().size(), e);
      }
      long after = usedAfterGc();
      long leftMs = (System.nanoTime() - t0) / 1_000_000 - connectedMs;
      System.out.printf("client state memory: baseline %.1f MB, with %d clients connected %.1f MB (NACK text kept %d chars"
          + " for %d rejecting streams), after they left %.1f MB (%+.1f MB over baseline; margin %d MB); all NACKs counted"
          + " in %d ms, state empty %d ms after that%n",
          mb(baseline), CLIENTS, mb(during), textDuring, rejectingStreams, mb(after), mb(after - baseline), MARGIN_BYTES >> 20,
          connectedMs, leftMs);
      // While connected, the text kept is capped per stream (1,024 chars of NACK text + names).
      assertThat(textDuring).isLessThanOrEqualTo((long) rejectingStreams * 1_300);
      assertThat(mesh.cp.nackBook().snapshot()).isEmpty();
      assertThat(after - baseline).isLessThan(MARGIN_BYTES);
    }
  }

  /**
   * {@code n} clients, 100 to a connection: each asks for listeners, ACKs with a 100 KB version,
   * then NACKs with 100 KB of text. Returns once the server counted every NACK.
   */
  private static List<ManagedChannel> round(RunningMesh mesh, int n) throws Exception {
    double nacksBefore = nacks(mesh);
    List<ManagedChannel> channels = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    ManagedChannel ch = null;
    for (int i = 0; i < n; i++) {
      if (i % 100 == 0) {
        ch = NettyChannelBuilder.forAddress("127.0.0.1", mesh.cp.xdsPort()).usePlaintext().build();
        channels.add(ch);
      }
      String node = i % 6 == 0 ? "not-an-app-mesh-id-" + i + "-" + "z".repeat(400)
          : i % 3 == 0 ? "mesh/appmesh/virtualNode/ghost-" + i + "_demo" : MeshFiles.LOADTESTER;
      client(ch, node, done);
    }
    RunningMesh.await(() -> nacks(mesh) - nacksBefore >= n, 120_000);
    return channels;
  }

  /** One client's stream, driven by the responses it gets (a client of an unknown node gets none). */
  private static void client(ManagedChannel ch, String node, AtomicInteger done) {
    DiscoveryRequest first = DiscoveryRequest.newBuilder().setNode(RawAdsClient.node(node)).setTypeUrl(LDS).build();
    StreamObserver<DiscoveryRequest>[] out = new StreamObserver[1];
    AtomicInteger seen = new AtomicInteger();
    out[0] = AggregatedDiscoveryServiceGrpc.newStub(ch).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse r) {
        synchronized (out) {
          if (seen.incrementAndGet() == 1) {
            out[0].onNext(first.toBuilder().setVersionInfo(HUGE).setResponseNonce(r.getNonce()).build());
          } else if (seen.get() == 2) {
            out[0].onNext(first.toBuilder().setVersionInfo(HUGE).setResponseNonce(r.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage(HUGE_NACK)).build());
            done.incrementAndGet();
          }
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    synchronized (out) {
      out[0].onNext(first);
      if (!node.equals(MeshFiles.LOADTESTER)) {
        // No config will come: the same abuse without it (a nonce of nothing we sent).
        out[0].onNext(first.toBuilder().setVersionInfo(HUGE).setResponseNonce("1").build());
        out[0].onNext(first.toBuilder().setVersionInfo(HUGE).setResponseNonce("2")
            .setErrorDetail(Status.newBuilder().setCode(3).setMessage(HUGE_NACK)).build());
        done.incrementAndGet();
      }
    }
  }

  private static void close(List<ManagedChannel> channels) throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      c.awaitTermination(10, TimeUnit.SECONDS);
    }
    channels.clear();
  }

  private static double nacks(RunningMesh mesh) {
    var c = mesh.cp.metrics().find("appmeshxds_nacks_total").tag("type", "lds").counter();
    return c == null ? 0 : c.count();
  }

  /**
   * Waits until no client is connected and nothing of the warm-up round is left, so the baseline is
   * the structural empty state (a full run once took it while the warm-up's last cache group was
   * still being forgotten: baseline 1 group, 0 after the abusive round).
   */
  private static void awaitEmpty(RunningMesh mesh) throws InterruptedException {
    Await.until(() -> mesh.cp.nackBook().streams() == 0 && mesh.cp.clientTextChars() == 0
        && mesh.cp.metrics().find("appmeshxds_xds_streams").gauge().value() == 0
        && mesh.cp.callbacks().proxies().size() == 0 && mesh.cp.clientStateEntries() == 0 && mesh.cp.cache().groups() == 0,
        30_000, () -> "streams " + mesh.cp.metrics().find("appmeshxds_xds_streams").gauge().value() + ", entries "
            + mesh.cp.clientStateEntries() + ", cache groups " + mesh.cp.cache().groups() + ", open proxies "
            + mesh.cp.callbacks().proxies().size());
  }

  /** Heap in use after full collections, repeated until it stops shrinking (by less than 1 MB). */
  static long usedAfterGc() {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = m.getHeapMemoryUsage().getUsed();
      if (last - used < (1 << 20)) {
        return used;
      }
      last = used;
    }
    return last;
  }

  private static double mb(long bytes) {
    return bytes / 1048576.0;
  }
}
