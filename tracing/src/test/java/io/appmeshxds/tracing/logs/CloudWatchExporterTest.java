package io.appmeshxds.tracing.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The exporter through the real AWS SDK client against {@link FakeCloudWatch} on loopback: batch
 * limits, order, retries, an outage, a restart, rejections, creation of groups and streams.
 */
class CloudWatchExporterTest {
  static final long T0 = 1_790_000_000_000L; // 2026-09-21
  static final LogTarget A = new LogTarget("/appmesh/shop/front_shop", "front_shop/pod-a");
  static final LogTarget B = new LogTarget("/appmesh/shop/web_shop", "web_shop/pod-b");

  @TempDir Path dir;
  FakeCloudWatch cw;
  CloudWatchLogsClient client;
  final List<LogExporter> exporters = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    cw = new FakeCloudWatch();
    client = cw.client();
  }

  @AfterEach
  void down() throws Exception {
    for (LogExporter e : exporters) {
      e.close(Duration.ZERO);
    }
    client.close();
    cw.close();
  }

  LogExporter exporter(ExporterClock clock, UnaryOperator<LogExporter.Settings> tune) throws Exception {
    LogExporter.Settings s = tune.apply(LogExporter.Settings.of(dir.resolve("buffer"), 256L << 20, 0)
        .withLinger(Duration.ofMillis(20)));
    LogExporter e = new LogExporter(client, s, clock, new SimpleMeterRegistry());
    exporters.add(e);
    return e;
  }

  static List<LogEvent> events(String prefix, int from, int n, long t0, int size) {
    List<LogEvent> out = new ArrayList<>(n);
    for (int i = from; i < from + n; i++) {
      String id = prefix + "-" + i;
      StringBuilder m = new StringBuilder("{\"request_id\":\"").append(id).append("\",\"path\":\"/p/").append(i)
          .append("\",\"pad\":\"");
      while (m.length() < size - 2) {
        m.append('x');
      }
      out.add(new LogEvent(t0 + i, m.append("\"}").toString()));
    }
    return out;
  }

  static String raw(int bytes, char c) {
    return String.valueOf(c).repeat(bytes);
  }

  /** Every message arrived exactly once. */
  static void assertExactlyOnce(List<FakeCloudWatch.Event> got, int expected) {
    Set<String> seen = new HashSet<>();
    List<String> dup = new ArrayList<>();
    for (FakeCloudWatch.Event e : got) {
      if (!seen.add(e.message())) {
        dup.add(e.message().substring(0, Math.min(60, e.message().length())));
      }
    }
    assertThat(dup).as("duplicates").isEmpty();
    assertThat(got.size()).as("events received").isEqualTo(expected);
  }

  static void assertChronological(List<FakeCloudWatch.Put> puts) {
    long last = Long.MIN_VALUE;
    for (FakeCloudWatch.Put p : puts) {
      for (FakeCloudWatch.Event e : p.events()) {
        assertThat(e.timestamp()).as("timestamps non-decreasing across the stream's batches").isGreaterThanOrEqualTo(last);
        last = e.timestamp();
      }
    }
  }

  @Test
  void exactlyTenThousandEventsAreOneBatchAndOneMoreStartsAnother() throws Exception {
    LogExporter e = exporter(new InstantClock(T0), s -> s.withWindow(50_000, 64L << 20));
    e.offer(A, events("a", 0, 10_000, T0, 40));
    e.offer(B, events("b", 0, 10_001, T0, 40));
    e.start();
    assertThat(e.flush(Duration.ofSeconds(60))).isTrue();

    assertThat(cw.puts(A.group(), A.stream())).extracting(p -> p.events().size()).containsExactly(10_000);
    assertThat(cw.puts(B.group(), B.stream())).extracting(p -> p.events().size()).containsExactly(10_000, 1);
    assertThat(cw.violations).isEmpty();
    assertThat(e.metrics().sent()).isEqualTo(20_001);
  }

  @Test
  void aBatchAtExactlyTheByteLimitIsOneCallAndOneMoreByteStartsAnother() throws Exception {
    LogExporter e = exporter(new InstantClock(T0), UnaryOperator.identity());
    int quarter = 262_144 - 26; // 4 × (262,118 + 26) = 1,048,576
    List<LogEvent> exact = new ArrayList<>();
    List<LogEvent> overByOne = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      exact.add(new LogEvent(T0 + i, raw(quarter, (char) ('a' + i))));
      overByOne.add(new LogEvent(T0 + i, raw(quarter + (i == 3 ? 1 : 0), (char) ('e' + i))));
    }
    e.offer(A, exact);
    e.offer(B, overByOne);
    e.start();
    assertThat(e.flush(Duration.ofSeconds(60))).isTrue();

    assertThat(cw.puts(A.group(), A.stream())).extracting(FakeCloudWatch.Put::bytes).containsExactly(1_048_576L);
    assertThat(cw.puts(B.group(), B.stream())).extracting(p -> p.events().size()).containsExactly(3, 1);
    assertThat(cw.violations).isEmpty();
  }

  @Test
  void oversizedEventsAreRejectedWithACount() throws Exception {
    LogExporter e = exporter(new InstantClock(T0), UnaryOperator.identity());
    e.offer(A, List.of(
        new LogEvent(T0, raw(Batcher.MAX_EVENT_BYTES, 'm')),          // 1,048,550 bytes: the largest that fits
        new LogEvent(T0 + 1, raw(Batcher.MAX_EVENT_BYTES + 1, 'o')),  // one byte too many
        new LogEvent(T0 + 2, raw(Batcher.MAX_EVENT_BYTES / 2 + 1, 'é')), // 2 UTF-8 bytes per char: 1,048,552
        new LogEvent(T0 + 3, "small")));
    e.start();
    assertThat(e.flush(Duration.ofSeconds(60))).isTrue();

    assertThat(e.metrics().rejected()).isEqualTo(2);
    assertThat(cw.events(A.group(), A.stream())).extracting(ev -> ev.message().length())
        .containsExactly(Batcher.MAX_EVENT_BYTES, 5);
    assertThat(cw.puts(A.group(), A.stream())).extracting(p -> p.events().size()).containsExactly(1, 1);
    assertThat(cw.violations).isEmpty();
  }

  @Test
  void eventsAreChronologicalWithinAndAcrossBatchesAndBatchesSpanLessThanADay() throws Exception {
    LogExporter e = exporter(new InstantClock(T0), s -> s.withWindow(7_000, 64L << 20));
    // Out of order within an offer (a long request finishing after short ones), and across offers.
    java.util.Random r = new java.util.Random(7);
    int n = 0;
    for (int k = 0; k < 30; k++) {
      List<LogEvent> chunk = new ArrayList<>();
      for (int i = 0; i < 1_000; i++, n++) {
        chunk.add(new LogEvent(T0 + k * 1_000 + r.nextInt(5_000) - 2_500, "{\"request_id\":\"c-" + n + "\"}"));
      }
      e.offer(A, chunk);
    }
    // 30 hours of events, one per hour: must not share a batch beyond 24 h.
    List<LogEvent> hours = new ArrayList<>();
    for (int h = 0; h < 30; h++) {
      hours.add(new LogEvent(T0 + h * 3_600_000L, "{\"request_id\":\"h-" + h + "\"}"));
    }
    e.offer(B, hours);
    e.start();
    assertThat(e.flush(Duration.ofSeconds(60))).isTrue();

    List<FakeCloudWatch.Put> pa = cw.puts(A.group(), A.stream());
    assertThat(pa.size()).isGreaterThan(1);
    assertChronological(pa);
    assertExactlyOnce(cw.events(A.group(), A.stream()), 30_000);
    List<FakeCloudWatch.Put> pb = cw.puts(B.group(), B.stream());
    assertThat(pb).hasSize(2);
    for (FakeCloudWatch.Put p : pb) {
      assertThat(p.events().get(p.events().size() - 1).timestamp() - p.events().get(0).timestamp())
          .isLessThan(24L * 3_600_000);
    }
    assertChronological(pb);
    assertThat(cw.violations).isEmpty();
  }

  @Test
  void throttlingAndServerErrorsAreRetriedAndNothingIsLost() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    cw.script = (op, body) -> {
      if (!op.equals("PutLogEvents")) {
        return null;
      }
      int n = failures.incrementAndGet();
      if (n <= 4) {
        return FakeCloudWatch.Reply.error(400, "ThrottlingException", "Rate exceeded");
      }
      if (n == 5) {
        return FakeCloudWatch.Reply.error(503, "ServiceUnavailableException", "try later");
      }
      return null;
    };
    InstantClock clock = new InstantClock(T0);
    LogExporter e = exporter(clock, UnaryOperator.identity());
    // Group and stream exist: every PutLogEvents reaches the script.
    cw.groups.computeIfAbsent(A.group(), g -> new java.util.concurrent.ConcurrentHashMap<>()).put(A.stream(),
        new ArrayList<>());
    e.offer(A, events("t", 0, 3_000, T0, 100));
    e.start();
    assertThat(e.flush(Duration.ofSeconds(60))).isTrue();

    assertThat(e.metrics().retried()).isEqualTo(5);
    assertThat(clock.slept()).as("backed off between attempts").isGreaterThan(0);
    assertExactlyOnce(cw.events(A.group(), A.stream()), 3_000);
    assertThat(e.metrics().sent()).isEqualTo(3_000);
    assertThat(e.metrics().dropped()).isZero();
  }

  @Test
  void aTenMinuteOutageSpillsToDiskAndLosesNothing() throws Exception {
    ManualClock clock = new ManualClock(T0);
    long recovery = T0 + Duration.ofMinutes(10).toMillis();
    cw.script = (op, body) -> clock.millis() < recovery
        ? FakeCloudWatch.Reply.error(503, "ServiceUnavailableException", "outage") : null;
    // Small memory tier: most of the outage's events go to disk.
    LogExporter e = exporter(clock, s -> s.withMemoryBytes(256 << 10).withSegmentBytes(1 << 20)
        .withWindow(2_000, 4L << 20)).start();
    int total = 0;
    for (int k = 0; k < 20; k++) { // events keep arriving during the outage
      e.offer(k % 2 == 0 ? A : B, events(k % 2 == 0 ? "oa" : "ob", k * 1_000, 1_000, T0 + k * 10_000L, 200));
      total += 1_000;
      clock.advance(10_000);
      // The sender failed again and backs off (blocked on the clock) before more events arrive.
      assertThat(clock.awaitBlocked(10_000)).as("the sender backs off during the outage").isTrue();
    }
    assertThat(e.metrics().spilled()).as("spilled during the outage").isGreaterThan(10_000);
    assertThat(cw.allEvents()).isEmpty();
    try (Stream<Path> files = Files.list(dir.resolve("buffer"))) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("seg-")).count()).isGreaterThan(1);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (cw.allEvents().size() < total && System.nanoTime() < deadline) {
      // Time moves only while the sender waits in its backoff (so every step is seen by a retry);
      // the outage ends when the clock passes ten minutes.
      if (clock.sleepers() > 0 || clock.millis() >= recovery) {
        clock.advance(1_000);
      }
      Thread.sleep(1);
    }
    assertThat(clock.millis()).isGreaterThanOrEqualTo(recovery);
    assertThat(e.flush(Duration.ofSeconds(30))).isTrue();
    assertExactlyOnce(cw.allEvents(), total);
    assertChronological(cw.puts(A.group(), A.stream()));
    assertChronological(cw.puts(B.group(), B.stream()));
    assertThat(e.metrics().retried()).as("retried through the outage").isGreaterThan(10);
    assertThat(e.metrics().dropped()).isZero();
    assertThat(e.metrics().sent()).isEqualTo(total);
    assertThat(cw.violations).isEmpty();
  }

  @Test
  void aRestartDeliversSpilledEventsExactlyOnce() throws Exception {
    // Stream A is accepted once, then down; stream B stays up. At the stop, the window in flight
    // holds B records read back from disk and already sent (the ack file's "done" set) and unsent A
    // records; memory and disk hold more.
    AtomicInteger aPuts = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean aDown = new java.util.concurrent.atomic.AtomicBoolean(true);
    cw.script = (op, body) -> op.equals("PutLogEvents") && aDown.get()
        && body.path("logGroupName").asString().equals(A.group()) && cw.groups.containsKey(A.group())
        && cw.groups.get(A.group()).containsKey(A.stream()) && aPuts.incrementAndGet() > 1
        ? FakeCloudWatch.Reply.error(503, "ServiceUnavailableException", "down") : null;
    LogExporter first = exporter(new InstantClock(T0), s -> s.withMemoryBytes(128 << 10).withSegmentBytes(256 << 10)
        .withWindow(2_000, 4L << 20));
    for (int k = 0; k < 10; k++) {
      first.offer(A, events("ra", k * 300, 300, T0 + k * 1_000L, 150));
      first.offer(B, events("rb", k * 300, 300, T0 + k * 1_000L, 150));
    }
    first.start();
    long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (aPuts.get() < 3 && System.nanoTime() < waitUntil) {
      Thread.sleep(5);
    }
    assertThat(first.metrics().spilled()).isGreaterThan(0);
    assertThat(first.close(Duration.ofMillis(100))).as("A could not be sent").isFalse();
    int aBefore = cw.events(A.group(), A.stream()).size();
    int bBefore = cw.events(B.group(), B.stream()).size();
    assertThat(aBefore).isEqualTo(300);
    assertThat(bBefore).as("B sent from memory and from disk before the stop").isGreaterThan(300);
    assertThat(Files.readString(dir.resolve("buffer").resolve("ack"))).as("sent disk records recorded").contains("done ");

    aDown.set(false);
    LogExporter second = exporter(new InstantClock(T0 + 60_000), s -> s.withWindow(500, 4L << 20)).start();
    second.offer(A, events("na", 0, 100, T0 + 20_000, 150));
    second.offer(B, events("nb", 0, 100, T0 + 20_000, 150));
    assertThat(second.flush(Duration.ofSeconds(60))).isTrue();

    assertExactlyOnce(cw.events(A.group(), A.stream()), 3_100);
    assertExactlyOnce(cw.events(B.group(), B.stream()), 3_100);
    assertChronological(cw.puts(A.group(), A.stream()));
    assertChronological(cw.puts(B.group(), B.stream()));
    assertThat(first.metrics().sent() + second.metrics().sent()).isEqualTo(6_200);
    assertThat(second.metrics().sent()).isEqualTo(6_200 - aBefore - bBefore);
    assertThat(cw.violations).isEmpty();
  }

  @Test
  void rejectedLogEventsInfoIsCountedAndNeverRetried() throws Exception {
    cw.rejector = (g, s, ev) -> ev.size() == 10 ? new int[] {2, 3, 8} : null; // [0,3) old/expired, [8,10) too new
    LogExporter e = exporter(new InstantClock(T0), UnaryOperator.identity());
    e.offer(A, events("x", 0, 10, T0, 50));
    e.start();
    assertThat(e.flush(Duration.ofSeconds(30))).isTrue();

    assertThat(e.metrics().rejected()).isEqualTo(5);
    assertThat(e.metrics().sent()).isEqualTo(5);
    assertThat(e.metrics().retried()).isZero();
    assertThat(cw.putCalls.get()).as("one PutLogEvents that succeeded, after one that found no stream").isEqualTo(2);
    assertThat(cw.events(A.group(), A.stream())).extracting(FakeCloudWatch.Event::timestamp)
        .containsExactly(T0 + 3, T0 + 4, T0 + 5, T0 + 6, T0 + 7);
  }

  @Test
  void groupAndStreamAreCreatedOnResourceNotFoundWithRetention() throws Exception {
    LogExporter e = new LogExporter(client, LogExporter.Settings.of(dir.resolve("buffer"), 64L << 20, 7)
        .withLinger(Duration.ofMillis(10)), new InstantClock(T0), new SimpleMeterRegistry());
    exporters.add(e);
    e.start();
    e.offer(A, events("g", 0, 5, T0, 50));
    assertThat(e.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(cw.calls).containsExactly("PutLogEvents", "CreateLogStream", "CreateLogGroup", "PutRetentionPolicy",
        "CreateLogStream", "PutLogEvents");
    assertThat(cw.retention).containsEntry(A.group(), 7);

    // A group someone else creates at the same moment: ResourceAlreadyExists is success, and its
    // retention is theirs.
    cw.calls.clear();
    cw.script = (op, body) -> {
      if (op.equals("CreateLogGroup")) {
        cw.groups.putIfAbsent(body.path("logGroupName").asString(), new java.util.concurrent.ConcurrentHashMap<>());
        return FakeCloudWatch.Reply.error(400, "ResourceAlreadyExistsException", "The specified log group already exists");
      }
      return null;
    };
    e.offer(B, events("h", 0, 5, T0, 50));
    assertThat(e.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(cw.calls).containsExactly("PutLogEvents", "CreateLogStream", "CreateLogGroup", "CreateLogStream",
        "PutLogEvents");
    assertThat(cw.retention).doesNotContainKey(B.group());
    assertExactlyOnce(cw.events(B.group(), B.stream()), 5);
  }

  @Test
  void pastTheDiskBudgetEventsAreDroppedAndCounted() throws Exception {
    ManualClock clock = new ManualClock(T0);
    long recovery = T0 + 60_000;
    cw.script = (op, body) -> clock.millis() < recovery
        ? FakeCloudWatch.Reply.error(503, "ServiceUnavailableException", "outage") : null;
    LogExporter e = new LogExporter(client, LogExporter.Settings.of(dir.resolve("buffer"), 200L << 10, 0)
        .withMemoryBytes(64 << 10).withSegmentBytes(64 << 10).withLinger(Duration.ofMillis(10)), clock,
        new SimpleMeterRegistry());
    exporters.add(e);
    e.start();
    for (int k = 0; k < 20; k++) {
      e.offer(A, events("d", k * 100, 100, T0 + k, 300));
    }
    assertThat(e.metrics().dropped()).isGreaterThan(0);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!e.flush(Duration.ofMillis(5)) && System.nanoTime() < deadline) {
      clock.advance(1_000);
    }
    assertThat(e.metrics().sent() + e.metrics().dropped()).isEqualTo(2_000);
    assertExactlyOnce(cw.events(A.group(), A.stream()), (int) e.metrics().sent());
  }
}
