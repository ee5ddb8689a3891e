package io.appmeshxds.translator.re2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measuring a pattern never costs more than the pattern is worth: the worst shapes we know of
 * (nesting, width, Unicode property classes, alternation, case folding) up to the measured length,
 * and a 200 KB pattern past it, each within a stated CPU-time and allocation budget. Prints what
 * it measured.
 */
class Re2HostilePatternBudgetTest {

  /** CPU time per pattern, generous for a shared 2-core machine (typical: a few ms). */
  static final long CPU_BUDGET_MS = 1_500;
  /** Bytes allocated per pattern (typical: a few MB; compiling the 41-character one takes GBs). */
  static final long ALLOC_BUDGET = 200L << 20;

  @Test
  void everyHostileShapeIsMeasuredWithinBudget() {
    Map<String, String> patterns = new LinkedHashMap<>();
    patterns.put("issue-17 nested counts (41 chars)", "((((a{1,1000}){1,1000}){1,1000}){1,1000})");
    patterns.put("nested counts just under RE2's product", "((((a{1,10}){1,10}){1,10}){1,1})".repeat(30));
    patterns.put("2,000 nested groups", "(".repeat(2000) + "a" + ")".repeat(2000));
    patterns.put("1,300 \\pL classes", "\\pL".repeat(1300));
    patterns.put("1,300 \\pL{1000}", "\\pL{999}".repeat(450));
    patterns.put("800 alternatives", java.util.stream.IntStream.range(0, 800).mapToObj(i -> "q" + i)
        .collect(java.util.stream.Collectors.joining("|")));
    patterns.put("4,096-char literal", "x".repeat(4096));
    patterns.put("case-folded unicode", "(?i)" + "ſk".repeat(2000));
    patterns.put("many classes", "[a-z\\x{100}-\\x{10FFFF}]{1000}".repeat(100));
    patterns.put("200 KB literal", "y".repeat(200 * 1024));
    patterns.put("200 KB nested", "(a{1,1000})".repeat(200 * 1024 / 11));
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    Re2ProgramSize.of("warm(?:up){2}\\pL"); // class loading and Unicode tables once
    for (Map.Entry<String, String> e : patterns.entrySet()) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long alloc0 = threads.getThreadAllocatedBytes(id);
      Re2ProgramSize.Result r = Re2ProgramSize.of(e.getValue());
      long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      long alloc = threads.getThreadAllocatedBytes(id) - alloc0;
      System.out.printf("re2 bounds %-40s %7d chars: cpu %4d ms, allocated %6.1f MB -> %s%n", e.getKey(),
          e.getValue().length(), cpuMs, alloc / 1e6, r.error() != null ? "error: " + r.error() : r.describe());
      assertThat(cpuMs).as("CPU ms for %s", e.getKey()).isLessThan(CPU_BUDGET_MS);
      assertThat(alloc).as("bytes allocated for %s", e.getKey()).isLessThan(ALLOC_BUDGET);
      if (!e.getKey().endsWith("alternatives")) { // RE2 factors their common prefix: small, accepted
        assertThat(r.fits(Re2Limit.MAX_PROGRAM_SIZE)).as("%s is not accepted", e.getKey()).isFalse();
      }
    }
  }
}
