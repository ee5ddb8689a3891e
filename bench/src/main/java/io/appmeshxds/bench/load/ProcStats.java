package io.appmeshxds.bench.load;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's CPU time, memory (heap, direct, metaspace, RSS), GC and allocation counters. */
public final class ProcStats {
  private ProcStats() {}

  /** CPU time of the whole process (all threads, user + system), in milliseconds. */
  public static double cpuMillis() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean s) {
      return s.getProcessCpuTime() / 1e6;
    }
    return Double.NaN;
  }

  /** Bytes allocated so far by live threads (threads that ended are not counted). */
  public static long allocatedBytes() {
    var t = ManagementFactory.getThreadMXBean();
    if (t instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()) {
      long sum = 0;
      for (long a : s.getThreadAllocatedBytes(s.getAllThreadIds())) {
        sum += Math.max(0, a);
      }
      return sum;
    }
    return -1;
  }

  /** Total GC count and time (ms) so far. */
  public static long[] gc() {
    long n = 0;
    long ms = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, g.getCollectionCount());
      ms += Math.max(0, g.getCollectionTime());
    }
    return new long[] {n, ms};
  }

  /** Runs full GCs until the used heap stops shrinking (at most 4), and returns it. */
  public static long liveHeapAfterFullGc() throws InterruptedException {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      long used = heapUsed();
      if (used >= last * 0.99) {
        return Math.min(used, last);
      }
      last = used;
    }
    return last;
  }

  public static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  public static long heapCommitted() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }

  /** Non-heap pools by name containing {@code part} (e.g. "Metaspace"). */
  public static long nonHeapUsed(String part) {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.NON_HEAP && p.getName().contains(part)) {
        sum += p.getUsage().getUsed();
      }
    }
    return sum;
  }

  /**
   * Direct memory: NIO direct buffers plus what (shaded) Netty allocated without them. Why both:
   * Netty may allocate off-heap memory through Unsafe, which the JDK's buffer pool does not see.
   */
  public static long directBytes() {
    long sum = 0;
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        sum += b.getMemoryUsed();
      }
    }
    try {
      Class<?> pd = Class.forName("io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent");
      long netty = (long) pd.getMethod("usedDirectMemory").invoke(null);
      if (netty > 0) {
        sum += netty;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not on the class path
    }
    return sum;
  }

  /** Resident set size from /proc/self/status, or -1. */
  public static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Adds cpuMs to every reply so the driver can split phases into server and client CPU. */
  public static Msg ok() {
    return new Msg("ok").put("cpuMs", cpuMillis());
  }
}
