package io.appmeshxds.gateway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.re2.Re2ProgramSize;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one place that compiles a user's regex with re2j (a gateway route's path regex evaluated on a
 * rewritten path) compiles only what RE2 accepts and whose upper bound is under its compile cap;
 * the largest pattern it will compile stays within a stated time and allocation budget, and the
 * issue-17 pattern and a 200 KB pattern are refused without compiling. Prints what it measured.
 */
class ConditionsCompileBudgetTest {

  static final long CPU_BUDGET_MS = 2_000;
  static final long ALLOC_BUDGET = 256L << 20;

  @Test
  void theLargestCompiledPatternStaysWithinBudgetAndHostileOnesAreNotCompiled() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    // Lower bound under the limit (a warning), upper bound near the cap: the worst that compiles.
    String widest = "\\pL{36}";
    Re2ProgramSize.Result size = Re2ProgramSize.of(widest);
    System.out.println("gateway fullMatch: largest compiled pattern " + widest + ", RE2 program size " + size.describe());
    assertThat(size.mayExceed(1000)).as(size.describe()).isTrue();
    assertThat(size.upper()).isBetween(50_000L, 100_000L);
    String value = "\u00e9".repeat(36);
    for (String p : List.of(widest, "((((a{1,1000}){1,1000}){1,1000}){1,1000})", "(a{1,1000})".repeat(200 * 1024 / 11),
        "b".repeat(200 * 1024))) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long alloc0 = threads.getThreadAllocatedBytes(id);
      boolean matched = Conditions.fullMatch(p, p == widest ? value : "a");
      long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      long alloc = threads.getThreadAllocatedBytes(id) - alloc0;
      System.out.printf("gateway fullMatch %7d-char pattern: matched %s, cpu %d ms, allocated %.1f MB%n", p.length(),
          matched, cpuMs, alloc / 1e6);
      assertThat(matched).isEqualTo(p == widest);
      assertThat(cpuMs).isLessThan(CPU_BUDGET_MS);
      assertThat(alloc).isLessThan(ALLOC_BUDGET);
    }
  }
}
