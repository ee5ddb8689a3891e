package io.appmeshxds.server.reconcile;

import java.util.function.LongSupplier;

/**
 * Coalesces bursts of changes: a build runs {@code holdoff} after the last change, but never later
 * than {@code max} after the first one of the burst (Contour's 100/500 ms rule; ours defaults to
 * 20/100 ms because a weight change should reach proxies fast).
 */
public final class Debouncer {
  private final LongSupplier nanoClock;
  private final long holdoff;
  private final long max;
  private long first = -1;
  private long last = -1;

  public Debouncer(LongSupplier nanoClock, long holdoffNanos, long maxNanos) {
    this.nanoClock = nanoClock;
    this.holdoff = holdoffNanos;
    this.max = maxNanos;
  }

  /** Records a change. */
  public synchronized void signal() {
    long now = nanoClock.getAsLong();
    if (first < 0) {
      first = now;
    }
    last = now;
  }

  public synchronized boolean pending() {
    return first >= 0;
  }

  /** Nanoseconds until the build is due (0 = now); -1 when nothing is pending. */
  public synchronized long delay() {
    if (first < 0) {
      return -1;
    }
    long now = nanoClock.getAsLong();
    long due = Math.min(last + holdoff, first + max);
    return Math.max(0, due - now);
  }

  /** Takes the pending burst if it is due; returns whether a build should run now. */
  public synchronized boolean take() {
    if (first >= 0 && delay() == 0) {
      first = -1;
      last = -1;
      return true;
    }
    return false;
  }
}
