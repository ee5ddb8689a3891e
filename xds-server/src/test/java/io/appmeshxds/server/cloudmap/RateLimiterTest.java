package io.appmeshxds.server.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The registrar's token bucket on a clock the test moves (no sleeping): a full bucket holds
 * {@link RateLimiter#BURST_SECONDS} seconds' worth of calls (80 at the default 4/s, App Mesh's
 * controller's RegisterInstance burst), then one call per 1/rate; {@code next()} says exactly when;
 * idle time refills up to the burst and no further.
 */
class RateLimiterTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  final MutableClock clock = new MutableClock(T0);

  private static int drain(RateLimiter l) {
    int n = 0;
    while (l.take()) {
      n++;
      assertThat(n).as("a bucket that never empties").isLessThan(100_000);
    }
    return n;
  }

  @Test
  void aFullBucketIsTheControllersBurstAtTheDefaultRate() {
    RateLimiter l = new RateLimiter(clock, 4);
    assertThat(l.next()).as("a token is there now").isEqualTo(T0);
    assertThat(drain(l)).as("4/s with a burst of 80, as App Mesh's controller allowed RegisterInstance").isEqualTo(80);
    assertThat(l.take()).isFalse();
    assertThat(l.next()).isEqualTo(T0.plusMillis(250));
  }

  @Test
  void onceEmptyCallsArePacedAtTheRateAndNextSaysWhen() {
    RateLimiter l = new RateLimiter(clock, 4);
    drain(l);
    int taken = 0;
    for (int i = 0; i < 40; i++) {
      Instant due = l.next();
      assertThat(Duration.between(clock.instant(), due)).as("call %d waits a quarter second", i).isEqualTo(Duration.ofMillis(250));
      clock.advance(Duration.ofMillis(249));
      assertThat(l.take()).as("not before it is due").isFalse();
      assertThat(l.next()).as("the due time does not move").isEqualTo(due);
      clock.advance(Duration.ofMillis(1));
      assertThat(l.take()).as("at the due time").isTrue();
      taken++;
      assertThat(l.take()).as("one call per token").isFalse();
    }
    assertThat(taken).isEqualTo(40);
    assertThat(Duration.between(T0, clock.instant())).as("80 + 40 calls took 10 s").isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void overAnyWindowNoMoreThanTheBurstPlusTheRateTimesItsLength() {
    // Callers that take whenever they can, with the clock moving 100 ms at a time for a minute.
    RateLimiter l = new RateLimiter(clock, 3);
    int[] perTick = new int[600];
    for (int t = 0; t < perTick.length; t++) {
      perTick[t] = drain(l);
      clock.advance(Duration.ofMillis(100));
    }
    assertThat(perTick[0]).isEqualTo(60);
    // Over every window of ticks, calls minus what the rate earned in it: never more than the burst.
    double worst = 0;
    for (int from = 0; from < perTick.length; from++) {
      int sum = 0;
      for (int to = from; to < perTick.length; to++) {
        sum += perTick[to];
        worst = Math.max(worst, sum - 3 * (to - from) / 10.0);
      }
    }
    assertThat(worst).isLessThanOrEqualTo(60);
    int total = 0;
    for (int n : perTick) {
      total += n;
    }
    assertThat(total).as("burst + 3/s for 59.9 s, nothing wasted").isBetween(60 + 179, 60 + 180);
    // A fractional interval is rounded up to the first whole millisecond with a token: 1/3 s is due at 334 ms.
    clock.set(clock.instant().plusSeconds(100));
    drain(l);
    Instant due = l.next();
    assertThat(Duration.between(clock.instant(), due)).isEqualTo(Duration.ofMillis(334));
    clock.set(due.minusMillis(1));
    assertThat(l.take()).isFalse();
    clock.set(due);
    assertThat(l.take()).isTrue();
  }

  @Test
  void idleTimeRefillsUpToTheBurstAndNoFurther() {
    RateLimiter l = new RateLimiter(clock, 2);
    assertThat(drain(l)).isEqualTo(40);
    clock.advance(Duration.ofSeconds(5));
    assertThat(drain(l)).as("5 s at 2/s").isEqualTo(10);
    clock.advance(Duration.ofHours(1));
    assertThat(drain(l)).as("an hour idle still gives one burst").isEqualTo(40);
  }

  @Test
  void aClockGoingBackwardsGivesNothingAway() {
    RateLimiter l = new RateLimiter(clock, 4);
    drain(l);
    clock.set(T0.minusSeconds(30));
    assertThat(l.take()).isFalse();
    clock.set(T0.plusMillis(250));
    assertThat(l.take()).as("paced from the latest time seen").isTrue();
    assertThat(l.take()).isFalse();
  }
}
