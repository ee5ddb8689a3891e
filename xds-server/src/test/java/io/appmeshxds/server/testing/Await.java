package io.appmeshxds.server.testing;

import java.util.function.BooleanSupplier;

/** Waits for an event (a condition becoming true), bounded; never a fixed sleep before an assertion. */
public final class Await {
  private Await() {}

  /**
   * Polls {@code condition} every 5 ms until it holds; fails after {@code timeoutMillis}. Returns
   * the milliseconds it took. The one polling helper of the tests.
   */
  public static long until(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
    return until(condition, timeoutMillis, () -> "");
  }

  /** As {@link #until(BooleanSupplier, long)}; on failure the message ends with what {@code seen} reports then. */
  public static long until(BooleanSupplier condition, long timeoutMillis, java.util.function.Supplier<String> seen)
      throws InterruptedException {
    long t0 = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if ((System.nanoTime() - t0) / 1_000_000 > timeoutMillis) {
        String state = seen.get();
        throw new AssertionError("condition not met within " + timeoutMillis + " ms" + (state.isEmpty() ? "" : ": " + state));
      }
      Thread.sleep(5);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
