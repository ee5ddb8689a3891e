package io.appmeshxds.server.cloudmap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A daemon thread that runs one pass, then waits until the pass's next due time (at most a second)
 * or until {@link #wake()}; with work already pending it does not wait. A pass that throws is
 * logged and the loop goes on. The discovery refresher and the registrar each run on one.
 */
final class PassLoop implements AutoCloseable {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final String name;
  private final Clock clock;
  private final Supplier<Instant> pass;
  private final BooleanSupplier pending;
  private final Logger log;
  private final String failure;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param pass one pass; returns when something is due next, or null for "nothing" (checked again within a second)
   * @param pending whether work is waiting already (then the next pass starts at once)
   * @param failure the log line when a pass throws
   */
  PassLoop(String name, Clock clock, Supplier<Instant> pass, BooleanSupplier pending, Logger log, String failure) {
    this.name = name;
    this.clock = clock;
    this.pass = pass;
    this.pending = pending;
    this.log = log;
    this.failure = failure;
  }

  void start() {
    running = true;
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Ends the wait now (new work). */
  void wake() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (running) {
      try {
        Instant next = pass.get();
        lock.lock();
        try {
          if (!pending.getAsBoolean() && running) {
            long millis = next == null ? 1000 : Math.max(1, Duration.between(clock.instant(), next).toMillis());
            wake.await(Math.min(millis, 1000), TimeUnit.MILLISECONDS);
          }
        } finally {
          lock.unlock();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error(failure, e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    wake();
    if (thread != null) {
      thread.interrupt();
    }
  }
}
