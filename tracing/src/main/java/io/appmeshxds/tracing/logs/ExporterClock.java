package io.appmeshxds.tracing.logs;

/**
 * Time for the exporter: "now" (events without a start time, log rate limits) and the backoff
 * sleeps between retries. Tests substitute a clock they advance by hand, so a ten-minute outage
 * takes milliseconds.
 */
public interface ExporterClock {
  long millis();

  /** Sleeps {@code ms} of this clock's time; interruptible. */
  void sleep(long ms) throws InterruptedException;

  /** The system clock and {@link Thread#sleep}. */
  static ExporterClock system() {
    return new ExporterClock() {
      @Override
      public long millis() {
        return System.currentTimeMillis();
      }

      @Override
      public void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
      }
    };
  }
}
