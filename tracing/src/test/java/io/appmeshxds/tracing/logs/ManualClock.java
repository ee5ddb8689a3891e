package io.appmeshxds.tracing.logs;

/** A clock tests move by hand; {@link #sleep} waits until the clock has been advanced far enough. */
final class ManualClock implements ExporterClock {
  private long now;
  private int sleepers;
  private long slept;
  private final java.util.List<Long> waitingUntil = new java.util.ArrayList<>();

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
    waitingUntil.add(until);
    notifyAll();
    try {
      while (now < until) {
        wait();
      }
    } finally {
      sleepers--;
      waitingUntil.remove(Long.valueOf(until));
      notifyAll();
    }
  }

  synchronized void advance(long ms) {
    now += ms;
    notifyAll();
  }

  /**
   * Waits (on the clock's own notifications, bounded by real time) until some thread sleeps on this
   * clock past its current time, i.e. is blocked until the test advances it. False on timeout.
   */
  synchronized boolean awaitBlocked(long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    while (waitingUntil.stream().noneMatch(u -> u > now)) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  synchronized int sleepers() {
    return sleepers;
  }

  synchronized long slept() {
    return slept;
  }
}
