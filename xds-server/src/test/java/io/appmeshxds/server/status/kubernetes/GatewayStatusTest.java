package io.appmeshxds.server.status.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ListenerStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gateway's {@code status.conditions} and {@code status.listeners[]}: what is written, kept, and when nothing is. */
class GatewayStatusTest {
  static final Instant T1 = Instant.parse("2025-01-01T00:00:00.5Z");
  static final Instant T2 = Instant.parse("2025-02-01T00:00:00Z");
  static final Condition ACCEPTED = new Condition("Accepted", "True", Reason.ListenersNotValid, "served (listeners http)");
  static final Condition PROGRAMMED = new Condition("Programmed", "True", Reason.Programmed, "served to Envoy node id x");

  static ListenerStatus http(int routes) {
    return new ListenerStatus("http", List.of("HTTPRoute"), routes, List.of(
        new Condition("Accepted", "True", Reason.Accepted, "served on port 8080"),
        new Condition("Programmed", "True", Reason.Programmed, ""),
        new Condition("ResolvedRefs", "True", Reason.Accepted, ""),
        new Condition("Conflicted", "False", Reason.NoConflicts, "")));
  }

  static GatewayStatus.Verdict verdict(long generation, int routes) {
    return new GatewayStatus.Verdict(List.of(ACCEPTED, PROGRAMMED), List.of(http(routes)), generation);
  }

  @Test
  @SuppressWarnings("unchecked")
  void conditionsAndListenersInGatewayApisShape() {
    // The CRD's default status (Unknown, Pending) and another controller's condition type.
    Map<String, Object> defaults = Map.of("conditions", List.of(
        Map.of("type", "Accepted", "status", "Unknown", "reason", "Pending", "message", "Waiting for controller",
            "lastTransitionTime", "1970-01-01T00:00:00Z"),
        Map.of("type", "example.net/Audited", "status", "True", "reason", "Audited", "message", "",
            "lastTransitionTime", "1970-01-01T00:00:00Z")),
        "addresses", List.of(Map.of("type", "IPAddress", "value", "10.0.0.1")));
    Map<String, Object> s = GatewayStatus.updated(defaults, verdict(4, 2), T1);
    List<Map<String, Object>> cs = (List<Map<String, Object>>) s.get("conditions");
    assertThat(cs).extracting(c -> c.get("type")).containsExactly("Accepted", "example.net/Audited", "Programmed");
    assertThat(cs.get(0)).containsEntry("status", "True").containsEntry("reason", "ListenersNotValid")
        .containsEntry("observedGeneration", 4L).containsEntry("lastTransitionTime", "2025-01-01T00:00:00Z");
    assertThat(cs.get(1)).isEqualTo(defaults.get("conditions") instanceof List<?> l ? l.get(1) : null);
    assertThat(cs.get(2)).containsEntry("reason", "Programmed");
    assertThat(s.get("addresses")).as("not ours: kept").isEqualTo(defaults.get("addresses"));
    Map<String, Object> l = ((List<Map<String, Object>>) s.get("listeners")).get(0);
    assertThat(l).containsEntry("name", "http").containsEntry("attachedRoutes", 2L);
    assertThat((List<Object>) l.get("supportedKinds")).containsExactly(Map.of("group", "gateway.networking.k8s.io", "kind", "HTTPRoute"));
    assertThat((List<Map<String, Object>>) l.get("conditions")).extracting(c -> c.get("type") + "/" + c.get("reason"))
        .containsExactly("Accepted/Accepted", "Programmed/Programmed", "ResolvedRefs/ResolvedRefs", "Conflicted/NoConflicts");
  }

  @Test
  @SuppressWarnings("unchecked")
  void unchangedIsNullAndTransitionTimesStayWhileTheStatusDoes() {
    Map<String, Object> s = reparse(GatewayStatus.updated(null, verdict(1, 2), T1));
    assertThat(GatewayStatus.updated(s, verdict(1, 2), T2)).as("same: no write").isNull();
    // One more route: the count changes, the times do not.
    Map<String, Object> more = GatewayStatus.updated(s, verdict(2, 3), T2);
    Map<String, Object> l = ((List<Map<String, Object>>) more.get("listeners")).get(0);
    assertThat(l).containsEntry("attachedRoutes", 3L);
    assertThat(((List<Map<String, Object>>) l.get("conditions")).get(0)).containsEntry("lastTransitionTime", "2025-01-01T00:00:00Z")
        .containsEntry("observedGeneration", 2L);
    // Not programmed any more: a new transition time for Programmed only.
    GatewayStatus.Verdict down = new GatewayStatus.Verdict(List.of(
        new Condition("Accepted", "False", Reason.NameConflict, "VirtualGateway web/ingress exists"),
        new Condition("Programmed", "False", Reason.Invalid, "not served")), List.of(), 3);
    Map<String, Object> flipped = GatewayStatus.updated(reparse(more), down, T2);
    List<Map<String, Object>> cs = (List<Map<String, Object>>) flipped.get("conditions");
    assertThat(cs.get(0)).containsEntry("reason", "NameConflict").containsEntry("lastTransitionTime", "2025-02-01T00:00:00Z");
    assertThat((List<?>) flipped.get("listeners")).isEmpty();
  }

  @Test
  void aStatusWrittenForANewerGenerationIsNotOverwritten() {
    Map<String, Object> newer = reparse(GatewayStatus.updated(null, verdict(5, 1), T1));
    assertThat(GatewayStatus.updated(newer, verdict(4, 2), T2)).isNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aGatewayClassHasConditionsAndNoListeners() {
    GatewayStatus.Verdict v = new GatewayStatus.Verdict(List.of(new Condition("Accepted", "True", Reason.Accepted, "ours")),
        null, 1);
    Map<String, Object> s = GatewayStatus.updated(Map.of(), v, T1);
    assertThat(s).doesNotContainKey("listeners");
    assertThat(((List<Map<String, Object>>) s.get("conditions")).get(0)).containsEntry("reason", "Accepted");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> reparse(Map<String, Object> m) {
    var json = io.appmeshxds.translator.input.Json.JSON;
    return json.readValue(json.writeValueAsString(m), LinkedHashMap.class);
  }
}
