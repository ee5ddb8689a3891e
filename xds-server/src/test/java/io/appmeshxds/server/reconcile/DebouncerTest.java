package io.appmeshxds.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The debounce rule on a clock the test sets: a build is due {@code holdoff} after the last change,
 * and never later than {@code max} after the first change of the burst, however closely changes follow.
 */
class DebouncerTest {
  private static final long HOLDOFF = ms(20);
  private static final long MAX = ms(100);

  private long now;
  private final Debouncer d = new Debouncer(() -> now, HOLDOFF, MAX);

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void dueHoldoffAfterTheLastChange() {
    assertThat(d.delay()).as("nothing pending").isEqualTo(-1);
    assertThat(d.take()).isFalse();
    d.signal();
    assertThat(d.delay()).isEqualTo(HOLDOFF);
    now = ms(15);
    d.signal();
    assertThat(d.delay()).as("a later change moves the build").isEqualTo(HOLDOFF);
    now = ms(34);
    assertThat(d.delay()).isEqualTo(ms(1));
    assertThat(d.take()).as("not due 19 ms after the last change").isFalse();
    now = ms(35);
    assertThat(d.delay()).isZero();
    assertThat(d.take()).isTrue();
    assertThat(d.pending()).isFalse();
    assertThat(d.take()).as("taken once").isFalse();
  }

  @Test
  void aStreamOfChangesCloserThanTheHoldoffIsStillDueByMaxHoldoff() {
    // A change every 10 ms (half the holdoff): the holdoff alone would never come.
    for (long t = 0; t < 100; t += 10) {
      now = ms(t);
      d.signal();
      assertThat(d.delay()).as("delay at %d ms", t).isEqualTo(Math.min(ms(t) + HOLDOFF, MAX) - ms(t));
      assertThat(d.take()).as("due at %d ms", t).isFalse();
    }
    now = ms(99);
    assertThat(d.take()).as("not due before max-holdoff").isFalse();
    now = ms(100);
    assertThat(d.delay()).as("due at max-holdoff, 10 ms after the last change").isZero();
    assertThat(d.take()).isTrue();
    // The next change starts a new burst with its own cap.
    d.signal();
    assertThat(d.delay()).isEqualTo(HOLDOFF);
    for (long t = 110; t < 200; t += 10) {
      now = ms(t);
      d.signal();
      assertThat(d.take()).as("due at %d ms", t).isFalse();
    }
    now = ms(200);
    assertThat(d.take()).as("second burst due 100 ms after its first change").isTrue();
  }
}
