package io.appmeshxds.server.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.testing.FakeCloudMap;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.MutableClock;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.MeshModel;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod registration against a loopback Cloud Map (the real SDK client) and fabric8's mock API server
 * (CRUD mode), one pass at a time on a clock the test moves: ready pods registered with the App
 * Mesh controller's attribute keys, the readiness gate set, pods gone deregistered, instances of
 * pods that vanished while nobody registered cleaned up on start, a missing service created as the
 * controller did, throttling retried without losing work, nothing called when nothing changed.
 */
class CloudMapRegistrarTest {
  static final String MESH = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: apps, labels: {mesh: m}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata: {name: m}
      spec: {namespaceSelector: {matchLabels: {mesh: m}}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: color, namespace: apps, uid: 6b1c1c8e-0000-4000-8000-00000000c010}
      spec:
        podSelector: {matchLabels: {app: color}}
        listeners: [{portMapping: {port: 8080, protocol: http}}, {portMapping: {port: 9090, protocol: grpc}}]
        serviceDiscovery:
          awsCloudMap: {namespaceName: apps.local, serviceName: color, attributes: [{key: version, value: v1}]}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: other, namespace: apps, uid: 6b1c1c8e-0000-4000-8000-0000000000e7}
      spec:
        podSelector: {matchLabels: {app: other}}
        listeners: [{portMapping: {port: 7000, protocol: http}}]
        serviceDiscovery:
          awsCloudMap: {namespaceName: apps.local, serviceName: other}
      """;

  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  MockApi api;
  KubernetesClient client;
  FakeCloudMap cloudMap;
  FakeCloudMap.Namespace ns;
  FakeCloudMap.Service color;
  MutableClock clock = new MutableClock(T0);
  PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  List<AutoCloseable> closing = new ArrayList<>();
  MeshModel model;

  @BeforeEach
  void start() throws Exception {
    api = new MockApi();
    client = api.newClient();
    cloudMap = new FakeCloudMap();
    ns = cloudMap.namespace("apps.local", "HTTP");
    color = cloudMap.service(ns, "color", false);
    model = Pipelines.standard().modelBuilder().build(MeshResources.of(new ManifestLoader().loadText("mesh.yaml", MESH))).model();
    api.admin().nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a")
        .addToLabels("topology.kubernetes.io/region", "us-west-2").addToLabels("topology.kubernetes.io/zone", "us-west-2a")
        .endMetadata().build()).create();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    client.close();
    cloudMap.close();
    api.close();
  }

  private CloudMapRegistrar registrar(CloudMapConfig config) {
    CloudMapSetup setup = cloudMap.setup(config, clock, false, "AKIDREGISTRAR");
    CloudMapRegistrar r = new CloudMapRegistrar(client, setup, () -> model, metrics);
    closing.add(0, setup);
    closing.add(0, r);
    r.leader(true);
    // Why wait for the watch: the mock API does not replay events from a list's resourceVersion,
    // so a pod change between the list and the watch would be lost (a real API server replays it).
    try {
      Await.until(() -> {
        r.runOnce();
        return r.watchingPods("apps");
      }, 20_000);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return r;
  }

  private static CloudMapConfig config(int gateDelaySeconds) {
    return new CloudMapConfig(null, null, null, null, null,
        new CloudMapConfig.Registration(null, null, null, null, null, null, gateDelaySeconds));
  }

  private Pod pod(String name, String app, String ip, boolean ready, boolean gate) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("apps").addToLabels("app", app)
        .addToLabels("pod-template-hash", "5d96c9bfb6").endMetadata()
        .withNewSpec().withNodeName("node-a").addNewContainer().withName("app").withImage("app").endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip)
        .addNewCondition().withType("ContainersReady").withStatus(ready ? "True" : "False").endCondition()
        .endStatus();
    if (gate) {
      b.editSpec().addNewReadinessGate().withConditionType(PodWatch.READINESS_GATE).endReadinessGate().endSpec();
    }
    return api.admin().pods().inNamespace("apps").resource(b.build()).create();
  }

  private void setReady(String name, boolean ready) {
    api.admin().pods().inNamespace("apps").withName(name).editStatus(p -> {
      p.getStatus().getConditions().stream().filter(c -> c.getType().equals("ContainersReady"))
          .forEach(c -> c.setStatus(ready ? "True" : "False"));
      return p;
    });
  }

  private String gate(String name) {
    Pod p = api.admin().pods().inNamespace("apps").withName(name).get();
    return p.getStatus().getConditions().stream().filter(c -> c.getType().equals(PodWatch.READINESS_GATE))
        .map(PodCondition::getStatus).findFirst().orElse(null);
  }

  /** Passes until {@code done} holds (pod events reach the registrar through its informers, asynchronously). */
  private static void passUntil(CloudMapRegistrar r, java.util.function.BooleanSupplier done) throws InterruptedException {
    Await.until(() -> {
      r.runOnce();
      return done.getAsBoolean();
    }, 20_000);
  }

  private List<String> registered(FakeCloudMap.Service s) {
    return new ArrayList<>(cloudMap.instances(s).keySet());
  }

  @Test
  void readyPodsAreRegisteredWithTheControllersAttributesAndTheirGateSetAndGonePodsDeregistered() throws Exception {
    // Left in Cloud Map: a pod of this node that went away while nobody registered, one of another
    // node of the service, one registered by something else: only the first is ours to remove.
    cloudMap.put(color, "10.0.9.9", Map.of("AWS_INSTANCE_IPV4", "10.0.9.9", "appmesh.k8s.aws/mesh", "m",
        "appmesh.k8s.aws/virtualNode", "color_apps"));
    cloudMap.put(color, "10.0.8.8", Map.of("AWS_INSTANCE_IPV4", "10.0.8.8", "appmesh.k8s.aws/mesh", "m",
        "appmesh.k8s.aws/virtualNode", "color-canary_apps"));
    cloudMap.put(color, "10.0.7.7", Map.of("AWS_INSTANCE_IPV4", "10.0.7.7"));
    pod("color-1", "color", "10.0.0.11", true, true);
    pod("color-2", "color", "10.0.0.12", false, true);
    pod("other-1", "other", "10.0.0.21", true, false);
    CloudMapRegistrar r = registrar(config(20));

    passUntil(r, () -> registered(color).equals(List.of("10.0.0.11", "10.0.7.7", "10.0.8.8"))
        && cloudMap.service("apps.local", "other") != null
        && registered(cloudMap.service("apps.local", "other")).equals(List.of("10.0.0.21")));

    Map<String, String> attrs = new TreeMap<>(cloudMap.instances(color).get("10.0.0.11").attributes());
    assertThat(attrs).as("the App Mesh controller's attribute keys").isEqualTo(new TreeMap<>(Map.ofEntries(
        Map.entry("app", "color"), Map.entry("pod-template-hash", "5d96c9bfb6"), Map.entry("version", "v1"),
        Map.entry("AWS_INSTANCE_IPV4", "10.0.0.11"), Map.entry("AWS_INSTANCE_PORT", "8080"),
        Map.entry("k8s.io/pod", "color-1"), Map.entry("k8s.io/namespace", "apps"),
        Map.entry("appmesh.k8s.aws/mesh", "m"), Map.entry("appmesh.k8s.aws/virtualNode", "color_apps"),
        Map.entry("REGION", "us-west-2"), Map.entry("AVAILABILITY_ZONE", "us-west-2a"),
        Map.entry("AWS_INIT_HEALTH_STATUS", "HEALTHY"))));
    assertThat(cloudMap.calls("DeregisterInstance")).extracting(c -> c.body().get("InstanceId").asString())
        .as("only the stale instance of this node's subset").containsExactly("10.0.9.9");
    FakeCloudMap.Call create = cloudMap.calls("CreateService").get(0);
    assertThat(create.body().get("Name").asString()).isEqualTo("other");
    assertThat(create.body().get("CreatorRequestId").asString()).as("the VirtualNode's uid, as the controller did")
        .isEqualTo("6b1c1c8e-0000-4000-8000-0000000000e7");
    assertThat(create.body().has("DnsConfig")).as("an HTTP namespace has no DNS").isFalse();
    assertThat(cloudMap.calls("GetOperation")).as("each operation followed to SUCCESS").hasSize(3);
    assertThat(cloudMap.calls()).allMatch(c -> "AKIDREGISTRAR".equals(c.accessKeyId()));

    // The readiness gate: True readinessGateDelaySeconds after registration, only on pods that declare it.
    assertThat(gate("color-1")).isNull();
    clock.advance(Duration.ofSeconds(19));
    r.runOnce();
    assertThat(gate("color-1")).isNull();
    clock.advance(Duration.ofSeconds(1));
    r.runOnce();
    Await.until(() -> "True".equals(gate("color-1")), 10_000);
    assertThat(gate("other-1")).as("it declares no gate").isNull();
    assertThat(gate("color-2")).as("not registered").isNull();

    // Nothing changed: nothing is called.
    cloudMap.clearCalls();
    r.runOnce();
    r.runOnce();
    assertThat(cloudMap.calls()).isEmpty();
    assertThat(r.pending()).isZero();

    // A pod becomes ready, another is deleted.
    setReady("color-2", true);
    api.admin().pods().inNamespace("apps").withName("color-1").delete();
    passUntil(r, () -> registered(color).equals(List.of("10.0.0.12", "10.0.7.7", "10.0.8.8")));
    assertThat(cloudMap.calls("RegisterInstance")).extracting(c -> c.body().get("InstanceId").asString()).containsExactly("10.0.0.12");
    assertThat(cloudMap.calls("DeregisterInstance")).extracting(c -> c.body().get("InstanceId").asString()).containsExactly("10.0.0.11");

    // A ready pod stops being ready: no longer an instance (no custom health check here).
    setReady("color-2", false);
    passUntil(r, () -> registered(color).equals(List.of("10.0.7.7", "10.0.8.8")));

    // Every resyncSeconds Cloud Map is listed again; an instance added behind our back is seen and removed.
    cloudMap.put(color, "10.0.9.10", Map.of("AWS_INSTANCE_IPV4", "10.0.9.10", "appmesh.k8s.aws/mesh", "m",
        "appmesh.k8s.aws/virtualNode", "color_apps"));
    cloudMap.clearCalls();
    r.runOnce();
    assertThat(cloudMap.calls()).as("before the resync Cloud Map is not asked again").isEmpty();
    clock.advance(Duration.ofSeconds(300));
    r.runOnce();
    assertThat(cloudMap.calls("ListInstances")).hasSize(2); // one per service
    assertThat(registered(color)).containsExactly("10.0.7.7", "10.0.8.8");
  }

  @Test
  void aRestartCleansUpTheInstanceOfAPodThatVanishedMeanwhile() throws Exception {
    pod("color-1", "color", "10.0.0.11", true, false);
    pod("color-2", "color", "10.0.0.12", true, false);
    CloudMapRegistrar first = registrar(config(0));
    passUntil(first, () -> registered(color).equals(List.of("10.0.0.11", "10.0.0.12")));
    first.close();
    closing.remove(first);

    // Down: nobody registers while a pod goes away.
    api.admin().pods().inNamespace("apps").withName("color-2").delete();
    Await.until(() -> api.admin().pods().inNamespace("apps").withName("color-2").get() == null, 10_000);
    cloudMap.clearCalls();

    CloudMapRegistrar second = registrar(config(0));
    passUntil(second, () -> registered(color).equals(List.of("10.0.0.11")));
    assertThat(cloudMap.calls("DeregisterInstance")).extracting(c -> c.body().get("InstanceId").asString()).containsExactly("10.0.0.12");
    assertThat(cloudMap.calls("RegisterInstance")).as("the live pod's instance is already right").isEmpty();
  }

  @Test
  void throttlingIsRetriedWithBackoffWithoutLosingWork() throws Exception {
    cloudMap.put(color, "10.0.9.9", Map.of("AWS_INSTANCE_IPV4", "10.0.9.9", "appmesh.k8s.aws/mesh", "m",
        "appmesh.k8s.aws/virtualNode", "color_apps"));
    cloudMap.failNext("RegisterInstance", 2, b -> true, FakeCloudMap.Reply.error(400, "ThrottlingException", "Rate exceeded"));
    cloudMap.failNext("DeregisterInstance", 1, b -> true, FakeCloudMap.Reply.error(400, "RequestLimitExceeded", "Request limit exceeded"));
    pod("color-1", "color", "10.0.0.11", true, false);
    pod("color-2", "color", "10.0.0.12", true, false);
    pod("color-3", "color", "10.0.0.13", true, false);
    CloudMapRegistrar r = registrar(config(0));
    passUntil(r, () -> cloudMap.calls("RegisterInstance").size() >= 3 && cloudMap.calls("DeregisterInstance").size() >= 1);
    assertThat(registered(color)).as("two registrations and the deregistration were throttled")
        .containsExactly("10.0.0.13", "10.0.9.9");
    int calls = cloudMap.calls().size();
    r.runOnce();
    assertThat(cloudMap.calls()).as("not retried before the backoff").hasSize(calls);
    assertThat(r.pending()).isEqualTo(3);

    clock.advance(Duration.ofSeconds(1));
    r.runOnce();
    assertThat(registered(color)).as("retried after 1 s; nothing lost").containsExactly("10.0.0.11", "10.0.0.12", "10.0.0.13");
    r.runOnce();
    assertThat(r.pending()).isZero();
    assertThat(cloudMap.calls("RegisterInstance")).hasSize(5);
    assertThat(cloudMap.calls("DeregisterInstance")).hasSize(2);
    assertThat(metrics.scrape())
        .contains("appmeshxds_cloudmap_registration_calls_total{operation=\"RegisterInstance\",outcome=\"ThrottlingException\"} 2.0")
        .contains("appmeshxds_cloudmap_registration_calls_total{operation=\"DeregisterInstance\",outcome=\"RequestLimitExceeded\"} 1.0");
  }

  @Test
  void callsThatChangeCloudMapArePacedByCallsPerSecondAndNothingIsLost() throws Exception {
    // 50 ready pods to register and 5 stale instances of the node's subset to deregister, at 1 call
    // a second: a burst of 20 (RateLimiter.BURST_SECONDS' worth) at once, then one a second on the
    // injected clock; every call that changes Cloud Map is stamped with that clock as the loopback
    // Cloud Map receives it.
    int pods = 50;
    int stale = 5;
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      ips.add("10.0.1." + (100 + i));
      pod("color-" + i, "color", ips.get(i), true, false);
    }
    List<String> staleIds = new ArrayList<>();
    for (int i = 0; i < stale; i++) {
      staleIds.add("10.0.9." + (100 + i));
      cloudMap.put(color, staleIds.get(i), Map.of("AWS_INSTANCE_IPV4", staleIds.get(i), "appmesh.k8s.aws/mesh", "m",
          "appmesh.k8s.aws/virtualNode", "color_apps"));
    }
    java.util.Set<String> changing = java.util.Set.of("RegisterInstance", "DeregisterInstance",
        "UpdateInstanceCustomHealthStatus", "CreateService");
    List<Instant> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    cloudMap.script = (op, body) -> {
      if (changing.contains(op)) {
        changes.add(clock.instant());
      }
      return null;
    };
    CloudMapRegistrar r = registrar(new CloudMapConfig(null, null, null, null, null,
        new CloudMapConfig.Registration(null, null, null, null, 1, null, 0)));
    int burst = RateLimiter.BURST_SECONDS;

    // The clock stands still: the burst is spent and nothing more is called, however many passes.
    passUntil(r, () -> changes.size() >= burst);
    for (int i = 0; i < 5; i++) {
      r.runOnce();
    }
    assertThat(changes).as("the burst at T0").hasSize(burst).containsOnly(T0);
    assertThat(r.pending()).as("the rest waits").isGreaterThanOrEqualTo(pods + stale - burst);

    // One second at a time: one more call each.
    for (int sec = 1; sec <= 120 && r.pending() > 0; sec++) {
      clock.advance(Duration.ofSeconds(1));
      for (int i = 0; i < 3; i++) {
        r.runOnce();
      }
      assertThat(changes).as("calls up to T0 + %d s", sec).hasSizeLessThanOrEqualTo(burst + sec);
    }
    assertThat(r.pending()).isZero();

    Map<Instant, Long> perInstant = new TreeMap<>(changes.stream().collect(
        java.util.stream.Collectors.groupingBy(t -> t, java.util.stream.Collectors.counting())));
    perInstant.forEach((t, n) -> {
      if (!t.equals(T0)) {
        assertThat(n).as("calls at %s", t).isEqualTo(1);
      }
    });
    assertThat(cloudMap.calls("CreateService")).as("service other, missing, created for its VirtualNode").hasSize(1);
    int total = changes.size();
    assertThat(total).as("50 registrations, 5 deregistrations, 1 service created: one bucket for all")
        .isEqualTo(pods + stale + 1);
    assertThat(changes.get(total - 1)).as("no token wasted: the last call one second per call after the burst")
        .isEqualTo(T0.plusSeconds(total - burst));

    // Nothing lost, nothing done twice.
    assertThat(registered(color)).containsExactlyInAnyOrderElementsOf(ips);
    assertThat(cloudMap.calls("RegisterInstance")).extracting(c -> c.body().get("InstanceId").asString())
        .containsExactlyInAnyOrderElementsOf(ips);
    assertThat(cloudMap.calls("DeregisterInstance")).extracting(c -> c.body().get("InstanceId").asString())
        .containsExactlyInAnyOrderElementsOf(staleIds);
    assertThat(metrics.scrape())
        .contains("appmeshxds_cloudmap_registration_calls_total{operation=\"RegisterInstance\",outcome=\"success\"} 50.0");
  }

  @Test
  void customHealthCheckServicesKeepANotReadyPodAsUnhealthy() throws Exception {
    FakeCloudMap.Service checked = cloudMap.service(ns, "other", true);
    pod("other-1", "other", "10.0.0.21", true, false);
    CloudMapRegistrar r = registrar(config(0));
    passUntil(r, () -> cloudMap.instances(checked).containsKey("10.0.0.21"));
    assertThat(cloudMap.instances(checked).get("10.0.0.21").health()).isEqualTo("HEALTHY");

    setReady("other-1", false);
    passUntil(r, () -> "UNHEALTHY".equals(cloudMap.instances(checked).get("10.0.0.21").health()));
    assertThat(cloudMap.calls("DeregisterInstance")).isEmpty();
    setReady("other-1", true);
    passUntil(r, () -> "HEALTHY".equals(cloudMap.instances(checked).get("10.0.0.21").health()));
    assertThat(cloudMap.calls("UpdateInstanceCustomHealthStatus")).extracting(c -> c.body().get("Status").asString())
        .containsExactly("UNHEALTHY", "HEALTHY");
  }

  @Test
  void withoutTheLeaseNothingIsCalled() throws Exception {
    CloudMapRegistrar r = registrar(config(0));
    r.leader(false);
    cloudMap.clearCalls();
    pod("color-1", "color", "10.0.0.11", true, false);
    assertThat(r.runOnce()).isNull();
    assertThat(r.runOnce()).isNull();
    assertThat(cloudMap.calls()).isEmpty();
    assertThat(r.watchingPods("apps")).as("pods are watched only while leading").isFalse();
    r.leader(true);
    passUntil(r, () -> registered(color).equals(List.of("10.0.0.11")));
  }
}
