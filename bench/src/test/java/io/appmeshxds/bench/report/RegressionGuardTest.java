package io.appmeshxds.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regression guard reads the table of an earlier result file (the five-column one before the
 * baseline, or the seven-column one with it), matches rows whatever their numbers, and divides the
 * main figures: the p99 where there is one, else the first number with a unit.
 */
class RegressionGuardTest {
  static final String OLD = """
      # appmeshxds bench quick

      - code: abc

      | target | what | threshold | measured | result |
      |---|---|---|---|---|
      | T8 | 100 clients connect at once (cold JVMs) -> all fully ACKed | <= 5 s | 5.23 s (median client 4.67 s); CPU: server 5.59 s | fail |
      | T4 | hot VirtualService weight change -> all 100 clients ACKed (20 changes after 50 warm-up ones) | p50 <= 100 | p50 48 ms, p99 86 ms, max 86 ms | pass |
      | T2 | server live heap after full GC, mesh + 100 clients | <= 1 GiB | 64 MiB (no clients: 41 MiB) | pass |
      | T11 | re-put of an equal object (resync, status-only update) | 0 messages | 0 pushed, 0 received | pass |
      | T9 | a \\| b | x | 13.4 KiB | pass |
      """;

  @Test
  void figuresAreThePercentileOrTheFirstNumberWithAUnit() {
    assertThat(RegressionGuard.figure("p50 48 ms, p99 86 ms, max 86 ms")).isEqualTo(86);
    assertThat(RegressionGuard.figure("5.23 s (median client 4.67 s)")).isEqualTo(5230);
    assertThat(RegressionGuard.figure("64 MiB (no clients: 41 MiB)")).isEqualTo(64.0 * 1024 * 1024);
    assertThat(RegressionGuard.figure("max 1 message(s), 1 resource(s), 13.4 KiB")).isEqualTo(13.4 * 1024);
    assertThat(RegressionGuard.figure("94.4 KiB per stream (500 streams)")).isEqualTo(94.4 * 1024);
    assertThat(RegressionGuard.figure("1.4 % of a core")).isEqualTo(1.4);
    assertThat(RegressionGuard.figure("0.45 cores (9 s CPU in 20 s)")).isEqualTo(0.45);
    assertThat(RegressionGuard.figure("0 pushed, 0 received")).isNaN();
  }

  @Test
  void rowsMatchWhateverTheirNumbersAndRatiosAreNowOverThen() {
    List<Row> now = List.of(
        new Row("T8", "1000 clients connect at once (cold JVMs) -> all fully ACKed", "<= 5 s", "10.46 s (median client 9 s)",
            Row.Verdict.FAIL, "20 s", "0.52"),
        new Row("T4", "hot VirtualService weight change -> all 1000 clients ACKed (20 changes after 50 warm-up ones)", "p50",
            "p50 40 ms, p99 43 ms", Row.Verdict.PASS),
        new Row("T2", "server live heap after full GC, mesh + 1000 clients", "<= 1 GiB", "1 GiB", Row.Verdict.PASS),
        new Row("T11", "re-put of an equal object (resync, status-only update)", "0", "0 pushed, 0 received", Row.Verdict.PASS),
        new Row("T9", "a | b", "x", "6.7 KiB", Row.Verdict.PASS),
        new Row("T16", "churn", "<= 1 s p99", "p99 300 ms", Row.Verdict.PASS));
    List<RegressionGuard.Line> lines = RegressionGuard.compare(OLD, now);
    assertThat(lines).extracting(RegressionGuard.Line::ratio).containsExactly("2.00", "0.50", "16.00", "-", "0.50", "-");
    assertThat(lines.get(0).before()).isEqualTo("5.23 s");
    assertThat(lines.get(1).before()).isEqualTo("p99 86 ms");
    assertThat(lines.get(5).before()).isEqualTo("(new row)");
  }

  @Test
  void aWideTableIsReadByItsMeasuredColumn() {
    Report r = new Report("t");
    r.add(new Row("T4", "hot change", "p99 <= 250 ms", "p50 10 ms, p99 20 ms", Row.Verdict.PASS, "p99 80 ms [pass]", "p99 0.25"));
    r.add(new Row("T1", "cold", "<= 2 s", "1500 ms", Row.Verdict.PASS));
    String md = r.markdown();
    assertThat(md).contains("| target | what | threshold | measured | result | baseline (java-control-plane) | ours ÷ baseline |");
    assertThat(md).contains("| T1 | cold | <= 2 s | 1500 ms | pass | - | - |");
    List<RegressionGuard.Line> lines = RegressionGuard.compare(md, List.of(
        new Row("T4", "hot change", "p99 <= 250 ms", "p50 10 ms, p99 30 ms", Row.Verdict.PASS)));
    assertThat(lines.get(0).ratio()).isEqualTo("1.50");
  }
}
