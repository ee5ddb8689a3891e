package io.appmeshxds.tracing.logs;

/** A clock whose sleeps return at once and move it forward (backoff without waiting). */
final class InstantClock implements ExporterClock {
  private long now;
  private long slept;

  InstantClock(long start) {
    this.now = start;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  @Override
  public synchronized void sleep(long ms) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    now += ms;
    slept += ms;
  }

  synchronized long slept() {
    return slept;
  }
}
