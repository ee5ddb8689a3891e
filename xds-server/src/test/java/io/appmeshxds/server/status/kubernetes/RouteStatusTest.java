package io.appmeshxds.server.status.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code status.parents[]} of a Gateway API route: what is written, kept, and when nothing is. */
class RouteStatusTest {
  static final String US = "appmesh-xds.io/mesh-controller";
  static final Instant T1 = Instant.parse("2025-01-01T00:00:00.123Z");
  static final Instant T2 = Instant.parse("2025-02-01T00:00:00Z");
  static final Map<String, Object> SERVICE = Map.of("group", "", "kind", "Service", "name", "podinfo", "port", 9898);
  static final Map<String, Object> GATEWAY = Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", "edge");
  static final Condition ACCEPTED = new Condition("Accepted", "True", Reason.Accepted, "attached to VirtualService podinfo.demo");
  static final Condition RESOLVED = new Condition("ResolvedRefs", "True", Reason.Accepted, "");

  static RouteStatus.Verdict ok(long generation) {
    return new RouteStatus.Verdict(ACCEPTED, RESOLVED, Map.of(), generation);
  }

  @Test
  void onlyServiceParentsGetOurEntryWithBothConditions() {
    Map<String, Object> s = RouteStatus.updated(null, List.of(GATEWAY, SERVICE), ok(3), US, T1);
    List<?> parents = (List<?>) s.get("parents");
    assertThat(parents).hasSize(1);
    Map<?, ?> entry = (Map<?, ?>) parents.get(0);
    assertThat(entry.get("controllerName")).isEqualTo(US);
    assertThat(entry.get("parentRef")).isEqualTo(SERVICE);
    List<?> cs = (List<?>) entry.get("conditions");
    assertThat((Map<String, Object>) cs.get(0)).containsEntry("type", "Accepted").containsEntry("status", "True")
        .containsEntry("reason", "Accepted").containsEntry("observedGeneration", 3L)
        .containsEntry("lastTransitionTime", "2025-01-01T00:00:00Z");
    assertThat((Map<String, Object>) cs.get(1)).containsEntry("type", "ResolvedRefs").containsEntry("reason", "ResolvedRefs");
  }

  @Test
  void unchangedIsNullEvenWithIntegersFromTheApi() {
    Map<String, Object> s = RouteStatus.updated(null, List.of(SERVICE), ok(3), US, T1);
    // What the API gives back: JSON numbers as Integers.
    Map<String, Object> back = reparse(s);
    assertThat(RouteStatus.updated(back, List.of(SERVICE), ok(3), US, T2)).isNull();
  }

  @Test
  void otherControllersEntriesStayAndTransitionTimesAreKept() {
    Map<String, Object> theirs = Map.of("parentRef", GATEWAY, "controllerName", "example.net/gw", "conditions", List.of());
    Map<String, Object> s = RouteStatus.updated(Map.of("parents", List.of(theirs)), List.of(GATEWAY, SERVICE), ok(3), US, T1);
    Map<String, Object> next = RouteStatus.updated(reparse(s), List.of(GATEWAY, SERVICE), ok(4), US, T2);
    List<?> parents = (List<?>) next.get("parents");
    assertThat(parents).hasSize(2);
    assertThat(parents.get(0)).isEqualTo(theirs);
    Map<?, ?> accepted = (Map<?, ?>) ((List<?>) ((Map<?, ?>) parents.get(1)).get("conditions")).get(0);
    assertThat(accepted.get("observedGeneration")).isEqualTo(4L);
    assertThat(accepted.get("lastTransitionTime")).isEqualTo("2025-01-01T00:00:00Z"); // still True
    // Flipped: a new transition time.
    RouteStatus.Verdict refused = new RouteStatus.Verdict(ACCEPTED,
        new Condition("ResolvedRefs", "False", Reason.RefNotPermitted, "no ReferenceGrant"), Map.of(), 5);
    Map<String, Object> flipped = RouteStatus.updated(reparse(next), List.of(GATEWAY, SERVICE), refused, US, T2);
    Map<?, ?> refs = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) flipped.get("parents")).get(1)).get("conditions")).get(1);
    assertThat(refs.get("reason")).isEqualTo("RefNotPermitted");
    assertThat(refs.get("lastTransitionTime")).isEqualTo("2025-02-01T00:00:00Z");
  }

  @Test
  void ourEntryForARemovedParentIsRemoved() {
    Map<String, Object> s = RouteStatus.updated(null, List.of(SERVICE), ok(1), US, T1);
    Map<String, Object> next = RouteStatus.updated(reparse(s), List.of(GATEWAY), ok(2), US, T1);
    assertThat((List<?>) next.get("parents")).isEmpty();
    assertThat(RouteStatus.updated(null, List.of(GATEWAY), ok(1), US, T1)).as("nothing of ours: no write").isNull();
  }

  @Test
  void aParentsOwnErrorMakesOnlyThatParentNotAccepted() {
    Map<String, Object> other = Map.of("group", "", "kind", "Service", "name", "nosuch");
    ObjectStatus st = new ObjectStatus(new ObjectRef("HTTPRoute", "demo", "r"), 2, ACCEPTED,
        List.of(Problem.error(Reason.NoMatchingParent, null, "spec.parentRefs[1]", "no VirtualService"),
            Problem.error(Reason.Unsupported, null, "spec.rules[0].filters[0]", "RequestMirror")), null, List.of(RESOLVED));
    RouteStatus.Verdict v = KubernetesStatusSink.verdict(st);
    Map<String, Object> s = RouteStatus.updated(null, List.of(SERVICE, other), v, US, T1);
    List<?> parents = (List<?>) s.get("parents");
    Map<?, ?> first = (Map<?, ?>) ((List<?>) ((Map<?, ?>) parents.get(0)).get("conditions")).get(0);
    Map<?, ?> second = (Map<?, ?>) ((List<?>) ((Map<?, ?>) parents.get(1)).get("conditions")).get(0);
    assertThat(first.get("status")).isEqualTo("True");
    assertThat(second.get("status")).isEqualTo("False");
    assertThat(second.get("reason")).isEqualTo("NoMatchingParent");
    assertThat((String) second.get("message")).contains("spec.parentRefs[1]: no VirtualService");
    // Unsupported, as the API names it.
    assertThat(RouteStatus.reason(new Condition("Accepted", "False", Reason.Unsupported, "x"))).isEqualTo("UnsupportedValue");
  }

  @Test
  @SuppressWarnings("unchecked")
  void gatewayParentsOfOursGetTheGatewayControllersEntryBesideTheMeshs() {
    String gw = "appmesh-xds.io/gateway-controller";
    Map<String, Object> theirs = Map.of("parentRef", GATEWAY, "controllerName", "example.net/gw", "conditions", List.of());
    Map<String, Object> other = Map.of("name", "edge-other", "kind", "Gateway");
    RouteStatus.Verdict v = new RouteStatus.Verdict(ACCEPTED, RESOLVED,
        Map.of(2, new Condition("Accepted", "False", Reason.NotAllowedByListeners, "no listener takes it")), 3,
        java.util.Set.of(0, 2));
    Map<String, Object> s = RouteStatus.updated(Map.of("parents", List.of(theirs)), List.of(GATEWAY, SERVICE, other), v,
        US, gw, T1);
    List<?> parents = (List<?>) s.get("parents");
    assertThat(parents).hasSize(4);
    assertThat(parents.get(0)).isEqualTo(theirs);
    Map<?, ?> ours = (Map<?, ?>) parents.get(1);
    assertThat(ours.get("controllerName")).isEqualTo(gw);
    assertThat(ours.get("parentRef")).isEqualTo(GATEWAY);
    assertThat(((Map<?, ?>) parents.get(2)).get("controllerName")).isEqualTo(US);
    Map<?, ?> refused = (Map<?, ?>) parents.get(3);
    assertThat(refused.get("controllerName")).isEqualTo(gw);
    assertThat(((Map<?, ?>) ((List<?>) refused.get("conditions")).get(0)).get("reason")).isEqualTo("NotAllowedByListeners");
    assertThat(RouteStatus.updated(reparse(s), List.of(GATEWAY, SERVICE, other), v, US, gw, T2)).isNull();
    // The Gateway is not ours any more: our entry for it goes, the other controller's stays.
    Map<String, Object> gone = RouteStatus.updated(reparse(s), List.of(GATEWAY, SERVICE, other), ok(3), US, gw, T2);
    assertThat((List<Object>) gone.get("parents")).hasSize(2).contains(theirs);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> reparse(Map<String, Object> m) {
    var json = io.appmeshxds.translator.input.Json.JSON;
    return json.readValue(json.writeValueAsString(m), LinkedHashMap.class);
  }
}
