package io.appmeshxds.translator.golden;

import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.RouteConfigId;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.status.StatusReport;
import io.appmeshxds.translator.xds.Names;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plans and statuses as readable trees for golden files: records become mappings of their
 * components (nulls and empty lists left out), ids become the Envoy names {@code xds.Names} mints.
 */
public final class GoldenTrees {
  private GoldenTrees() {}

  static final JsonNodeFactory F = JsonNodeFactory.instance;

  public static JsonNode tree(Object o) {
    if (o == null) {
      return F.nullNode();
    }
    if (o instanceof ClusterId c) {
      return F.stringNode(Names.cluster(c));
    }
    if (o instanceof RouteConfigId r) {
      return F.stringNode(Names.routeConfig(r));
    }
    if (o instanceof NodeKey k) {
      return F.stringNode(k.toString());
    }
    if (o instanceof ObjectRef r) {
      return F.stringNode(r.toString());
    }
    if (o instanceof String s) {
      return F.stringNode(s);
    }
    if (o instanceof Long l) {
      return F.numberNode(l);
    }
    if (o instanceof Integer i) {
      return F.numberNode(i);
    }
    if (o instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (o instanceof Enum<?> e) {
      return F.stringNode(e.name());
    }
    if (o instanceof Collection<?> c) {
      ArrayNode a = F.arrayNode();
      c.forEach(x -> a.add(tree(x)));
      return a;
    }
    if (o instanceof Map<?, ?> m) {
      ObjectNode n = F.objectNode();
      m.forEach((k, v) -> n.set(String.valueOf(k), tree(v)));
      return n;
    }
    if (o.getClass().isRecord()) {
      ObjectNode n = F.objectNode();
      if (o instanceof ListenerPlan l) {
        n.put("name", Names.listener(l));
        n.put("kind", o.getClass().getSimpleName());
      }
      if (o instanceof RoutePlan.HeaderCondition h) {
        // One record per kind; golden files name the kind after the name (EXACT, RANGE, ...).
        n.put("name", h.name());
        n.put("kind", o.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT));
      }
      for (RecordComponent rc : o.getClass().getRecordComponents()) {
        Object v;
        try {
          v = rc.getAccessor().invoke(o);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
        if (v == null || v instanceof Collection<?> c && c.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()
            || o instanceof RoutePlan.HeaderCondition && rc.getName().equals("name")) {
          continue;
        }
        n.set(rc.getName(), tree(v));
      }
      return n;
    }
    return F.stringNode(String.valueOf(o));
  }

  /** Statuses: {@code Kind ns/name: {condition, problems}}. */
  public static ObjectNode statuses(StatusReport report) {
    ObjectNode n = F.objectNode();
    for (ObjectStatus s : report.objects().values()) {
      ObjectNode o = F.objectNode();
      if (s.condition() != null) {
        o.put("condition", s.condition().type() + "=" + s.condition().status() + " (" + s.condition().reason() + ")");
        if (!s.condition().message().isEmpty()) {
          o.put("message", s.condition().message());
        }
      }
      for (var mc : s.more()) {
        o.put(mc.type(), mc.status() + " (" + mc.reason() + ")" + (mc.message().isEmpty() ? "" : ": " + mc.message()));
      }
      if (!s.listeners().isEmpty()) {
        ObjectNode ls = F.objectNode();
        for (var l : s.listeners()) {
          ArrayNode cs = F.arrayNode();
          cs.add("supportedKinds " + l.supportedKinds() + ", attachedRoutes " + l.attachedRoutes());
          for (var c : l.conditions()) {
            cs.add(c.type() + "=" + c.status() + " (" + c.reason() + ")" + (c.message().isEmpty() ? "" : ": " + c.message()));
          }
          ls.set(l.name(), cs);
        }
        o.set("listeners", ls);
      }
      if (!s.gatewayParents().isEmpty()) {
        o.put("gatewayParents", s.gatewayParents().toString());
      }
      ArrayNode ps = F.arrayNode();
      for (Problem p : s.problems()) {
        ps.add(p.severity().lower() + ": " + p.fieldAndMessage());
      }
      if (!ps.isEmpty()) {
        o.set("problems", ps);
      }
      n.set(s.object().toString(), o);
    }
    ArrayNode un = F.arrayNode();
    report.unattached().forEach(p -> un.add(p.toLine()));
    if (!un.isEmpty()) {
      n.set("unattached", un);
    }
    return n;
  }
}
