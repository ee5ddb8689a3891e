package io.appmeshxds.tracing.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Nothing is lost without a word: drops are counted and logged (rate-limited, the first at once,
 * the rest at shutdown), retries show at INFO, and a damaged buffer delivers every good record.
 * The real SDK client talks to {@link FakeCloudWatch} on loopback; clocks are injected.
 */
class ExporterLossVisibilityTest {
  static final long T0 = CloudWatchExporterTest.T0;
  static final LogTarget A = CloudWatchExporterTest.A;
  static final Pattern DROPPED = Pattern.compile("dropped (\\d+) (?:more )?events|dropped (\\d+) of \\d+ unsent");

  @TempDir Path dir;
  FakeCloudWatch cw;
  CloudWatchLogsClient client;

  @BeforeEach
  void up() throws Exception {
    cw = new FakeCloudWatch();
    client = cw.client();
  }

  @AfterEach
  void down() throws Exception {
    client.close();
    cw.close();
  }

  static long droppedInLog(List<String> lines) {
    long n = 0;
    for (String l : lines) {
      Matcher m = DROPPED.matcher(l);
      if (l.startsWith("WARN") && m.find()) {
        n += Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
      }
    }
    return n;
  }

  @Test
  void everyDropIsCountedAndLoggedTheFirstAtOnceTheRestRateLimited() throws Exception {
    ManualClock clock = new ManualClock(T0);
    // Not started: nothing drains, so a 64 KiB memory tier and a 128 KiB disk budget fill up.
    LogExporter e = new LogExporter(client, LogExporter.Settings.of(dir.resolve("buffer"), 128L << 10, 0)
        .withMemoryBytes(64 << 10).withSegmentBytes(32 << 10), clock, new SimpleMeterRegistry());
    try (LogCapture log = new LogCapture(SpillQueue.class, Level.INFO)) {
      for (int k = 0; k < 10; k++) {
        e.offer(A, CloudWatchExporterTest.events("d", k * 100, 100, T0, 300));
      }
      long first = e.metrics().dropped();
      assertThat(first).as("past memory and disk").isGreaterThan(0);
      assertThat(log.lines().stream().filter(l -> l.contains("dropped"))).as("the first drop is logged at once")
          .hasSize(1).allMatch(l -> l.startsWith("WARN"));
      e.offer(A, CloudWatchExporterTest.events("d", 1_000, 100, T0, 300));
      assertThat(log.lines().stream().filter(l -> l.contains("dropped"))).as("rate-limited within 10 s").hasSize(1);
      clock.advance(SpillQueue.DROP_LOG_INTERVAL_MS);
      e.offer(A, CloudWatchExporterTest.events("d", 1_100, 100, T0, 300));
      assertThat(log.lines().stream().filter(l -> l.contains("dropped"))).as("after 10 s the next line").hasSize(2);
      e.offer(A, CloudWatchExporterTest.events("d", 1_200, 100, T0, 300));
      e.close(Duration.ZERO);
      assertThat(droppedInLog(log.lines())).as("every counted drop is in the log").isEqualTo(e.metrics().dropped());
      assertThat(e.metrics().received()).isEqualTo(1_300);
      assertThat(e.metrics().spilled() + e.metrics().dropped()).as("memory persisted at close counts as spilled")
          .isEqualTo(1_300);
    }
  }

  @Test
  void shutdownWithAFullBudgetSaysWhatItDropsAndTheNextStartSendsTheRest() throws Exception {
    LogExporter e = new LogExporter(client, LogExporter.Settings.of(dir.resolve("buffer"), 64L << 10, 0)
        .withMemoryBytes(1 << 20), new InstantClock(T0), new SimpleMeterRegistry());
    e.offer(A, CloudWatchExporterTest.events("s", 0, 1_000, T0, 300)); // ~300 KB in memory, 64 KiB of disk
    long kept;
    try (LogCapture log = new LogCapture(SpillQueue.class, Level.INFO)) {
      e.close(Duration.ZERO); // SIGTERM before anything was sent
      assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN")
          && l.contains("shutting down with the disk buffer's budget exhausted: dropped " + e.metrics().dropped()
          + " of 1000 unsent events"));
      kept = e.metrics().spilled();
      assertThat(kept).isBetween(100L, 300L);
      assertThat(kept + e.metrics().dropped()).isEqualTo(1_000);
      assertThat(droppedInLog(log.lines())).isEqualTo(e.metrics().dropped());
    }
    LogExporter next = new LogExporter(client, LogExporter.Settings.of(dir.resolve("buffer"), 64L << 10, 0),
        new InstantClock(T0 + 1_000), new SimpleMeterRegistry()).start();
    try {
      assertThat(next.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(cw.events(A.group(), A.stream())).hasSize((int) kept);
    } finally {
      next.close(Duration.ZERO);
    }
  }

  @Test
  void retriesAreLoggedAtInfoAndCounted() throws Exception {
    AtomicInteger puts = new AtomicInteger();
    cw.script = (op, body) -> op.equals("PutLogEvents") && puts.incrementAndGet() <= 2
        ? FakeCloudWatch.Reply.error(400, "ThrottlingException", "Rate exceeded") : null;
    cw.groups.computeIfAbsent(A.group(), g -> new java.util.concurrent.ConcurrentHashMap<>()).put(A.stream(),
        new java.util.ArrayList<>());
    LogExporter e = new LogExporter(client, LogExporter.Settings.of(dir.resolve("buffer"), 1 << 20, 0)
        .withLinger(Duration.ZERO), new InstantClock(T0), new SimpleMeterRegistry());
    try (LogCapture log = new LogCapture(CloudWatchSender.class, Level.INFO)) {
      e.offer(A, CloudWatchExporterTest.events("r", 0, 10, T0, 100));
      e.start();
      assertThat(e.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(e.metrics().retried()).isEqualTo(2);
      assertThat(log.lines()).filteredOn(l -> l.startsWith("INFO") && l.contains("retry")).hasSize(2)
          .anyMatch(l -> l.contains("ThrottlingException") && l.contains("retry 1 of 10 events"));
    } finally {
      e.close(Duration.ZERO);
    }
    assertThat(cw.events(A.group(), A.stream())).hasSize(10);
  }

  @Test
  void aDamagedSegmentAndAckFileStillDeliverEveryGoodRecordExactlyOnce() throws Exception {
    Path buffer = dir.resolve("buffer");
    try (DiskBuffer b = DiskBuffer.open(buffer, 1 << 20, 1 << 20)) {
      b.append(DiskBufferTest.recs(0, 25));
    }
    Path seg;
    try (Stream<Path> s = Files.list(buffer)) {
      seg = s.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
    }
    long rec = DiskBuffer.encode(DiskBufferTest.recs(0, 1).get(0)).length;
    SpillCorruptionTest.flip(seg, DiskBuffer.MAGIC.length + 10 * rec + 30); // record 10
    Files.writeString(buffer.resolve("ack"), "appmesh-xds access-log buffer v2\nlow 3 c=00000000\n"); // damaged
    LogExporter e = new LogExporter(client, LogExporter.Settings.of(buffer, 1 << 20, 0).withLinger(Duration.ZERO),
        new InstantClock(T0), new SimpleMeterRegistry()).start();
    try {
      assertThat(e.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(cw.events(DiskBufferTest.T.group(), DiskBufferTest.T.stream())).extracting(ev -> ev.message())
          .as("24 of 25: every record but the damaged one, once each (the damaged ack line re-sends, never loses)")
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 25).filter(i -> i != 10)
              .mapToObj(i -> "{\"request_id\":\"r" + i + "\"}").toList());
      assertThat(e.metrics().corrupt()).as("one damaged record, one damaged ack line").isEqualTo(2);
    } finally {
      e.close(Duration.ZERO);
    }
  }
}
