package io.appmeshxds.tracing.logs;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Queue + sender: events offered here reach CloudWatch Logs in PutLogEvents batches, through a
 * memory queue that spills to a disk buffer.
 *
 * <p>Delivery guarantee. An event that was offered and not dropped (disk budget) or rejected (size,
 * {@code rejectedLogEventsInfo}) is sent until CloudWatch accepts it. A graceful {@link #close}
 * sends what it can before its deadline and writes the rest (memory and unfinished batches) to the
 * disk buffer; a new exporter on the same directory sends exactly those events, each once: progress
 * is recorded in the ack file after every batch that carried disk records, and at close. Duplicates
 * remain possible only where the outcome of a call is unknown: a PutLogEvents that CloudWatch
 * accepted but whose response was lost (timeout, reset) is sent again; after a crash (no close),
 * disk records sent after the last ack-file write are sent again, and events only in memory are
 * lost.
 */
public final class LogExporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogExporter.class);

  /**
   * Tunables.
   *
   * @param bufferDir disk buffer directory
   * @param diskBudgetBytes bytes the disk buffer may use
   * @param memoryBytes bytes the memory queue may hold (messages plus an estimate of overhead)
   * @param segmentBytes size at which a segment file is rolled
   * @param windowEvents events the sender takes at once (then batches them per stream)
   * @param windowBytes message bytes the sender takes at once
   * @param linger how long the sender waits for a fuller window
   * @param retentionDays retention set on log groups the exporter creates (0: none)
   * @param backoffBase first retry wait
   * @param backoffCap longest retry wait
   * @param callTimeout how long close waits for a call in flight after its deadline
   */
  public record Settings(Path bufferDir, long diskBudgetBytes, long memoryBytes, long segmentBytes, int windowEvents,
      long windowBytes, Duration linger, int retentionDays, Duration backoffBase, Duration backoffCap,
      Duration callTimeout) {

    public static Settings of(Path bufferDir, long diskBudgetBytes, int retentionDays) {
      return new Settings(bufferDir, diskBudgetBytes, 64L << 20, 8L << 20, 20_000, 16L << 20, Duration.ofSeconds(1),
          retentionDays, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(35));
    }

    public Settings withMemoryBytes(long m) {
      return new Settings(bufferDir, diskBudgetBytes, m, segmentBytes, windowEvents, windowBytes, linger, retentionDays,
          backoffBase, backoffCap, callTimeout);
    }

    public Settings withWindow(int events, long bytes) {
      return new Settings(bufferDir, diskBudgetBytes, memoryBytes, segmentBytes, events, bytes, linger, retentionDays,
          backoffBase, backoffCap, callTimeout);
    }

    public Settings withLinger(Duration l) {
      return new Settings(bufferDir, diskBudgetBytes, memoryBytes, segmentBytes, windowEvents, windowBytes, l,
          retentionDays, backoffBase, backoffCap, callTimeout);
    }

    public Settings withSegmentBytes(long s) {
      return new Settings(bufferDir, diskBudgetBytes, memoryBytes, s, windowEvents, windowBytes, linger, retentionDays,
          backoffBase, backoffCap, callTimeout);
    }
  }

  private final SpillQueue queue;
  private final CloudWatchSender sender;
  private final ExporterMetrics metrics;
  private final Settings settings;
  private final Thread thread;
  private volatile boolean stopped;
  private boolean closed;

  public LogExporter(CloudWatchLogsClient client, Settings settings, ExporterClock clock, MeterRegistry registry)
      throws IOException {
    this.settings = settings;
    this.metrics = new ExporterMetrics(registry);
    this.queue = new SpillQueue(DiskBuffer.open(settings.bufferDir(), settings.diskBudgetBytes(), settings.segmentBytes(),
        n -> metrics.corrupt.increment(n)), settings.memoryBytes(), metrics, clock);
    this.sender = new CloudWatchSender(client, settings.retentionDays(), clock, metrics,
        settings.backoffBase().toMillis(), settings.backoffCap().toMillis(), new Random());
    this.thread = new Thread(this::run, "access-log-sender");
    this.thread.setDaemon(true);
  }

  /** Starts sending. */
  public LogExporter start() {
    thread.start();
    return this;
  }

  public ExporterMetrics metrics() {
    return metrics;
  }

  /** Queues events for one log stream; never blocks on CloudWatch. */
  public void offer(LogTarget target, List<LogEvent> events) {
    queue.offer(target, events);
  }

  /** Waits until everything queued has been sent (or given up). Returns whether that happened in time. */
  public boolean flush(Duration timeout) throws InterruptedException {
    return queue.awaitEmpty(System.nanoTime() + timeout.toNanos());
  }

  private void run() {
    try {
      while (!stopped) {
        List<Rec> w = queue.take(settings.windowEvents(), settings.windowBytes(), settings.linger().toNanos());
        if (w == null) {
          return;
        }
        Map<LogTarget, List<Rec>> byTarget = new LinkedHashMap<>();
        for (Rec r : w) {
          byTarget.computeIfAbsent(r.target, k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<LogTarget, List<Rec>> e : byTarget.entrySet()) {
          for (List<Rec> batch : Batcher.batches(e.getValue())) {
            if (stopped) {
              return;
            }
            sender.send(e.getKey(), batch);
            queue.batchDone(batch);
          }
        }
        queue.complete(w);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("access-log sender stopped by an internal error; queued events stay in the buffer", e);
    }
  }

  /**
   * Stops: no more events are accepted; sending goes on until everything is sent or
   * {@code deadline} passes; then a call in flight gets up to {@code callTimeout} to finish, and
   * whatever is left is written to the disk buffer for the next start. Returns whether everything
   * was sent.
   */
  public synchronized boolean close(Duration deadline) throws InterruptedException {
    if (closed) {
      return true;
    }
    closed = true;
    queue.closeForOffers();
    boolean drained = thread.isAlive() ? queue.awaitEmpty(System.nanoTime() + deadline.toNanos()) : queue.isEmpty();
    stopped = true;
    if (thread.isAlive()) {
      thread.interrupt(); // wakes a backoff sleep or a wait; an HTTP call in flight runs to its end
      thread.join(settings.callTimeout().toMillis());
      if (thread.isAlive()) {
        LOG.warn("access-log sender still busy after {}; persisting without waiting (its batch may be sent twice)",
            settings.callTimeout());
      }
    }
    int kept = queue.persist();
    LOG.info("access-log exporter closed: {}; {} events moved from memory to the disk buffer {} for the next start", metrics, kept,
        settings.bufferDir());
    return drained;
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(10));
  }
}
