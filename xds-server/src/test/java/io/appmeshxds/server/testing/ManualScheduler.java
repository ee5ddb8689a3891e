package io.appmeshxds.server.testing;

import io.appmeshxds.server.reconcile.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} a test drives: time moves only in {@link #advance}, and tasks run on the
 * test's thread inside {@link #runDue} and {@link #advance}, each at its due time in order (grpc-java's
 * FakeClock does the same for its timers). Like an executor, a task that throws is recorded
 * ({@link #uncaught()}), and later tasks still run.
 */
public final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private final List<Throwable> uncaught = new ArrayList<>();
  private long now;
  private long seq;
  private long ran;
  private boolean closed;

  private final class Entry implements Comparable<Entry>, Task {
    final long due;
    final long order = seq++;
    final Runnable task;

    Entry(long due, Runnable task) {
      this.due = due;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
    }

    @Override
    public void cancel() {
      synchronized (ManualScheduler.this) {
        queue.remove(this);
      }
    }
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Task schedule(Runnable task, long delayNanos) {
    Entry e = new Entry(now + Math.max(0, delayNanos), task);
    if (!closed) {
      queue.add(e);
    }
    return e;
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
  }

  /** Runs every task due now, also the ones they schedule for now; returns how many ran. */
  public int runDue() {
    return runUntil(nanoTime());
  }

  /** Moves time forward by {@code d}, running each task at its due time on the way; returns how many ran. */
  public int advance(Duration d) {
    return runUntil(nanoTime() + d.toNanos());
  }

  /** Moves time to {@code millis} since this scheduler's start (not backwards), running what falls due. */
  public int advanceToMillis(long millis) {
    long target = Duration.ofMillis(millis).toNanos();
    if (target < nanoTime()) {
      throw new IllegalArgumentException("time runs forward: now " + nanoTime() + " ns, asked " + target + " ns");
    }
    return runUntil(target);
  }

  private int runUntil(long target) {
    int count = 0;
    while (true) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          now = target;
          return count;
        }
        queue.poll();
        now = next.due;
        ran++;
      }
      count++;
      try {
        next.task.run();
      } catch (RuntimeException | Error e) {
        synchronized (this) {
          uncaught.add(e);
        }
      }
    }
  }

  /** Milliseconds since start (for messages). */
  public synchronized double millis() {
    return now / 1e6;
  }

  /** Tasks waiting. */
  public synchronized int pending() {
    return queue.size();
  }

  /** Tasks run so far. */
  public synchronized long ran() {
    return ran;
  }

  /** What tasks threw (an executor would have swallowed it). */
  public synchronized List<Throwable> uncaught() {
    return List.copyOf(uncaught);
  }
}
