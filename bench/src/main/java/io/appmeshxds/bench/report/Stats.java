package io.appmeshxds.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Summary of a sample: count, min, p50, p99, max, mean. Percentiles are nearest-rank (the smallest
 * value with at least p % of the sample at or below it), so p99 of 20 values is the maximum: with few
 * samples we report the worst one rather than interpolate a value nobody observed.
 */
public record Stats(int count, double min, double p50, double p99, double max, double mean) {

  public static Stats of(Collection<? extends Number> values) {
    if (values.isEmpty()) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    List<Double> v = new ArrayList<>(values.size());
    double sum = 0;
    for (Number n : values) {
      v.add(n.doubleValue());
      sum += n.doubleValue();
    }
    Collections.sort(v);
    return new Stats(v.size(), v.get(0), percentile(v, 50), percentile(v, 99), v.get(v.size() - 1), sum / v.size());
  }

  /** Nearest-rank percentile of an ascending list. */
  public static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    if (p <= 0) {
      return sorted.get(0);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.min(sorted.size(), Math.max(1, rank)) - 1);
  }
}
