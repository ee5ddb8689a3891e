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

  @Override
  public void publish(StatusReport report) {
    Map<String, Integer> counts = new TreeMap<>();
    for (ObjectStatus s : report.objects().values()) {
      String condition = s.condition() == null ? "none" : s.condition().status().equals("True") ? "true" : "false";
      counts.merge(s.object().kind() + "|" + condition, 1, Integer::sum);
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((k, n) -> {
      String[] p = k.split("\\|");
      rows.add(MultiGauge.Row.of(Tags.of("kind", p[0], "condition", p[1]), n));
    });
    gauge.register(rows, true);
  }
}
