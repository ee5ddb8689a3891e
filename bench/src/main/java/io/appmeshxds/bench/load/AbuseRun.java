package io.appmeshxds.bench.load;

import com.google.rpc.Status;
import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.bench.report.Stats;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.grpc.XdsLimits;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/bench abuse}: issue 17's abuse at full size against a control plane with the default
 * {@link XdsLimits}, in one process. Normal clients (delta, from 127.0.0.1) wait for VirtualRouter
 * weight changes while, all at once: never-ACKing streams, streams that ACK with 100 KB versions
 * and NACK with 100 KB of text, 5 MB requests, requests for unknown types, and connect/disconnect
 * cycles, spread over 127.0.3.x addresses (100 streams each, the default per-address limit). Prints
 * the weight changes' times with and without abuse, the limits' counters, and the heap after GC
 * before, during and after the abusers left.
 */
public final class AbuseRun {
  private AbuseRun() {}

  static final String HUGE = "v".repeat(100_000);
  static final String HUGE_NACK = "rejected\n" + "n".repeat(100_000);

  public static int run(MeshGenerator.Profile profile, int abusers, int normal, int changes) throws Exception {
    XdsLimits limits = XdsLimits.defaults();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    try (BenchServer s = new BenchServer(limits)) {
      s.load(profile, 42, true, 600_000);
      ControlPlane cp = s.controlPlane();
      int port = cp.xdsPort();
      ManagedChannel local = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(256 << 20).build();
      List<SimClient> good = new ArrayList<>();
      for (int j = 0; j < normal; j++) {
        good.add(new SimClient(ClientPlan.nodeId(j), 0, scheduler).start(local));
      }
      BenchServer.waitUntil(() -> good.stream().allMatch(SimClient::complete), 120_000, 10);
      long heapBefore = ProcStats.liveHeapAfterFullGc();
      Stats quiet = changes(s, normal, changes, 0);

      List<ManagedChannel> channels = new ArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong cycles = new AtomicLong();
      // Never-ACKing streams and ACK/NACK streams with 100 KB texts, 100 per address.
      for (int i = 0; i < abusers; i++) {
        if (i % 100 == 0) {
          channels.add(channel(port, "127.0.3." + (1 + i / 100)));
        }
        String node = ClientPlan.nodeId(normal + i % 500);
        stream(channels.get(channels.size() - 1), node, i % 2 == 1);
      }
      List<Thread> floods = List.of(
          flood("oversized", running, cycles, () -> {
            try (Closing c = new Closing(channel(port, "127.0.4.1"))) {
              var done = new java.util.concurrent.CountDownLatch(1);
              var o = AggregatedDiscoveryServiceGrpc.newStub(c.ch).streamAggregatedResources(ending(done));
              o.onNext(request(ClientPlan.nodeId(0)).toBuilder().addResourceNames("x".repeat(5 << 20)).build());
              done.await(10, TimeUnit.SECONDS);
            }
          }),
          flood("unknown-types", running, cycles, () -> {
            try (Closing c = new Closing(channel(port, "127.0.4.2"))) {
              var done = new java.util.concurrent.CountDownLatch(1);
              var o = AggregatedDiscoveryServiceGrpc.newStub(c.ch).streamAggregatedResources(ending(done));
              for (int k = 0; k < 1000; k++) {
                o.onNext(request(ClientPlan.nodeId(0)).toBuilder().setTypeUrl("type.googleapis.com/evil.T" + k).build());
              }
              o.onCompleted();
              done.await(10, TimeUnit.SECONDS);
            }
          }),
          flood("connect-cycles", running, cycles, () -> {
            try (Closing c = new Closing(channel(port, "127.0.4.3"))) {
              var done = new java.util.concurrent.CountDownLatch(1);
              var o = AggregatedDiscoveryServiceGrpc.newStub(c.ch).streamAggregatedResources(new StreamObserver<>() {
                @Override
                public void onNext(DiscoveryResponse r) {
                  done.countDown();
                }

                @Override
                public void onError(Throwable t) {
                  done.countDown();
                }

                @Override
                public void onCompleted() {
                  done.countDown();
                }
              });
              o.onNext(request(ClientPlan.nodeId(1)));
              done.await(10, TimeUnit.SECONDS);
            }
          }));
      BenchServer.waitUntil(() -> cycles.get() >= 3, 120_000, 10);
      long heapDuring = ProcStats.liveHeapAfterFullGc();
      long textDuring = cp.clientTextChars();
      Stats abused = changes(s, normal, changes, 40);
      running.set(false);
      for (Thread t : floods) {
        t.join(30_000);
      }
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      for (ManagedChannel c : channels) {
        c.awaitTermination(10, TimeUnit.SECONDS);
      }
      // The normal clients hold 3 entries per stream plus their one address.
      boolean empty = BenchServer.waitUntil(() -> cp.clientStateEntries() == 3L * normal + 1 && cp.clientTextChars() == 0,
          60_000, 10);
      long heapAfter = ProcStats.liveHeapAfterFullGc();
      System.out.printf("%n## xDS abuse (%s, default limits, %d abusive streams + floods, %d normal clients)%n%n",
          profile.name(), abusers, normal);
      System.out.println("| | p50 ms | max ms |");
      System.out.println("|---|---|---|");
      System.out.printf("| weight change, no abuse (%d) | %.0f | %.0f |%n", quiet.count(), quiet.p50(), quiet.max());
      System.out.printf("| weight change, under abuse (%d) | %.0f | %.0f |%n", abused.count(), abused.p50(), abused.max());
      System.out.printf("%nheap after GC: %.1f MB before, %.1f MB during (NACK text kept: %d chars), %.1f MB after"
          + " (%+.1f MB); per-client state empty after: %s%n", mb(heapBefore), mb(heapDuring), textDuring, mb(heapAfter),
          mb(heapAfter - heapBefore), empty);
      System.out.println("limits triggered:");
      cp.metrics().find("appmeshxds_xds_limited_total").counters().forEach(c -> {
        if (c.count() > 0) {
          System.out.printf("  %s %.0f%n", c.getId().getTag("reason"), c.count());
        }
      });
      good.forEach(SimClient::close);
      local.shutdownNow();
      return empty ? 0 : 1;
    } finally {
      scheduler.shutdownNow();
    }
  }

  /** Weight changes of the hot router, timed to the ACK of the last affected normal client. */
  private static Stats changes(BenchServer s, int normal, int k, int base) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      Msg c = s.change("hot", base + 5 + i, normal, 60_000);
      if (c.num("affected", 0) > 0) {
        ms.add(c.dbl("ms"));
      }
    }
    System.out.println("weight changes" + (base > 0 ? " under abuse" : "") + " (ms, in order): " + ms);
    return Stats.of(ms);
  }

  private static double mb(long b) {
    return b / 1048576.0;
  }

  private static ManagedChannel channel(int port, String source) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(256 << 20)
        .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
          @Override
          public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
            return new InetSocketAddress(source, 0);
          }
        }).build();
  }

  private static DiscoveryRequest request(String node) {
    return DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(node).setCluster("abuse").setUserAgentName("envoy")
        .setUserAgentVersion("1.34.0")).setTypeUrl(SimClient.TYPES.get(SimClient.LDS)).build();
  }

  /** A never-ACKing stream, or one that ACKs with a 100 KB version and then NACKs with 100 KB. */
  private static void stream(ManagedChannel ch, String node, boolean nacking) {
    DiscoveryRequest first = request(node);
    Object lock = new Object();
    @SuppressWarnings("unchecked")
    StreamObserver<DiscoveryRequest>[] out = new StreamObserver[1];
    int[] seen = {0};
    out[0] = AggregatedDiscoveryServiceGrpc.newStub(ch).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse r) {
        if (!nacking) {
          return;
        }
        synchronized (lock) {
          seen[0]++;
          if (seen[0] == 1) {
            out[0].onNext(first.toBuilder().setVersionInfo(HUGE).setResponseNonce(r.getNonce()).build());
          } else if (seen[0] == 2) {
            out[0].onNext(first.toBuilder().setVersionInfo(HUGE).setResponseNonce(r.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage(HUGE_NACK)).build());
          }
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    synchronized (lock) {
      out[0].onNext(first);
    }
  }

  private static StreamObserver<DiscoveryResponse> ending(java.util.concurrent.CountDownLatch done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse r) {}

      @Override
      public void onError(Throwable t) {
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    };
  }

  interface Cycle {
    void run() throws Exception;
  }

  private static Thread flood(String name, AtomicBoolean running, AtomicLong cycles, Cycle c) {
    Thread t = new Thread(() -> {
      while (running.get()) {
        try {
          c.run();
          cycles.incrementAndGet();
        } catch (Exception e) {
          System.err.println(name + ": " + e);
          return;
        }
      }
    }, "abuse-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private record Closing(ManagedChannel ch) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
