package io.appmeshxds.server.status;

import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.StatusReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code appmeshxds_objects{kind,condition}}: how many objects are accepted or rejected, by kind. */
public final class MetricsStatusSink implements StatusSink {
  private final MultiGauge gauge;

  public MetricsStatusSink(MeterRegistry registry) {
    gauge = MultiGauge.builder("appmeshxds_objects").description("App Mesh objects by kind and condition status")
        .register(registry);
  }

  private final Map<String, Integer> counts = new TreeMap<>();
  private StatusReport last = StatusReport.empty();

  /** Counts move by what changed since the last report; only a changed count re-registers the rows. */
  @Override
  public synchronized void publish(StatusReport report) {
    boolean[] moved = {false};
    StatusReport before = last;
    StatusReport.changes(before, report, ref -> {
      ObjectStatus was = before.get(ref);
      ObjectStatus now = report.get(ref);
      String a = was == null ? null : bucket(was);
      String b = now == null ? null : bucket(now);
      if (!java.util.Objects.equals(a, b)) {
        if (a != null) {
          counts.merge(a, -1, (x, y) -> x + y == 0 ? null : x + y);
        }
        if (b != null) {
          counts.merge(b, 1, Integer::sum);
        }
        moved[0] = true;
      }
    });
    last = report;
    if (moved[0]) {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      counts.forEach((k, n) -> {
        String[] p = k.split("\\|");
        rows.add(MultiGauge.Row.of(Tags.of("kind", p[0], "condition", p[1]), n));
      });
      gauge.register(rows, true);
    }
  }

  private static String bucket(ObjectStatus s) {
    String condition = s.condition() == null ? "none" : s.condition().status().equals("True") ? "true" : "false";
    return s.object().kind() + "|" + condition;
  }
}
