package io.appmeshxds.tracing.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter's queue: a bounded memory tier that spills to a {@link DiskBuffer}, one FIFO in
 * {@code seq} order.
 *
 * <p>While nothing is spilled, events go to memory. When memory is full, this queue enters spill
 * mode: the event and every later one go to disk (a new segment), so the FIFO order is: memory
 * (older), then disk (newer). When memory drains, the sender reads the disk back into memory; when
 * it has read everything, spill mode ends. The disk budget bounds what is held: past it, new events
 * are dropped (counted, logged).
 *
 * <p>The sender takes windows (prefixes of the FIFO), sends them, marks records done, and completes
 * the window: then every seq below the window's end is done, which is the ack file's watermark.
 * Event timestamps are made non-decreasing per log target in seq order here, so batches of a
 * stream are chronological within and across calls.
 */
final class SpillQueue {
  private static final Logger LOG = LoggerFactory.getLogger(SpillQueue.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Rec> memory = new ArrayDeque<>();
  private final DiskBuffer disk;
  private final long memoryLimit;
  private final ExporterMetrics metrics;
  private final ExporterClock clock;
  private final Map<LogTarget, Long> lastTimestamp = new HashMap<>();
  private long memoryBytes;
  private long nextSeq;
  private long low;
  private boolean spilling;
  private boolean flushing;
  private boolean closed;
  private List<Rec> window;
  /** Rate limit of the "dropped" warning: at most one line per this many ms (the first drop logs at once). */
  static final long DROP_LOG_INTERVAL_MS = 10_000;
  private boolean droppedBefore;
  private long lastDropLog;
  private long droppedSinceLog;

  SpillQueue(DiskBuffer disk, long memoryLimit, ExporterMetrics metrics, ExporterClock clock) {
    this.disk = disk;
    this.memoryLimit = memoryLimit;
    this.metrics = metrics;
    this.clock = clock;
    this.nextSeq = disk.recoveredNextSeq;
    this.low = disk.low(); // everything below is done; recovered records at or above it are not
    this.lastTimestamp.putAll(disk.recoveredMaxTimestamp);
    if (disk.recoveredPending > 0) {
      spilling = true; // what was on disk is older than anything that arrives now
      disk.startNewSegment();
    }
  }

  /** Queues events for one target (in order). Never blocks on the network. */
  void offer(LogTarget target, List<LogEvent> events) {
    lock.lock();
    try {
      metrics.received.increment(events.size());
      if (closed) {
        dropped(events.size(), "the exporter is shutting down");
        return;
      }
      List<Rec> toDisk = null;
      long last = lastTimestamp.getOrDefault(target, Long.MIN_VALUE);
      for (LogEvent e : events) {
        int bytes = Rec.utf8Length(e.message());
        if (bytes > Batcher.MAX_EVENT_BYTES) {
          metrics.rejected.increment();
          LOG.warn("access-log event for {}/{} rejected: {} bytes is over CloudWatch's per-event limit of {} bytes",
              target.group(), target.stream(), bytes, Batcher.MAX_EVENT_BYTES);
          continue;
        }
        last = Math.max(last, e.timestamp());
        Rec r = new Rec(nextSeq++, target, last, e.message(), bytes, false);
        if (!spilling && memoryBytes + r.memoryBytes() <= memoryLimit) {
          memory.add(r);
          memoryBytes += r.memoryBytes();
        } else {
          if (!spilling) {
            spilling = true;
            disk.startNewSegment();
            LOG.info("access-log queue: memory full ({} bytes); spilling to {} bytes of disk buffer", memoryBytes,
                disk.bytes());
          }
          if (toDisk == null) {
            toDisk = new ArrayList<>();
          }
          toDisk.add(r);
        }
      }
      lastTimestamp.put(target, last);
      if (toDisk != null) {
        int written = disk.append(toDisk);
        metrics.spilled.increment(written);
        if (written < toDisk.size()) {
          dropped(toDisk.size() - written, "the disk buffer's budget is exhausted (or it cannot be written)");
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counts dropped events and logs them, at most once per {@link #DROP_LOG_INTERVAL_MS}; the line
   * carries every drop since the previous one. Why a flag and not a sentinel time: "now minus
   * Long.MIN_VALUE" overflows to a negative number, and the first warning never printed.
   */
  private void dropped(int n, String why) {
    metrics.dropped.increment(n);
    droppedSinceLog += n;
    long now = clock.millis();
    if (!droppedBefore || now - lastDropLog >= DROP_LOG_INTERVAL_MS) {
      LOG.warn("access-log queue: dropped {} events: {} (appmeshxds_accesslogs_dropped_total counts them all)",
          droppedSinceLog, why);
      droppedBefore = true;
      lastDropLog = now;
      droppedSinceLog = 0;
    }
  }

  /** Logs drops that the rate limit held back (at shutdown, so none goes unmentioned). */
  private void flushDropLog() {
    if (droppedSinceLog > 0) {
      LOG.warn("access-log queue: dropped {} more events since the last warning", droppedSinceLog);
      droppedSinceLog = 0;
    }
  }

  /**
   * The next window: up to {@code max} records / {@code maxBytes} message bytes from the head of the
   * FIFO. Waits for records; lingers up to {@code lingerNanos} for a fuller window unless flushing.
   * Returns null once closed and empty.
   */
  List<Rec> take(int max, long maxBytes, long lingerNanos) throws InterruptedException {
    lock.lock();
    try {
      long lingerUntil = 0;
      while (true) {
        if (memory.isEmpty() && spilling) {
          List<Rec> back = disk.read(max, Math.max(1, Math.min(maxBytes, memoryLimit - memoryBytes)));
          for (Rec r : back) {
            memory.add(r);
            memoryBytes += r.memoryBytes();
          }
          if (!disk.hasUnread()) {
            spilling = false; // caught up: later events go to memory again, after these
            disk.startNewSegment(); // the last spill segment can be deleted once acked
          }
        }
        if (!memory.isEmpty()) {
          if (memory.size() >= max || flushing || closed || lingerNanos <= 0) {
            break;
          }
          long now = System.nanoTime();
          if (lingerUntil == 0) {
            lingerUntil = now + lingerNanos;
          }
          if (now >= lingerUntil) {
            break;
          }
          changed.awaitNanos(lingerUntil - now);
          continue;
        }
        if (closed) {
          return null;
        }
        changed.await(1, TimeUnit.SECONDS);
      }
      List<Rec> w = new ArrayList<>(Math.min(max, memory.size()));
      long bytes = 0;
      while (!memory.isEmpty() && w.size() < max) {
        Rec r = memory.peek();
        if (!w.isEmpty() && bytes + r.messageBytes > maxBytes) {
          break;
        }
        w.add(memory.poll());
        bytes += r.messageBytes;
      }
      window = w;
      return w;
    } finally {
      lock.unlock();
    }
  }

  /** Marks a sent (or given-up) batch done; with records from disk, records progress in the ack file. */
  void batchDone(List<Rec> batch) {
    lock.lock();
    try {
      boolean fromDisk = false;
      for (Rec r : batch) {
        r.done = true;
        fromDisk |= r.onDisk;
      }
      if (fromDisk && window != null) {
        long firstPending = nextSeq;
        NavigableSet<Long> done = new TreeSet<>();
        for (Rec r : window) {
          if (!r.done) {
            firstPending = Math.min(firstPending, r.seq);
          }
        }
        for (Rec r : window) {
          if (r.done && r.onDisk && r.seq > firstPending) {
            done.add(r.seq);
          }
        }
        disk.ack(Math.max(low, firstPending == nextSeq ? window.get(window.size() - 1).seq + 1 : firstPending), done);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The window is done: everything below its end needs no more sending. */
  void complete(List<Rec> w) {
    lock.lock();
    try {
      for (Rec r : w) {
        memoryBytes -= r.memoryBytes();
      }
      if (!w.isEmpty()) {
        low = Math.max(low, w.get(w.size() - 1).seq + 1);
      }
      window = null;
      if (disk.hasSegments()) {
        disk.ack(low, new TreeSet<>());
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Nothing queued, spilled or in flight. */
  boolean isEmpty() {
    lock.lock();
    try {
      return memory.isEmpty() && window == null && !(spilling && disk.hasUnread());
    } finally {
      lock.unlock();
    }
  }

  /** Waits until empty or {@code deadlineNanos} (System.nanoTime). Returns whether it is empty. */
  boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      flushing = true;
      changed.signalAll();
      while (!(memory.isEmpty() && window == null && !(spilling && disk.hasUnread()))) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      return true;
    } finally {
      flushing = false;
      lock.unlock();
    }
  }

  /** Stop accepting events; the sender's next take returns what is left, then null. */
  void closeForOffers() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * After the sender has stopped: writes what exists only in memory to disk, records progress, and
   * closes the disk buffer. Returns how many events were persisted from memory.
   */
  int persist() {
    lock.lock();
    try {
      closed = true;
      List<Rec> pending = new ArrayList<>();
      NavigableSet<Long> done = new TreeSet<>();
      long first = -1;
      long lastSeen = -1;
      List<Rec> all = new ArrayList<>();
      if (window != null) {
        all.addAll(window);
      }
      all.addAll(memory);
      for (Rec r : all) {
        lastSeen = r.seq;
        if (r.done) {
          if (r.onDisk) {
            done.add(r.seq);
          }
          continue;
        }
        if (first < 0) {
          first = r.seq;
        }
        if (!r.onDisk) {
          pending.add(r);
        }
      }
      long newLow = first >= 0 ? first : (lastSeen >= 0 ? lastSeen + 1 : low);
      int written = disk.writeResidual(pending);
      if (written < pending.size()) {
        // Not rate-limited: the process is about to exit and this is the last word on these events.
        metrics.dropped.increment(pending.size() - written);
        LOG.warn("access-log queue: shutting down with the disk buffer's budget exhausted: dropped {} of {} unsent "
            + "events (seq {} to {}); raise logging.cloudWatch.diskBudgetMb or the flush timeout to keep them",
            pending.size() - written, pending.size(), pending.get(written).seq, pending.get(pending.size() - 1).seq);
      }
      flushDropLog();
      metrics.spilled.increment(written);
      disk.ack(Math.max(low, newLow), done);
      disk.close();
      window = null;
      memory.clear();
      memoryBytes = 0;
      return written;
    } finally {
      lock.unlock();
    }
  }
}
