package io.appmeshxds.server.status.kubernetes;

import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.input.Reason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Gateway API route's {@code status.parents[]} as the spec defines it: one entry per parentRef
 * this controller implements (core Service parents: GAMMA), each with {@code parentRef} (a copy of
 * the spec's entry), {@code controllerName} and the conditions {@code Accepted} and {@code
 * ResolvedRefs} ({@code type, status, reason, message, observedGeneration, lastTransitionTime}).
 * Entries of other controllers are kept as they are; ours for parents no longer in the spec are
 * removed. Pure: the writer gives the current object's status and spec and the time.
 */
final class RouteStatus {
  /** Gateway API's limit on {@code status.parents}. */
  static final int MAX_PARENTS = 32;
  /** Gateway API's limit on a condition message. */
  static final int MAX_MESSAGE = 32768;

  private RouteStatus() {}

  /**
   * What translation said about one route.
   *
   * @param accepted the route's Accepted condition (for every parent without a problem of its own)
   * @param resolvedRefs its ResolvedRefs condition (backends are the route's, not a parent's)
   * @param parentAccepted Accepted=False of parents with an error of their own, by parentRefs index
   * @param observedGeneration the generation judged
   */
  record Verdict(Condition accepted, Condition resolvedRefs, Map<Integer, Condition> parentAccepted,
      long observedGeneration) {
    Verdict {
      parentAccepted = Map.copyOf(parentAccepted);
    }
  }

  /** Whether a spec parentRef is one we implement: a core Service (GAMMA). */
  static boolean ours(Map<?, ?> parentRef) {
    Object group = parentRef.get("group");
    Object kind = parentRef.get("kind");
    return "Service".equals(kind) && ("".equals(group) || "core".equals(group));
  }

  /**
   * The new status map, or null when the current one already says the same.
   *
   * @param status the object's current status (null: none)
   * @param parentRefs the object's current {@code spec.parentRefs}
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> updated(Map<String, Object> status, List<?> parentRefs, Verdict v, String controller,
      Instant now) {
    Map<String, Object> next = status == null ? new LinkedHashMap<>() : new LinkedHashMap<>(status);
    List<Object> existing = next.get("parents") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
    List<Object> others = new ArrayList<>();
    List<Map<String, Object>> oursBefore = new ArrayList<>();
    for (Object e : existing) {
      if (e instanceof Map<?, ?> m && controller.equals(m.get("controllerName"))) {
        oursBefore.add((Map<String, Object>) m);
      } else {
        others.add(e);
      }
    }
    List<Map<String, Object>> oursAfter = new ArrayList<>();
    for (int i = 0; i < parentRefs.size(); i++) {
      if (!(parentRefs.get(i) instanceof Map<?, ?> ref) || !ours(ref)) {
        continue;
      }
      if (oursAfter.stream().anyMatch(e -> same(e.get("parentRef"), ref))) {
        continue; // the same parent twice: one entry
      }
      if (others.size() + oursAfter.size() >= MAX_PARENTS) {
        break;
      }
      Map<String, Object> before = oursBefore.stream().filter(e -> same(e.get("parentRef"), ref)).findFirst().orElse(null);
      List<Object> conditions = new ArrayList<>();
      conditions.add(condition(v.parentAccepted().getOrDefault(i, v.accepted()), v.observedGeneration(), before, now));
      if (v.resolvedRefs() != null) {
        conditions.add(condition(v.resolvedRefs(), v.observedGeneration(), before, now));
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("parentRef", new LinkedHashMap<>((Map<String, Object>) ref));
      entry.put("controllerName", controller);
      entry.put("conditions", conditions);
      oursAfter.add(entry);
    }
    if (same(oursBefore, oursAfter)) {
      return null;
    }
    List<Object> parents = new ArrayList<>(others);
    parents.addAll(oursAfter);
    next.put("parents", parents);
    return next;
  }

  /** One condition; its lastTransitionTime is kept when the previous entry had it with the same status. */
  private static Map<String, Object> condition(Condition c, long generation, Map<String, Object> before, Instant now) {
    Object since = null;
    if (before != null && before.get("conditions") instanceof List<?> cs) {
      for (Object o : cs) {
        if (o instanceof Map<?, ?> m && c.type().equals(m.get("type")) && c.status().equals(m.get("status"))) {
          since = m.get("lastTransitionTime");
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", c.type());
    out.put("status", c.status());
    out.put("reason", reason(c));
    String message = c.message() == null ? "" : c.message();
    out.put("message", message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message);
    out.put("observedGeneration", generation);
    out.put("lastTransitionTime", since != null ? since : now.truncatedTo(ChronoUnit.SECONDS).toString());
    return out;
  }

  /**
   * Gateway API's reason for a condition: {@code Accepted} / {@code ResolvedRefs} when True;
   * {@code UnsupportedValue} for what we do not serve; otherwise ours, which for these two
   * conditions are the API's own ({@code NoMatchingParent}, {@code BackendNotFound}, {@code
   * RefNotPermitted}, {@code InvalidKind}) or an implementation-specific one ({@code InvalidSpec}).
   */
  static String reason(Condition c) {
    if (c.isTrue()) {
      return c.type();
    }
    return c.reason() == Reason.Unsupported ? "UnsupportedValue" : c.reason().name();
  }

  /** Deep equality of JSON values, numbers by value (the API gives back Integers where we wrote Longs). */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.longValue() == y.longValue() && x.doubleValue() == y.doubleValue();
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }
}
