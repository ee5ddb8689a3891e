package io.appmeshxds.server.cloudmap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket on a clock: {@code perSecond} calls a second, bursts of {@value #BURST_SECONDS}
 * seconds' worth. At the default 4/s that is App Mesh's controller's bucket for RegisterInstance
 * and for DeregisterInstance (4/s, burst 80: {@code pkg/aws/throttle/defaults.go}); one bucket here
 * is shared by every call that changes Cloud Map (docs/operations.md says why). Not thread-safe: the
 * registrar's one thread uses it.
 *
 * <p>Integer arithmetic: credit is counted in nanoseconds × {@code perSecond}, so a token is 10⁹
 * units whatever the rate, and {@link #next()} is the first whole millisecond with a token
 * (floating point made it a millisecond late now and then).
 */
final class RateLimiter {
  /** How many seconds' worth of calls a full bucket holds. */
  static final int BURST_SECONDS = 20;
  private static final long TOKEN = 1_000_000_000L;
  private static final Duration FILL = Duration.ofSeconds(BURST_SECONDS);

  private final Clock clock;
  private final long perSecond;
  private final long burst;
  private long credit;
  private Instant last;

  RateLimiter(Clock clock, int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("callsPerSecond must be at least 1, got " + perSecond);
    }
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = BURST_SECONDS * this.perSecond * TOKEN;
    this.credit = burst;
    this.last = clock.instant();
  }

  /** Takes a token if there is one. */
  boolean take() {
    refill();
    if (credit >= TOKEN) {
      credit -= TOKEN;
      return true;
    }
    return false;
  }

  /** When the next token is there (now if there is one), rounded up to a whole millisecond. */
  Instant next() {
    refill();
    if (credit >= TOKEN) {
      return last;
    }
    long nanos = (TOKEN - credit + perSecond - 1) / perSecond;
    return last.plusMillis((nanos + 999_999) / 1_000_000);
  }

  private void refill() {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      Duration idle = Duration.between(last, now);
      credit = idle.compareTo(FILL) >= 0 ? burst : Math.min(burst, credit + idle.toNanos() * perSecond);
      last = now;
    }
  }
}
