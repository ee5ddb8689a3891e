package io.appmeshxds.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Percentiles are nearest-rank, and the table says n/a rather than pass for what was not measured. */
class StatsAndReportTest {
  @Test
  void nearestRankPercentilesOfAnUnsortedSample() {
    List<Integer> v = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      v.add(i);
    }
    Collections.shuffle(v, new java.util.Random(1));
    Stats s = Stats.of(v);
    assertThat(s.count()).isEqualTo(20);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.p50()).isEqualTo(10);
    // 99 % of 20 values is rank 20: the worst observed value, not an interpolation.
    assertThat(s.p99()).isEqualTo(20);
    assertThat(s.max()).isEqualTo(20);
    assertThat(s.mean()).isEqualTo(10.5);
  }

  @Test
  void percentilesOfOneAndOfAHundredValues() {
    assertThat(Stats.of(List.of(7.5)).p50()).isEqualTo(7.5);
    assertThat(Stats.of(List.of(7.5)).p99()).isEqualTo(7.5);
    List<Double> hundred = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      hundred.add((double) i);
    }
    assertThat(Stats.of(hundred).p50()).isEqualTo(50);
    assertThat(Stats.of(hundred).p99()).isEqualTo(99);
  }

  @Test
  void anEmptySampleIsNotAZero() {
    Stats s = Stats.of(List.of());
    assertThat(s.count()).isZero();
    assertThat(s.p99()).isNaN();
    assertThat(Row.atMost("T4", "x", "<= 1", s.p99(), 1, "none").verdict()).isEqualTo(Row.Verdict.NOT_RUN);
  }

  @Test
  void verdictsAgainstALimit() {
    assertThat(Row.atMost("T1", "x", "<= 2 s", 2000, 2000, "2 s").verdict()).isEqualTo(Row.Verdict.PASS);
    assertThat(Row.atMost("T1", "x", "<= 2 s", 2000.1, 2000, "2 s").verdict()).isEqualTo(Row.Verdict.FAIL);
  }

  @Test
  void textIsAlignedAndMarkdownEscapesPipes() {
    Report r = new Report("title").note("machine: test");
    r.add(Row.atMost("T1", "cold", "<= 2 s", 1, 2, "1 ms"));
    r.add(new Row("T11", "no-op | resync", "0 messages", "3 pushed", Row.Verdict.FAIL));
    String[] lines = r.text().split("\n");
    assertThat(lines[0]).isEqualTo("title");
    assertThat(lines[1]).isEqualTo("machine: test");
    // Header, rule and rows have their column separators at the same positions.
    int sep = lines[2].indexOf(" | ");
    assertThat(lines[4].indexOf(" | ")).isEqualTo(sep);
    assertThat(lines[3].indexOf("-+-")).isEqualTo(sep);
    assertThat(lines[5]).endsWith("fail");
    String md = r.markdown();
    assertThat(md).startsWith("# title\n\n- machine: test\n");
    assertThat(md).contains("| T11 | no-op \\| resync | 0 messages | 3 pushed | fail |");
    assertThat(md).contains("| T1 | cold | <= 2 s | 1 ms | pass |");
  }
}
