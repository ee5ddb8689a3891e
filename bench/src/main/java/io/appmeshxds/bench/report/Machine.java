package io.appmeshxds.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The header line: cores, memory, JVM, OS, load average. */
public final class Machine {
  private Machine() {}

  public static String describe() {
    long memKb = meminfoKb("MemTotal:");
    String mem = memKb > 0 ? String.format(Locale.ROOT, "%.1f GiB", memKb / 1024.0 / 1024.0) : "unknown memory";
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format(Locale.ROOT, "machine: %d cores, %s, %s %s (%s), %s %s %s, load average %.2f at start",
        Runtime.getRuntime().availableProcessors(), mem, System.getProperty("java.vm.name"), System.getProperty("java.version"),
        System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("os.arch"), load);
  }

  /** A field of /proc/meminfo in kB, or -1 (not Linux). */
  static long meminfoKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
