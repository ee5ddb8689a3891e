package io.appmeshxds.server.grpc;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets at most {@code perMinute} lines of one kind through per minute and counts the rest, so that a
 * client repeating a bad request cannot turn the server's log into its amplifier. The first line
 * after a quiet spell says how many were suppressed. Lock-free enough for the gRPC threads: one
 * synchronized check per event of this kind.
 */
public final class RateLimitedLog {
  private final int perMinute;
  private final LongSupplier nanoClock;
  private long windowStart;
  private int inWindow;
  private long suppressed;
  private long suppressedTotal;

  public RateLimitedLog(int perMinute) {
    this(perMinute, System::nanoTime);
  }

  /** With an injected clock ({@link System#nanoTime()} semantics), for tests. */
  public RateLimitedLog(int perMinute, LongSupplier nanoClock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("lines per minute must be at least 1 (got " + perMinute + ")");
    }
    this.perMinute = perMinute;
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  /**
   * Whether a line may be written now. Returns -1 when it may not (it is counted as suppressed);
   * otherwise the number of lines suppressed since the last one that was written (usually 0), for
   * the caller to mention.
   */
  public synchronized long tryAcquire() {
    long now = nanoClock.getAsLong();
    if (now - windowStart >= TimeUnit.MINUTES.toNanos(1)) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= perMinute) {
      suppressed++;
      suppressedTotal++;
      return -1;
    }
    inWindow++;
    long s = suppressed;
    suppressed = 0;
    return s;
  }

  /** Lines suppressed since this limiter was made. */
  public synchronized long suppressedTotal() {
    return suppressedTotal;
  }

  /** " (N similar lines suppressed)" for a count above zero, else "". */
  public static String note(long suppressed) {
    return suppressed > 0 ? " (" + suppressed + " similar line(s) suppressed before this one)" : "";
  }
}
