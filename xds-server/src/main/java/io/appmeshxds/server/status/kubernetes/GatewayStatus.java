package io.appmeshxds.server.status.kubernetes;

import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ListenerStatus;
import io.appmeshxds.translator.status.ObjectStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status of a Gateway of our GatewayClass, or of that GatewayClass, as Gateway API defines it:
 * {@code status.conditions[]} ({@code Accepted}, and a Gateway's {@code Programmed}) and, for a
 * Gateway, {@code status.listeners[]} ({@code name, supportedKinds, attachedRoutes, conditions}).
 * Conditions of other types (another controller's, the CRD's default) are kept where they are;
 * ours replace those of the same type. Fields we do not judge ({@code addresses}, a class's {@code
 * supportedFeatures}) are left as they are. Pure, like {@link RouteStatus}.
 */
final class GatewayStatus {
  private GatewayStatus() {}

  /**
   * What translation said about one Gateway or GatewayClass.
   *
   * @param conditions Accepted, then (a Gateway's) Programmed
   * @param listeners a Gateway's listeners; null for a GatewayClass (it has none)
   * @param observedGeneration the generation judged (0: the object's current one)
   */
  record Verdict(List<Condition> conditions, List<ListenerStatus> listeners, long observedGeneration) {
    Verdict {
      conditions = List.copyOf(conditions);
      listeners = listeners == null ? null : List.copyOf(listeners);
    }

    static Verdict of(ObjectStatus s) {
      List<Condition> cs = new ArrayList<>();
      cs.add(s.condition());
      cs.addAll(s.more());
      return new Verdict(cs, "Gateway".equals(s.object().kind()) ? s.listeners() : null, s.observedGeneration());
    }

    Verdict withGeneration(long generation) {
      return new Verdict(conditions, listeners, generation);
    }
  }

  /**
   * The new status map, or null when the current one already says the same, or when it was
   * written for a newer generation than the one judged (Gateway API: such a condition is not
   * updated; the build of that generation writes it).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> updated(Map<String, Object> status, Verdict v, Instant now) {
    Map<String, Object> next = status == null ? new LinkedHashMap<>() : new LinkedHashMap<>(status);
    List<?> before = next.get("conditions") instanceof List<?> l ? l : List.of();
    for (Condition c : v.conditions()) {
      for (Object o : before) {
        if (o instanceof Map<?, ?> m && c.type().equals(m.get("type")) && m.get("observedGeneration") instanceof Number n
            && n.longValue() > v.observedGeneration()) {
          return null;
        }
      }
    }
    next.put("conditions", merged(before, v.conditions(), v.observedGeneration(), now));
    if (v.listeners() != null) {
      List<?> old = next.get("listeners") instanceof List<?> l ? l : List.of();
      List<Object> listeners = new ArrayList<>();
      for (ListenerStatus ls : v.listeners()) {
        Map<String, Object> prev = null;
        for (Object o : old) {
          if (o instanceof Map<?, ?> m && ls.name().equals(m.get("name"))) {
            prev = (Map<String, Object>) m;
          }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", ls.name());
        List<Object> kinds = new ArrayList<>();
        for (String k : ls.supportedKinds()) {
          Map<String, Object> kind = new LinkedHashMap<>();
          kind.put("group", GatewayApi.GROUP);
          kind.put("kind", k);
          kinds.add(kind);
        }
        entry.put("supportedKinds", kinds);
        entry.put("attachedRoutes", (long) ls.attachedRoutes());
        List<?> prevConditions = prev != null && prev.get("conditions") instanceof List<?> l ? l : List.of();
        entry.put("conditions", merged(prevConditions, ls.conditions(), v.observedGeneration(), now));
        listeners.add(entry);
      }
      next.put("listeners", listeners);
    }
    return RouteStatus.same(status == null ? Map.of() : status, next) ? null : next;
  }

  /** {@code before} with ours in place of those of the same type (appended when new); others kept. */
  private static List<Object> merged(List<?> before, List<Condition> ours, long generation, Instant now) {
    List<Object> out = new ArrayList<>(before);
    for (Condition c : ours) {
      Map<String, Object> written = RouteStatus.condition(c, generation, before, now);
      int at = -1;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i) instanceof Map<?, ?> m && c.type().equals(m.get("type"))) {
          at = i;
          break;
        }
      }
      if (at >= 0) {
        out.set(at, written);
      } else {
        out.add(written);
      }
    }
    return out;
  }
}
