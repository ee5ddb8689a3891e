package io.appmeshxds.server.status;

import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.status.StatusReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The latest status report, as {@code /status} shows it. */
public final class StatusView implements StatusSink {
  private volatile StatusReport report = StatusReport.empty();

  @Override
  public void publish(StatusReport r) {
    report = r;
  }

  public StatusReport report() {
    return report;
  }

  /** {@code {"objects":[…],"problems":[…]}}. */
  public String json(Map<String, Object> extra) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (ObjectStatus s : report.objects().values()) {
      Map<String, Object> o = new LinkedHashMap<>();
      ObjectRef r = s.object();
      o.put("kind", r.kind());
      if (r.namespace() != null) {
        o.put("namespace", r.namespace());
      }
      o.put("name", r.name());
      o.put("observedGeneration", s.observedGeneration());
      if (s.condition() != null) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", s.condition().type());
        c.put("status", s.condition().status());
        c.put("reason", s.condition().reason().name());
        c.put("message", s.condition().message());
        o.put("condition", c);
      }
      if (!s.more().isEmpty()) {
        o.put("conditions", conditions(s.more()));
      }
      if (!s.listeners().isEmpty()) {
        List<Map<String, Object>> ls = new ArrayList<>();
        for (var l : s.listeners()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", l.name());
          m.put("supportedKinds", l.supportedKinds());
          m.put("attachedRoutes", l.attachedRoutes());
          m.put("conditions", conditions(l.conditions()));
          ls.add(m);
        }
        o.put("listeners", ls);
      }
      if (s.servedGeneration() != null) {
        o.put("servedGeneration", s.servedGeneration());
      }
      List<String> ps = new ArrayList<>();
      s.problems().forEach(p -> ps.add(p.toLine()));
      if (!ps.isEmpty()) {
        o.put("problems", ps);
      }
      objects.add(o);
    }
    Map<String, Object> root = new LinkedHashMap<>(extra);
    root.put("objects", objects);
    root.put("unattachedProblems", report.unattached().stream().map(Problem::toLine).toList());
    return JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static List<Map<String, Object>> conditions(List<io.appmeshxds.translator.status.Condition> cs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var mc : cs) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("type", mc.type());
      c.put("status", mc.status());
      c.put("reason", mc.reason().name());
      c.put("message", mc.message());
      out.add(c);
    }
    return out;
  }
}
