package io.appmeshxds.tracing.logs;

/** A clock tests move by hand; {@link #sleep} waits until the clock has been advanced far enough. */
final class ManualClock implements ExporterClock {
  private long now;
  private int sleepers;
  private long slept;

  ManualClock(long start) {
    this.now = start;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  @Override
  public synchronized void sleep(long ms) throws InterruptedException {
    long until = now + ms;
    slept += ms;
    sleepers++;
    notifyAll();
    try {
      while (now < until) {
        wait();
      }
    } finally {
      sleepers--;
    }
  }

  synchronized void advance(long ms) {
    now += ms;
    notifyAll();
  }

  synchronized int sleepers() {
    return sleepers;
  }

  synchronized long slept() {
    return slept;
  }
}
