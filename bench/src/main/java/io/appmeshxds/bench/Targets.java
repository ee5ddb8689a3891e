package io.appmeshxds.bench;

import io.appmeshxds.bench.jmh.JmhSuite;
import io.appmeshxds.bench.report.Report;
import io.appmeshxds.bench.report.Row;
import java.util.List;
import java.util.Locale;

/**
 * Turns JMH measurements into table rows against perf-anchors §6.2's thresholds (the load run's
 * are {@link LoadTargets}'), and formats numbers for both. The thresholds are
 * stated for M10k with 1,000 clients (5,000 streams for T7); a smaller run is judged against the
 * same numbers, which the report says.
 */
public final class Targets {
  private static final double KIB = 1024;
  private static final double MIB = 1024 * 1024;

  private Targets() {}

  public static void jmh(Report rep, JmhSuite.Results j, String profile) {
    JmhSuite.Measured t1 = j.byKey().get("T1");
    if (t1 == null) {
      rep.add(new Row("T1", "cold full translation + serialize once (" + profile + ")", "<= 2 s", "not measured", Row.Verdict.NOT_RUN));
    } else {
      rep.add(Row.atMost("T1", "cold full translation + serialize once (" + profile + ", JMH single shot)", "<= 2 s", t1.score(), 2000,
          f("%.0f ms mean of %d (max %.0f); %s proxies, %s unique resources, %s", t1.score(), t1.n(), t1.max(),
              t1.aux().getOrDefault("proxies", "?"), t1.aux().getOrDefault("unique", "?"), mb(t1.aux().get("bytes")))));
    }
    for (String v : List.of("router", "node", "slice")) {
      JmhSuite.Measured m = j.byKey().get("T3/" + v);
      String what = "one-object change, " + switch (v) {
        case "router" -> "VirtualRouter weight";
        case "node" -> "VirtualNode backend added";
        default -> "EndpointSlice endpoint";
      } + " (" + profile + ", p99)";
      if (m == null) {
        rep.add(new Row("T3", what, "<= 5 ms p99", "not measured", Row.Verdict.NOT_RUN));
        continue;
      }
      String tr = m.aux().getOrDefault("translatedMin", "?") + (m.aux().getOrDefault("translatedMin", "").equals(
          m.aux().getOrDefault("translatedMax", "")) ? "" : "-" + m.aux().getOrDefault("translatedMax", "?"));
      rep.add(Row.atMost("T3", what, "<= 5 ms p99", m.p99(), 5,
          f("p50 %s, p99 %s (n=%d); %s of %s proxies re-translated", ms(m.p50()), ms(m.p99()), m.n(), tr,
              m.aux().getOrDefault("proxies", "?"))));
    }
    JmhSuite.Measured ser = j.byKey().get("SER");
    if (ser != null) {
      double bytes = Double.parseDouble(ser.aux().getOrDefault("bytes", "NaN"));
      double mbps = bytes / 1e6 / (ser.score() / 1000);
      rep.add(Row.info("T10", "serialize every unique resource once (" + profile + ")",
          f("%.0f MB/s (%s in %.0f ms; %s unique of %s resource references)", mbps, mb(ser.aux().get("bytes")), ser.score(),
              ser.aux().getOrDefault("unique", "?"), ser.aux().getOrDefault("refs", "?"))));
    }
    j.errors().forEach(e -> rep.note("error: " + e));
  }

  static String f(String fmt, Object... args) {
    return String.format(Locale.ROOT, fmt, args);
  }

  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "?";
    }
    return v < 10 ? f("%.2f ms", v) : f("%.0f ms", v);
  }

  static String sec(double millis) {
    return Double.isNaN(millis) ? "?" : f("%.2f s", millis / 1000);
  }

  static String mib(double bytes) {
    return bytes < 0 || Double.isNaN(bytes) ? "?" : f("%.0f MiB", bytes / MIB);
  }

  static String kib(double bytes) {
    return bytes < 0 || Double.isNaN(bytes) ? "?" : f("%.1f KiB", bytes / KIB);
  }

  static String mb(String bytes) {
    return bytes == null ? "?" : f("%.1f MB", Double.parseDouble(bytes) / 1e6);
  }
}
