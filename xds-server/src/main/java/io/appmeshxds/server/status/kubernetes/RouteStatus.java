package io.appmeshxds.server.status.kubernetes;

import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.input.Reason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Gateway API route's {@code status.parents[]} as the spec defines it: one entry per parentRef
 * we implement, each with {@code parentRef} (a copy of the spec's entry), {@code controllerName}
 * and the conditions {@code Accepted} and {@code ResolvedRefs} ({@code type, status, reason,
 * message, observedGeneration, lastTransitionTime}). Core Service parents (GAMMA) are the mesh
 * controller's ({@code --gateway-controller-name}); parents that are Gateways of our GatewayClass
 * are the Gateway controller's ({@link GatewayApi#GATEWAY_CONTROLLER}). Entries of other
 * controllers are kept as they are; ours for parents no longer in the spec are removed. Pure: the
 * writer gives the current object's status and spec and the time.
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
   * @param gatewayParents parentRefs indexes that are Gateways of ours
   */
  record Verdict(Condition accepted, Condition resolvedRefs, Map<Integer, Condition> parentAccepted,
      long observedGeneration, Set<Integer> gatewayParents) {
    Verdict {
      parentAccepted = Map.copyOf(parentAccepted);
      gatewayParents = Set.copyOf(gatewayParents);
    }

    /** Without Gateway parents. */
    Verdict(Condition accepted, Condition resolvedRefs, Map<Integer, Condition> parentAccepted, long observedGeneration) {
      this(accepted, resolvedRefs, parentAccepted, observedGeneration, Set.of());
    }

    Verdict withGeneration(long generation) {
      return new Verdict(accepted, resolvedRefs, parentAccepted, generation, gatewayParents);
    }
  }

  /** Whether a spec parentRef is one we implement: a core Service (GAMMA). */
  static boolean ours(Map<?, ?> parentRef) {
    Object group = parentRef.get("group");
    Object kind = parentRef.get("kind");
    return "Service".equals(kind) && ("".equals(group) || "core".equals(group));
  }

  /** Whether a spec parentRef names a Gateway (kind and group default to Gateway API's Gateway). */
  static boolean gateway(Map<?, ?> parentRef) {
    Object group = parentRef.get("group");
    Object kind = parentRef.get("kind");
    return (kind == null || "Gateway".equals(kind)) && (group == null || GatewayApi.GROUP.equals(group));
  }

  /** As {@link #updated(Map, List, Verdict, String, String, Instant)} with Service parents only. */
  static Map<String, Object> updated(Map<String, Object> status, List<?> parentRefs, Verdict v, String controller,
      Instant now) {
    return updated(status, parentRefs, v, controller, GatewayApi.GATEWAY_CONTROLLER, now);
  }

  /**
   * The new status map, or null when the current one already says the same.
   *
   * @param status the object's current status (null: none)
   * @param parentRefs the object's current {@code spec.parentRefs}
   * @param meshController the controller name of Service parents' entries
   * @param gatewayController the controller name of entries for Gateways of ours ({@link Verdict#gatewayParents})
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> updated(Map<String, Object> status, List<?> parentRefs, Verdict v, String meshController,
      String gatewayController, Instant now) {
    Map<String, Object> next = status == null ? new LinkedHashMap<>() : new LinkedHashMap<>(status);
    List<Object> existing = next.get("parents") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
    List<Object> others = new ArrayList<>();
    List<Map<String, Object>> oursBefore = new ArrayList<>();
    for (Object e : existing) {
      if (e instanceof Map<?, ?> m && (meshController.equals(m.get("controllerName"))
          || gatewayController.equals(m.get("controllerName")))) {
        oursBefore.add((Map<String, Object>) m);
      } else {
        others.add(e);
      }
    }
    List<Map<String, Object>> oursAfter = new ArrayList<>();
    for (int i = 0; i < parentRefs.size(); i++) {
      if (!(parentRefs.get(i) instanceof Map<?, ?> ref)) {
        continue;
      }
      // The index is the judged generation's; the kind check keeps an entry off a parent edited since.
      String controller = ours(ref) ? meshController
          : v.gatewayParents().contains(i) && gateway(ref) ? gatewayController : null;
      if (controller == null) {
        continue;
      }
      if (oursAfter.stream().anyMatch(e -> controller.equals(e.get("controllerName")) && same(e.get("parentRef"), ref))) {
        continue; // the same parent twice: one entry
      }
      if (others.size() + oursAfter.size() >= MAX_PARENTS) {
        break;
      }
      Map<String, Object> before = oursBefore.stream()
          .filter(e -> controller.equals(e.get("controllerName")) && same(e.get("parentRef"), ref)).findFirst().orElse(null);
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
    return condition(c, generation, before != null && before.get("conditions") instanceof List<?> cs ? cs : null, now);
  }

  /**
   * One condition in Gateway API's shape ({@code metav1.Condition}); its lastTransitionTime is kept
   * when {@code before} (the conditions written last, or null) had it with the same status.
   */
  static Map<String, Object> condition(Condition c, long generation, List<?> before, Instant now) {
    Object since = null;
    if (before != null) {
      for (Object o : before) {
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
   * Gateway API's reason for a condition: the condition's type ({@code Accepted}, {@code
   * ResolvedRefs}, …) when True with our {@code Accepted}; {@code UnsupportedValue} for what we do
   * not serve; otherwise ours, which are the API's own ({@code NoMatchingParent}, {@code
   * NotAllowedByListeners}, {@code BackendNotFound}, {@code ListenersNotValid}, {@code
   * NoConflicts}, …) or an implementation-specific one ({@code InvalidSpec}, {@code NameConflict}).
   */
  static String reason(Condition c) {
    if (c.isTrue() && c.reason() == Reason.Accepted) {
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
