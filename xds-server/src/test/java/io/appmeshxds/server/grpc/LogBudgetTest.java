package io.appmeshxds.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Refusal log lines are bounded per window; the number left out is reported once in the next window. */
class LogBudgetTest {
  @Test
  void aFloodOfRefusalsLogsABoundedNumberOfLines() throws Exception {
    ProxyAuthorization.LogBudget b = new ProxyAuthorization.LogBudget(3, 50_000_000L);
    int logged = 0;
    for (int i = 0; i < 1000; i++) {
      if (b.take()) {
        logged++;
      }
    }
    assertThat(logged).isEqualTo(3);
    assertThat(b.suppressedNote()).isEmpty();
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 60_000_000L) {
      Thread.onSpinWait();
    }
    assertThat(b.take()).isTrue();
    assertThat(b.suppressedNote()).contains("997 more refusals");
    assertThat(b.suppressedNote()).isEmpty();
  }

  @Test
  void nodeIdsAreEscapedAndCutForTheLog() {
    assertThat(ProxyAuthorization.Escape.line("mesh/a\n\u001b[31m/x\u0000", 256)).isEqualTo("mesh/a\\x0a\\x1b[31m/x\\x00");
    assertThat(ProxyAuthorization.Escape.line("y".repeat(1000), 10)).isEqualTo("yyyyyyyyyy…");
  }
}
