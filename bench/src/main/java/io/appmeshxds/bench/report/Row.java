package io.appmeshxds.bench.report;

/**
 * One line of the result table.
 *
 * @param target T1…T15, or a label for context lines (e.g. "info")
 * @param what what was measured, in a few words
 * @param threshold the target's threshold as text (perf-anchors §6.2)
 * @param measured the measured value as text
 * @param verdict PASS, FAIL, or INFO when there is nothing to judge (or the run could not measure it)
 *     (of our measurement)
 * @param baseline the same measurement of the java-control-plane baseline, or "" when not measured
 * @param ratio ours ÷ baseline of the row's main figure(s), or ""
 */
public record Row(String target, String what, String threshold, String measured, Verdict verdict, String baseline, String ratio) {

  public Row {
    baseline = baseline == null ? "" : baseline;
    ratio = ratio == null ? "" : ratio;
  }

  /** A row without a baseline. */
  public Row(String target, String what, String threshold, String measured, Verdict verdict) {
    this(target, what, threshold, measured, verdict, "", "");
  }

  /** This row with the baseline's measurement and the ratio. */
  public Row withBaseline(String baselineMeasured, String oursOverBaseline) {
    return new Row(target, what, threshold, measured, verdict, baselineMeasured, oursOverBaseline);
  }

  /** Outcome of a row. */
  public enum Verdict {
    PASS,
    FAIL,
    INFO,
    /** Could not be measured in this run (timed out, skipped); the measured column says why. */
    NOT_RUN;

    public static Verdict of(boolean pass) {
      return pass ? PASS : FAIL;
    }

    @Override
    public String toString() {
      return this == NOT_RUN ? "n/a" : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A row whose verdict is {@code value <= limit}; NaN or a negative value (what the harness records
   * for "not measured": no time or size is negative) gives n/a.
   */
  public static Row atMost(String target, String what, String threshold, double value, double limit, String measured) {
    Verdict v = Double.isNaN(value) || value < 0 ? Verdict.NOT_RUN : Verdict.of(value <= limit);
    return new Row(target, what, threshold, measured, v);
  }

  public static Row info(String target, String what, String measured) {
    return new Row(target, what, "-", measured, Verdict.INFO);
  }
}
