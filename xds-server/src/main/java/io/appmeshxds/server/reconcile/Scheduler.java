package io.appmeshxds.server.reconcile;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time and deferred work for the {@link Reconciler}: the clock its {@link Debouncer} reads and the
 * one thread its builds run on. The server uses {@link #system}: {@link System#nanoTime()} and one
 * daemon thread. A test passes a scheduler whose clock it moves by hand and whose tasks it runs
 * itself, so a holdoff is a number, not a sleep.
 *
 * <p>Contract: tasks never run concurrently with each other; a task runs no earlier than its delay
 * after it was scheduled (by {@link #nanoTime()}); tasks due at the same time run in the order they
 * were scheduled. A task that throws does not stop later ones.
 */
public interface Scheduler {

  /** A scheduled task, until it ran. */
  interface Task {
    /** The task will not run (no effect once it ran). */
    void cancel();
  }

  /** Now, in nanoseconds (only differences mean anything). */
  long nanoTime();

  /** Runs {@code task} once, {@code delayNanos} from now (0 or less: as soon as possible). */
  Task schedule(Runnable task, long delayNanos);

  /** Runs no more tasks; waits up to five seconds for one that is running. */
  void close() throws InterruptedException;

  /**
   * The system clock and one daemon thread named {@code threadName}, started by the first task.
   * Why lazily: a reconciler built and never started (tools, tests that call it directly) leaves no thread.
   */
  static Scheduler system(String threadName) {
    return new Scheduler() {
      private ScheduledThreadPoolExecutor executor;
      private boolean closed;

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Task schedule(Runnable task, long delayNanos) {
        ScheduledThreadPoolExecutor e;
        synchronized (this) {
          if (closed) {
            return () -> {};
          }
          if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
            // Why: the reconciler replaces its debounce timer on every change; cancelled ones must not pile up.
            executor.setRemoveOnCancelPolicy(true);
            // Why: on close a waiting timer is dropped, not waited for; a build that is running finishes.
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
          }
          e = executor;
        }
        try {
          var f = e.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
          return () -> {};
        }
      }

      @Override
      public void close() throws InterruptedException {
        ScheduledThreadPoolExecutor e;
        synchronized (this) {
          closed = true;
          e = executor;
        }
        if (e != null) {
          e.shutdown();
          e.awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    };
  }
}
