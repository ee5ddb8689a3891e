package io.appmeshxds.server.e2e;

import static io.appmeshxds.server.testing.AdsTestClient.LDS;
import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.google.rpc.Status;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.grpc.XdsLimits;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.RawAdsClient;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status.Code;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The abuse cases of issue 17 against a running server with small limits, each while a
 * well-behaved Envoy-like client (from 127.0.0.1) waits for a VirtualRouter weight change: the
 * change must reach it within {@link #BUDGET_MS} while the abuse (from 127.0.0.2…) runs. The limits:
 * 20 streams per address, 200 in all, 256 KiB requests, 1,000 names a request, 512-character node
 * ids, 256-character versions, 1,024 characters of NACK text, 512 of client text a log line, 60 log
 * lines a minute of each kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class XdsAbuseTest {
  /** Generous: unloaded the change arrives in a few hundred ms; the issue measured 832 ms under far heavier load. */
  static final long BUDGET_MS = 5_000;
  static final XdsLimits LIMITS = XdsLimits.defaults().withStreams(20, 200).withRequest(256 * 1024, 1_000)
      .withText(512, 256, 1024, 512, 60);

  @TempDir static Path dir;
  RunningMesh mesh;
  AdsTestClient normal;
  final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
  final AtomicLong loggedBytes = new AtomicLong();
  AppenderBase<ILoggingEvent> capture;
  int weight = 10;

  @BeforeAll
  void start() throws Exception {
    capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        String line = e.getFormattedMessage();
        loggedBytes.addAndGet(line.length());
        log.add(line);
      }
    };
    capture.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(capture);
    mesh = new RunningMesh(dir, ControlPlaneConfig.defaults(), ControlPlane.Settings.loopback().withLimits(LIMITS));
    normal = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).start();
    RunningMesh.await(normal::complete, 20_000);
    System.out.println("weight change with no abuse: " + weightChange() + " ms");
  }

  @AfterAll
  void stop() throws Exception {
    normal.close();
    mesh.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(capture);
  }

  @Test
  @Order(1)
  void manyStreamsFromOneAddressAreRefusedOverTheLimit() throws Exception {
    double before = limited("streams_per_peer");
    List<RawAdsClient> conns = new ArrayList<>();
    List<RawAdsClient.Stream> streams = new ArrayList<>();
    try {
    // Three connections of 20 streams from one address: 20 are served, 40 refused.
    for (int c = 0; c < 3; c++) {
      RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2");
      conns.add(conn);
      for (int i = 0; i < 20; i++) {
        RawAdsClient.Stream s = conn.stream();
        s.send(lds(MeshFiles.LOADTESTER));
        streams.add(s);
      }
    }
    RunningMesh.await(() -> streams.stream().allMatch(s -> s.ended.isDone() || !s.responses.isEmpty()), 20_000);
    long refused = streams.stream().filter(s -> s.ended.isDone() && s.ended.getNow(null).getCode() == Code.RESOURCE_EXHAUSTED).count();
    long served = streams.stream().filter(s -> !s.responses.isEmpty() && !s.ended.isDone()).count();
    assertThat(refused).isEqualTo(40);
    assertThat(served).isEqualTo(20);
    assertThat(streams.stream().filter(s -> s.ended.isDone()).findFirst().orElseThrow().ended.getNow(null).getDescription())
        .contains("--xds-max-streams-per-peer");
    assertThat(limited("streams_per_peer") - before).isEqualTo(40);
    // While the 20 are held, the address keeps trying: every new stream is refused at once.
    long ms = underAbuse(() -> {
      try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
        List<RawAdsClient.Stream> more = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          RawAdsClient.Stream s = conn.stream();
          s.send(lds(MeshFiles.LOADTESTER));
          more.add(s);
        }
        for (RawAdsClient.Stream s : more) {
          assertThat(s.ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
        }
      }
    });
    System.out.println("weight change while one address floods streams: " + ms + " ms");
    } finally {
      for (RawAdsClient c : conns) {
        c.close();
      }
    }
    // The address's slots come back when its streams go.
    RunningMesh.await(() -> mesh.cp.metrics().find("appmeshxds_xds_stream_peers").gauge().value() == 1, 10_000);
    try (RawAdsClient again = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
      RawAdsClient.Stream s = again.stream();
      s.send(lds(MeshFiles.LOADTESTER));
      assertThat(s.next(10_000)).isNotNull();
    }
  }

  @Test
  @Order(2)
  void streamsOverTheTotalAreRefusedAndOpenStreamsKeepTheirUpdates() throws Exception {
    // Only the well-behaved clients of 127.0.0.1 hold streams (the previous test's last stream may
    // still be closing): then count them.
    Await.until(() -> mesh.cp.metrics().find("appmeshxds_xds_stream_peers").gauge().value() == 1, 10_000,
        () -> "peers " + mesh.cp.metrics().find("appmeshxds_xds_stream_peers").gauge().value());
    double before = limited("streams_total");
    int existing = (int) streams();
    List<RawAdsClient> conns = new ArrayList<>();
    try {
    List<RawAdsClient.Stream> streams = new ArrayList<>();
    // 11 addresses × 19 streams = 209 attempts; the normal client and grpc-java's hold a few: 200 in all.
    for (int a = 0; a < 11; a++) {
      RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.1." + (a + 1));
      conns.add(conn);
      for (int i = 0; i < 19; i++) {
        RawAdsClient.Stream s = conn.stream();
        s.send(lds(MeshFiles.LOADTESTER));
        streams.add(s);
      }
    }
    try {
      RunningMesh.await(() -> streams() == 200 && limited("streams_total") - before == 209 - (200 - existing), 20_000);
    } catch (AssertionError e) {
      throw new AssertionError("streams " + streams() + ", refused " + (limited("streams_total") - before) + ", ended "
          + streams.stream().filter(x -> x.ended.isDone()).map(x -> x.ended.getNow(null).toString()).distinct().toList(), e);
    }
    long ms = underAbuse(() -> {
      try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.1.99")) {
        RawAdsClient.Stream s = conn.stream();
        s.send(lds(MeshFiles.LOADTESTER));
        assertThat(s.ended.get(10, TimeUnit.SECONDS).getDescription()).contains("--xds-max-streams");
      }
    });
    System.out.println("weight change while the server is at its total stream limit: " + ms + " ms");
    } finally {
      for (RawAdsClient c : conns) {
        c.close();
      }
    }
    RunningMesh.await(() -> mesh.cp.metrics().find("appmeshxds_xds_streams").gauge().value() < 10, 10_000);
  }

  @Test
  @Order(3)
  void oversizedRequestsEndTheirStreamAndAreCounted() throws Exception {
    double before = limited("request_size");
    DiscoveryRequest big = DiscoveryRequest.newBuilder(lds(MeshFiles.LOADTESTER))
        .addAllResourceNames(List.of("a".repeat(200_000), "b".repeat(200_000))).build();
    assertThat(big.getSerializedSize()).isGreaterThan(256 * 1024);
    AtomicInteger sent = new AtomicInteger();
    long ms = underAbuse(() -> {
      // One at a time, each on its own connection, so that every request reaches the server's deframer.
      for (int i = 0; i < 5; i++) {
        try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
          RawAdsClient.Stream s = conn.stream();
          s.send(big);
          // The server ends the stream with RESOURCE_EXHAUSTED and resets it: the client sees that or the
          // reset, depending on timing; the server-side count is checked below.
          assertThat(s.ended.get(10, TimeUnit.SECONDS).getCode()).isNotEqualTo(Code.OK);
          assertThat(s.responses).isEmpty();
          sent.incrementAndGet();
        }
      }
    });
    System.out.println("weight change during " + sent.get() + " requests of " + big.getSerializedSize() / 1024 + " KiB: " + ms + " ms");
    RunningMesh.await(() -> limited("request_size") - before == sent.get(), 5_000);
  }

  @Test
  @Order(4)
  void requestsNamingTooManyResourcesEndTheirStream() throws Exception {
    double before = limited("resource_names");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      names.add("cds_egress_appmesh_svc-" + i + "_demo_http_8080");
    }
    AtomicInteger cycles = new AtomicInteger();
    long ms = underAbuse(() -> {
      try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
        RawAdsClient.Stream s = conn.stream();
        s.send(lds(MeshFiles.LOADTESTER).toBuilder().setTypeUrl(AdsTestClient.EDS).addAllResourceNames(names).build());
        io.grpc.Status st = s.ended.get(10, TimeUnit.SECONDS);
        assertThat(st.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
        assertThat(st.getDescription()).contains("5000").contains("--xds-max-resource-names");
        RawAdsClient.DeltaStream d = conn.deltaStream();
        d.out.onNext(DeltaDiscoveryRequest.newBuilder().setNode(RawAdsClient.node(MeshFiles.LOADTESTER))
            .setTypeUrl(AdsTestClient.EDS).addAllResourceNamesSubscribe(names).build());
        assertThat(d.ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
        cycles.incrementAndGet();
      }
    });
    System.out.println("weight change during requests of 5,000 names: " + ms + " ms");
    assertThat(limited("resource_names") - before).isEqualTo(2.0 * cycles.get());
  }

  @Test
  @Order(5)
  void longAndEscapeLadenNodeIdsAreRefusedOrLoggedEscaped() throws Exception {
    double before = limited("node_id");
    int groups = mesh.cp.cache().groups();
    String evilUnknown = "evil\n2026-12-07 12:00:00 ERROR forged\u001b[2J\u0000";
    String evilKey = "mesh/appmesh/virtualNode/ghost\n\u001b[31mforged\u0000";
    log.clear();
    long ms = underAbuse(() -> {
      try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
        RawAdsClient.Stream tooLong = conn.stream();
        tooLong.send(lds("mesh/appmesh/virtualNode/" + "x".repeat(100_000)));
        io.grpc.Status st = tooLong.ended.get(10, TimeUnit.SECONDS);
        assertThat(st.getCode()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("--xds-max-node-id-chars");
        RawAdsClient.Stream unknown = conn.stream();
        unknown.send(lds(evilUnknown));
        RawAdsClient.Stream ghost = conn.stream();
        ghost.send(lds(evilKey));
        // Neither gets config; both stay open until the client leaves.
        RunningMesh.await(() -> log.stream().anyMatch(l -> l.contains("ghost\\n")), 10_000);
        assertThat(unknown.next(50)).isNull();
        assertThat(ghost.next(50)).isNull();
      }
    });
    System.out.println("weight change during long and escape-laden node ids: " + ms + " ms");
    assertThat(limited("node_id") - before).isPositive();
    List<String> lines = new ArrayList<>(log);
    List<String> mentioning = lines.stream().filter(l -> l.contains("evil") || l.contains("ghost")).toList();
    assertThat(mentioning).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain("\n", "\u001b", "\u0000"));
    assertThat(mentioning).anySatisfy(l -> assertThat(l).contains("evil\\n2026-12-07 12:00:00 ERROR forged\\e[2J\\0"));
    assertThat(mentioning).anySatisfy(l -> assertThat(l).contains("ghost\\n\\e[31mforged\\0"));
    assertThat(lines).noneMatch(l -> l.contains("x".repeat(600)));
    // The unknown node's cache group went with its last stream.
    RunningMesh.await(() -> mesh.cp.cache().groups() == groups, 10_000);
  }

  @Test
  @Order(6)
  void unknownTypeUrlsAreDroppedWithoutStateAndTheStreamStillWorks() throws Exception {
    double before = limited("unknown_type");
    int watches = mesh.cp.cache().openWatches();
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<Integer> parkedDuring = new AtomicReference<>();
    long ms = underAbuse(() -> {
      try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
        RawAdsClient.Stream s = conn.stream();
        for (int i = 0; i < 2_000; i++) {
          s.send(lds(MeshFiles.LOADTESTER).toBuilder().setTypeUrl("type.googleapis.com/evil.Type" + sent.incrementAndGet()).build());
        }
        // Flow control was not stalled by the dropped requests: a served type is answered on the same stream.
        s.send(lds(MeshFiles.LOADTESTER));
        DiscoveryResponse r = s.next(10_000);
        assertThat(r).isNotNull();
        assertThat(r.getTypeUrl()).isEqualTo(LDS);
        parkedDuring.set(mesh.cp.cache().openWatches());
        // The same on a delta stream.
        RawAdsClient.DeltaStream d = conn.deltaStream();
        for (int i = 0; i < 500; i++) {
          d.out.onNext(DeltaDiscoveryRequest.newBuilder().setNode(RawAdsClient.node(MeshFiles.LOADTESTER))
              .setTypeUrl("type.googleapis.com/evil.DeltaType" + sent.incrementAndGet()).build());
        }
        d.out.onNext(DeltaDiscoveryRequest.newBuilder().setNode(RawAdsClient.node(MeshFiles.LOADTESTER)).setTypeUrl(LDS).build());
        var dr = d.responses.poll(10, TimeUnit.SECONDS);
        assertThat(dr).isNotNull();
        assertThat(dr.getTypeUrl()).isEqualTo(LDS);
      }
    });
    System.out.println("weight change during " + sent.get() + " requests for unknown types: " + ms + " ms");
    RunningMesh.await(() -> limited("unknown_type") - before == sent.get(), 5_000);
    // No watch was parked for any of them (the served LDS request was answered, not parked).
    assertThat(parkedDuring.get()).isLessThanOrEqualTo(watches);
  }

  @Test
  @Order(7)
  void hugeAckVersionsAndNackDetailsAreCappedAndGoneWhenTheClientsLeave() throws Exception {
    String huge = "v".repeat(100_000);
    String hugeNack = ("line one\n\u001b[31m" + "n".repeat(100_000));
    long entries = mesh.cp.clientStateEntries();
    AtomicLong maxText = new AtomicLong();
    AtomicInteger nacks = new AtomicInteger();
    log.clear();
    long logBefore = loggedBytes.get();
    long ms = underAbuse(() -> {
      try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
        List<RawAdsClient.Stream> ss = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
          RawAdsClient.Stream s = conn.stream();
          s.send(lds(MeshFiles.LOADTESTER));
          ss.add(s);
        }
        List<String> nonces = new ArrayList<>();
        for (RawAdsClient.Stream s : ss) {
          DiscoveryResponse r = s.next(10_000);
          assertThat(r).isNotNull();
          // A 100 KB version in an ACK: not a version of ours, so the server answers with its own.
          s.send(lds(MeshFiles.LOADTESTER).toBuilder().setVersionInfo(huge).setResponseNonce(r.getNonce()).build());
          DiscoveryResponse again = s.next(10_000);
          assertThat(again).isNotNull();
          nonces.add(again.getNonce());
        }
        // Then every stream NACKs that response with 100 KB of text (after all ACKs: an ACK of the
        // type by any proxy of the node clears the node's rejections).
        for (int i = 0; i < ss.size(); i++) {
          ss.get(i).send(lds(MeshFiles.LOADTESTER).toBuilder().setVersionInfo(huge).setResponseNonce(nonces.get(i))
              .setErrorDetail(Status.newBuilder().setCode(3).setMessage(hugeNack)).build());
          nacks.incrementAndGet();
        }
        RunningMesh.await(() -> mesh.cp.nackBook().streams() == 15, 10_000);
        maxText.accumulateAndGet(mesh.cp.clientTextChars(), Math::max);
      }
    });
    System.out.println("weight change during 100 KB ACK versions and NACKs: " + ms + " ms; NACK text kept while connected: "
        + maxText.get() + " chars for 15 streams; log bytes: " + (loggedBytes.get() - logBefore) + " for " + nacks.get() + " NACKs");
    // Capped while connected: 15 streams × (1,024 + marker + node id + type + version).
    assertThat(maxText.get()).isPositive().isLessThan(15L * 1_300);
    // Gone when they leave: nothing rejected, per-client state back to what the normal clients hold
    // (three entries per open stream plus the one address; not a snapshot taken at the start, when
    // the previous test's streams may still have been closing).
    Await.until(() -> mesh.cp.nackBook().streams() == 0 && mesh.cp.clientTextChars() == 0
        && mesh.cp.metrics().find("appmeshxds_xds_stream_peers").gauge().value() == 1
        && mesh.cp.clientStateEntries() == 3 * (long) streams() + 1, 10_000,
        () -> "NACK book streams " + mesh.cp.nackBook().streams() + ", text chars " + mesh.cp.clientTextChars()
            + ", entries " + mesh.cp.clientStateEntries() + " for " + streams() + " streams (entries at the start "
            + entries + "), peers " + mesh.cp.metrics().find("appmeshxds_xds_stream_peers").gauge().value());
    assertThat(mesh.cp.nackBook().snapshot()).isEmpty();
    // The NACK text in the log is escaped and capped.
    List<String> nackLines = log.stream().filter(l -> l.startsWith("NACK from")).toList();
    assertThat(nackLines).isNotEmpty().allSatisfy(l -> {
      assertThat(l).doesNotContain("\n", "\u001b").contains("line one\\n\\e[31m").contains("…[+");
      assertThat(l.length()).isLessThan(1_200);
    });
  }

  @Test
  @Order(8)
  void twoMegabytesOfNacksWriteABoundedLog() throws Exception {
    log.clear();
    long before = loggedBytes.get();
    String text = "x".repeat(10_000) + "\n";
    int n = 0;
    // 20 streams × 10 NACKs × 10 KB = 2 MB of NACK text.
    try (RawAdsClient conn = new RawAdsClient(mesh.cp.xdsPort(), "127.0.0.2")) {
      List<RawAdsClient.Stream> ss = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        RawAdsClient.Stream s = conn.stream();
        s.send(lds(MeshFiles.LOADTESTER));
        ss.add(s);
      }
      double nacksBefore = nacksTotal();
      for (RawAdsClient.Stream s : ss) {
        DiscoveryResponse r = s.next(10_000);
        for (int k = 0; k < 10; k++) {
          // Each NACK names a different response so that each is a new rejection: the server answers a
          // NACK whose nonce it does not know with nothing, so the nonce is reused with a new version text.
          s.send(lds(MeshFiles.LOADTESTER).toBuilder().setResponseNonce(r.getNonce())
              .setErrorDetail(Status.newBuilder().setCode(3).setMessage(k + text)).build());
          n++;
        }
      }
      int sent = n;
      RunningMesh.await(() -> nacksTotal() - nacksBefore >= sent, 20_000);
    }
    long bytes = loggedBytes.get() - before;
    List<String> nackLines = log.stream().filter(l -> l.startsWith("NACK from")).toList();
    System.out.println("log bytes written for " + n + " NACKs carrying " + (n * text.length() / 1024) + " KiB of text: "
        + bytes + " in " + nackLines.size() + " NACK line(s)");
    // Without limits this was about 2 MB of NACK text in the log (the issue measured 64 MB for 2 MB).
    // NACK lines pass a fixed one-minute window of 60 lines, each of ≤ 512 characters of client text;
    // a fixed window lets 60 through on each side of a window boundary, and this test takes far less
    // than a minute, so it sees at most two windows: ≤ 120 NACK lines.
    assertThat(nackLines).hasSizeLessThanOrEqualTo(2 * 60).allSatisfy(l -> assertThat(l.length()).isLessThan(1_200));
    // Each NACK also changes the node's condition, and the file-mode status log wrote a line per
    // change with the NACK's text: a full run on the 2-core machine, where builds coalesced less,
    // logged 160 KB that way. Status lines are now limited per object (six a minute).
    assertThat(log.stream().filter(l -> l.startsWith("VirtualNode demo/flagger-loadtester rejected")))
        .hasSizeLessThanOrEqualTo(2 * 6);
    // With the "NACK text cut" lines (the same window) and the streams' connect/disconnect lines:
    // under 256 KiB for two windows, against 2 MB of text sent, whatever the earlier tests logged.
    assertThat(bytes).isLessThan(256 * 1024);
  }

  @Test
  @Order(9)
  void nothingTheAbusersSentOrCausedIsKeptAfterTheyLeft() throws Exception {
    // Only well-behaved streams from 127.0.0.1 remain, and each costs exactly its three entries (the
    // guard's count, the stream tracker's and the callbacks'), plus the one address: no leftover
    // from an ended, refused or dropped stream, no NACK text, no group of an unknown node.
    RunningMesh.await(() -> mesh.cp.metrics().find("appmeshxds_xds_stream_peers").gauge().value() == 1
        && mesh.cp.clientStateEntries() == 3 * (long) streams() + 1, 10_000);
    assertThat(mesh.cp.clientTextChars()).isZero();
    assertThat(mesh.cp.nackBook().snapshot()).isEmpty();
    assertThat(mesh.cp.cache().groups()).isEqualTo(mesh.cp.cache().keys().size());
    // And the normal client is still served.
    System.out.println("weight change after the abuse: " + weightChange() + " ms");
  }

  private double streams() {
    return mesh.cp.metrics().find("appmeshxds_xds_streams").gauge().value();
  }

  private double nacksTotal() {
    var c = mesh.cp.metrics().find("appmeshxds_nacks_total").tag("type", "lds").counter();
    return c == null ? 0 : c.count();
  }

  /** Runs {@code cycle} over and over on another thread while a weight change is made; returns its delivery time. */
  private long underAbuse(ThrowingRunnable cycle) throws Exception {
    AtomicInteger cycles = new AtomicInteger();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread t = new Thread(() -> {
      while (running.get()) {
        try {
          cycle.run();
          cycles.incrementAndGet();
        } catch (Throwable e) {
          failed.compareAndSet(null, e);
          return;
        }
      }
    }, "abuse");
    t.start();
    long ms;
    try {
      RunningMesh.await(() -> cycles.get() >= 1 || failed.get() != null, 60_000);
      ms = weightChange();
      // The abuse ran while the change was in flight.
      RunningMesh.await(() -> cycles.get() >= 2 || failed.get() != null, 60_000);
    } finally {
      running.set(false);
      t.join(60_000);
    }
    if (failed.get() != null) {
      throw new AssertionError("abuse cycle failed", failed.get());
    }
    return ms;
  }

  /** Rewrites the router's weights and waits (within the budget) for the normal client's new RouteConfiguration. */
  private long weightChange() throws Exception {
    String before = normal.version(RDS);
    mesh.files.router(Flagger.weights(weight++ % 90 + 5));
    long ms = RunningMesh.await(() -> !before.equals(normal.version(RDS)), BUDGET_MS);
    assertThat(ms).isLessThanOrEqualTo(BUDGET_MS);
    return ms;
  }

  private double limited(String reason) {
    var c = mesh.cp.metrics().find("appmeshxds_xds_limited_total").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static DiscoveryRequest lds(String nodeId) {
    return DiscoveryRequest.newBuilder().setNode(RawAdsClient.node(nodeId)).setTypeUrl(LDS).build();
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
