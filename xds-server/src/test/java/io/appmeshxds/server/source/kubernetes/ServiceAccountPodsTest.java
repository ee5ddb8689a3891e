package io.appmeshxds.server.source.kubernetes;

import static io.appmeshxds.server.grpc.ProxyAuthorization.PodEvidence.MATCH;
import static io.appmeshxds.server.grpc.ProxyAuthorization.PodEvidence.NO_MATCH;
import static io.appmeshxds.server.grpc.ProxyAuthorization.PodEvidence.NO_SELECTOR;
import static io.appmeshxds.server.grpc.ProxyAuthorization.PodEvidence.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.grpc.ProxyAuthorization;
import io.appmeshxds.server.grpc.ProxyAuthorization.PodEvidence;
import io.appmeshxds.translator.api.LabelSelector;
import io.appmeshxds.translator.api.LabelSelector.Operator;
import io.appmeshxds.translator.api.LabelSelector.Requirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pod index and the podSelector rule proxy authorization applies with it: matchLabels and every
 * matchExpressions operator, an empty selector (every pod) and an absent one (no pod, App Mesh's
 * rule), only pods of the proxy's service account and namespace, only running ones, and unknown
 * until listed or outside the watched namespace.
 */
class ServiceAccountPodsTest {

  static Pod pod(String ns, String name, String sa, Map<String, String> labels, String phase, boolean deleting) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
        .withDeletionTimestamp(deleting ? "2026-12-01T00:00:00Z" : null).endMetadata()
        .withNewSpec().withServiceAccountName(sa).endSpec().withNewStatus().withPhase(phase).endStatus().build();
  }

  static Pod running(String name, String sa, Map<String, String> labels) {
    return pod("demo", name, sa, labels, "Running", false);
  }

  static PodEvidence evidence(ServiceAccountPods pods, LabelSelector sel, String sa) {
    return ProxyAuthorization.podEvidence(sel, pods::anyRunning, "demo", sa);
  }

  static LabelSelector expr(String key, Operator op, String... values) {
    return new LabelSelector(Map.of(), List.of(new Requirement(key, op, List.of(values))));
  }

  @Test
  void selectorsMatchTheRunningPodsOfTheServiceAccount() {
    ServiceAccountPods pods = new ServiceAccountPods(null);
    pods.apply(running("web-1", "web", Map.of("app", "web", "version", "v2")));
    pods.apply(running("db-1", "db", Map.of("app", "db")));
    pods.apply(pod("other", "web-x", "web", Map.of("app", "web"), "Running", false));
    pods.listedForTest();

    assertThat(evidence(pods, LabelSelector.matching(Map.of("app", "web")), "web")).isEqualTo(MATCH);
    assertThat(evidence(pods, LabelSelector.matching(Map.of("app", "web", "version", "v2")), "web")).isEqualTo(MATCH);
    assertThat(evidence(pods, LabelSelector.matching(Map.of("app", "web", "version", "v1")), "web")).isEqualTo(NO_MATCH);
    // Another service account running a pod the selector does not select, or none in this namespace.
    assertThat(evidence(pods, LabelSelector.matching(Map.of("app", "web")), "db")).isEqualTo(NO_MATCH);
    assertThat(evidence(pods, LabelSelector.matching(Map.of("app", "web")), "nobody")).isEqualTo(NO_MATCH);
    assertThat(ProxyAuthorization.podEvidence(LabelSelector.matching(Map.of("app", "db")), pods::anyRunning, "other", "db"))
        .as("db runs no pod in namespace other").isEqualTo(NO_MATCH);

    assertThat(evidence(pods, expr("version", Operator.In, "v1", "v2"), "web")).isEqualTo(MATCH);
    assertThat(evidence(pods, expr("version", Operator.In, "v1"), "web")).isEqualTo(NO_MATCH);
    assertThat(evidence(pods, expr("version", Operator.NotIn, "v1"), "web")).isEqualTo(MATCH);
    assertThat(evidence(pods, expr("version", Operator.NotIn, "v2"), "web")).isEqualTo(NO_MATCH);
    assertThat(evidence(pods, expr("version", Operator.Exists), "web")).isEqualTo(MATCH);
    assertThat(evidence(pods, expr("version", Operator.Exists), "db")).isEqualTo(NO_MATCH);
    assertThat(evidence(pods, expr("version", Operator.DoesNotExist), "db")).isEqualTo(MATCH);
    assertThat(evidence(pods, expr("version", Operator.DoesNotExist), "web")).isEqualTo(NO_MATCH);
    // matchLabels and matchExpressions together: both must hold.
    assertThat(evidence(pods, new LabelSelector(Map.of("app", "web"), List.of(new Requirement("version", Operator.In,
        List.of("v3")))), "web")).isEqualTo(NO_MATCH);

    // Present but empty selects every pod of the namespace; absent selects none.
    assertThat(evidence(pods, new LabelSelector(null, null), "db")).isEqualTo(MATCH);
    assertThat(evidence(pods, new LabelSelector(null, null), "nobody")).isEqualTo(NO_MATCH);
    assertThat(evidence(pods, null, "web")).isEqualTo(NO_SELECTOR);
  }

  @Test
  void onlyRunningPodsCountAndChangesApply() {
    ServiceAccountPods pods = new ServiceAccountPods(null);
    pods.listedForTest();
    LabelSelector web = LabelSelector.matching(Map.of("app", "web"));
    pods.apply(pod("demo", "web-1", "web", Map.of("app", "web"), "Pending", false));
    assertThat(evidence(pods, web, "web")).as("pending: its proxy may already be starting").isEqualTo(MATCH);
    pods.apply(pod("demo", "web-1", "web", Map.of("app", "web"), "Running", true));
    assertThat(evidence(pods, web, "web")).as("deleting").isEqualTo(NO_MATCH);
    assertThat(pods.size()).isZero();
    pods.apply(running("web-1", "web", Map.of("app", "web")));
    assertThat(evidence(pods, web, "web")).isEqualTo(MATCH);
    pods.apply(pod("demo", "web-1", "web", Map.of("app", "web"), "Succeeded", false));
    assertThat(evidence(pods, web, "web")).as("finished").isEqualTo(NO_MATCH);
    pods.apply(running("web-1", "web", Map.of("app", "web")));
    pods.apply(pod("demo", "web-1", "web", Map.of("app", "web"), "Failed", false));
    assertThat(evidence(pods, web, "web")).as("failed").isEqualTo(NO_MATCH);
    pods.apply(running("web-1", "web", Map.of("app", "web")));
    pods.apply(running("web-1", "web", Map.of("app", "relabelled")));
    assertThat(evidence(pods, web, "web")).as("relabelled").isEqualTo(NO_MATCH);
    assertThat(pods.size()).isEqualTo(1);
    // A label without value (no API server sends one) is dropped, not thrown on.
    Map<String, String> odd = new java.util.HashMap<>(Map.of("app", "web"));
    odd.put("broken", null);
    pods.apply(running("web-2", "web", odd));
    assertThat(evidence(pods, web, "web")).isEqualTo(MATCH);
    assertThat(evidence(pods, expr("broken", Operator.Exists), "web")).isEqualTo(NO_MATCH);
  }

  @Test
  void unknownUntilListedOutsideTheWatchedNamespaceAndWithoutAnIndex() {
    ServiceAccountPods pods = new ServiceAccountPods("demo");
    pods.apply(running("web-1", "web", Map.of("app", "web")));
    LabelSelector web = LabelSelector.matching(Map.of("app", "web"));
    assertThat(evidence(pods, web, "web")).as("not listed yet").isEqualTo(UNKNOWN);
    assertThat(evidence(pods, null, "web")).as("not listed yet, no selector").isEqualTo(UNKNOWN);
    pods.listedForTest();
    assertThat(evidence(pods, web, "web")).isEqualTo(MATCH);
    assertThat(ProxyAuthorization.podEvidence(web, pods::anyRunning, "other", "web")).as("not watched").isEqualTo(UNKNOWN);
    assertThat(ProxyAuthorization.podEvidence(web, null, "demo", "web")).as("no pod index").isEqualTo(UNKNOWN);
  }

  /**
   * The memory the class comment states: 60,000 running pods of 600 ReplicaSets (one label set
   * each) in 30 namespaces under 300 service accounts cost less than 250 bytes a pod once their
   * Pod objects are gone.
   */
  @Test
  void aRunningPodCostsLessThan250Bytes() {
    var heap = ManagementFactory.getMemoryMXBean();
    ServiceAccountPods pods = new ServiceAccountPods(null);
    long before = usedAfterGc(heap);
    int n = 60_000;
    for (int i = 0; i < n; i++) {
      int rs = i % 600;
      pods.apply(pod("ns-" + rs % 30, "app-" + rs + "-5d9c8b6f7d-" + Integer.toString(i, 36), "sa-" + rs / 2,
          Map.of("app", "app-" + rs, "pod-template-hash", "5d9c8b6f7d", "version", "v1"), "Running", false));
    }
    long after = usedAfterGc(heap);
    assertThat(pods.size()).isEqualTo(n);
    double perPod = (after - before) / (double) n;
    System.out.printf("pod index: %d running pods, %.0f bytes each%n", n, perPod);
    assertThat(perPod).isLessThan(250);
  }

  static long usedAfterGc(java.lang.management.MemoryMXBean heap) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, heap.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
