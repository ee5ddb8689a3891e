package io.appmeshxds.tracing.plan.archplanted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Planted (never run): a class in a plugged-in package ({@code tracing.plan}) that breaks each
 * purity rule of tracing's ArchitectureTest, each in a member named for what it does.
 */
public final class PlanIsImpure {
  private PlanIsImpure() {}

  /** plugged_in_parts_hold_no_thread_locals. */
  static final ThreadLocal<String> SPAN = new ThreadLocal<>();

  /** plugged_in_parts_do_no_io. */
  static String readsAFile(Path path) throws IOException {
    return Files.readString(path);
  }

  /** plugged_in_parts_read_no_clock. */
  static long readsTheClock() {
    return System.currentTimeMillis();
  }

  /** plugged_in_parts_read_no_environment. */
  static String readsTheEnvironment() {
    return System.getenv("OTEL_SERVICE_NAME");
  }

  /** plugged_in_parts_run_no_threads. */
  static Map<String, String> sharesState() {
    return new ConcurrentHashMap<>();
  }
}
