package io.appmeshxds.server.cloudmap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket on a clock: {@code perSecond} calls a second, bursts of ten seconds' worth (App
 * Mesh's controller allowed Cloud Map's RegisterInstance 4/s with a burst of 80). Not thread-safe:
 * the registrar's one thread uses it.
 */
final class RateLimiter {
  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private double tokens;
  private Instant last;

  RateLimiter(Clock clock, int perSecond) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = perSecond * 10.0;
    this.tokens = burst;
    this.last = clock.instant();
  }

  /** Takes a token if there is one. */
  boolean take() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** When the next token is there (now if there is one). */
  Instant next() {
    refill();
    return tokens >= 1 ? last : last.plusMillis((long) Math.ceil((1 - tokens) * 1000 / perSecond));
  }

  private void refill() {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      tokens = Math.min(burst, tokens + Duration.between(last, now).toNanos() / 1e9 * perSecond);
      last = now;
    }
  }
}
