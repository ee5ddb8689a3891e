package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.status.kubernetes.Leadership;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.translator.api.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --kubernetes} against fabric8's mock API in CRUD mode: the podinfo mesh is created
 * through the API (EndpointSlices point at real loopback backends), a grpc-java xDS client with the
 * load tester's identity calls the apex service, and every change is made with the client the way
 * Flagger makes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesModeTest {
  static final Map<String, String> NONE = Map.of();
  static final Map<String, String> CURL = Map.of("user-agent", "curl/8.5.0");

  @TempDir static Path dir;
  final Backend primary = new Backend("primary");
  final Backend canary = new Backend("canary");
  MockApi api;
  KubernetesClient client;
  KubernetesMode mode;
  XdsChannel apex;

  KubernetesModeTest() throws Exception {}

  @BeforeAll
  void start() throws Exception {
    api = new MockApi();
    new MeshFiles(dir, RunningMesh.backends(primary, canary));
    api.applyDir(dir);
    client = api.newClient();
    mode = KubernetesMode.start(client, Pipelines.standard(), ControlPlane.Settings.loopback(),
        new KubernetesMode.Settings(null, "appmesh-system", "replica-0",
            new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))));
    RunningMesh.await(() -> mode.controlPlane().reconciler().ready(), 30_000);
    apex = new XdsChannel(mode.controlPlane().xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898");
  }

  @AfterAll
  void stop() throws Exception {
    apex.close();
    mode.close();
    client.close();
    api.close();
    primary.close();
    canary.close();
  }

  @Test
  @Order(1)
  void objectsCreatedInTheApiRouteTheLoadTester() throws Exception {
    assertThat(mode.source().synced()).isTrue();
    awaitStable(NONE, "primary", 20);
    assertThat(apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));
    RunningMesh.await(() -> accepted(Kind.VirtualRouter, "podinfo"), 10_000);
    String metrics = mode.controlPlane().metrics().scrape();
    assertThat(metrics).contains("appmeshxds_leader 1.0", "appmeshxds_kubernetes_synced 1.0");
    assertThat(metrics).containsPattern("appmeshxds_status_writes_total [1-9]");
  }

  @Test
  @Order(2)
  void flaggerProgressiveSequenceThroughTheApi() throws Exception {
    api.routes("demo", "podinfo", Flagger.weights(0));
    awaitStable(NONE, "primary", 20);
    for (int w = 10; w <= 90; w += 20) {
      api.routes("demo", "podinfo", Flagger.weights(100)); // an unambiguous marker step …
      awaitStable(NONE, "canary", 20);
      api.routes("demo", "podinfo", Flagger.weights(w)); // … then the real step
      awaitRoute(NONE, "primary");
      int n = 400;
      int got = apex.tally(n, NONE).getOrDefault("canary", 0);
      // Binomial(n=400, p=w/100): sd = sqrt(400 p (1-p)) <= 10; accept mean ± 45 (>= 4.5 sd).
      int mean = n * w / 100;
      System.out.println("canary weight " + w + ": " + got + "/" + n);
      assertThat(got).as("weight %d", w).isBetween(mean - 45, mean + 45);
    }
    api.routes("demo", "podinfo", Flagger.weights(100));
    awaitStable(NONE, "canary", 30);
    assertThat(apex.tally(100, NONE)).containsExactly(Map.entry("canary", 100));
    api.routes("demo", "podinfo", Flagger.weights(0)); // promoted
    awaitStable(NONE, "primary", 30);
    assertThat(apex.tally(100, NONE)).containsExactly(Map.entry("primary", 100));
  }

  @Test
  @Order(3)
  void abRoutesAddedThenRemovedThroughTheApi() throws Exception {
    api.routes("demo", "podinfo", Flagger.abTest(100)); // podinfo-a (curl → canary), podinfo-b (primary)
    awaitStable(CURL, "canary", 30);
    assertThat(apex.tally(50, CURL)).containsExactly(Map.entry("canary", 50));
    assertThat(apex.tally(50, NONE)).containsExactly(Map.entry("primary", 50));
    api.routes("demo", "podinfo", Flagger.weights(0)); // A/B routes removed again
    awaitStable(CURL, "primary", 30);
    assertThat(apex.tally(50, CURL)).containsExactly(Map.entry("primary", 50));
  }

  @Test
  @Order(4)
  void invalidObjectIsFalseInItsApiStatusAndTheRestIsServed() throws Exception {
    api.apply("""
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: broken
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: 0
                protocol: http
          serviceDiscovery:
            dns:
              hostname: broken.demo.svc.cluster.local
        """);
    RunningMesh.await(() -> MockApi.condition(api.get(Kind.VirtualNode, "demo", "broken"), "VirtualNodeActive") != null, 10_000);
    GenericKubernetesResource vn = api.get(Kind.VirtualNode, "demo", "broken");
    Map<String, Object> c = MockApi.condition(vn, "VirtualNodeActive");
    assertThat(c.get("status")).isEqualTo("False");
    assertThat(c.get("reason")).isEqualTo("InvalidSpec");
    assertThat((String) c.get("message")).contains("spec.listeners[0].portMapping.port");
    assertThat(c.get("lastTransitionTime")).isNotNull();
    assertThat(((Map<?, ?>) vn.getAdditionalProperties().get("status")).get("observedGeneration"))
        .isEqualTo(vn.getMetadata().getGeneration().intValue());
    awaitStable(NONE, "primary", 10); // everything else is still served
    // Fixed: the condition turns True (a new transition time may be the same second; status must change).
    api.apply("""
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: broken
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: 8080
                protocol: http
          serviceDiscovery:
            dns:
              hostname: broken.demo.svc.cluster.local
        """);
    RunningMesh.await(() -> "True".equals(statusOf(Kind.VirtualNode, "broken")), 10_000);
    GenericKubernetesResource fixed = api.get(Kind.VirtualNode, "demo", "broken");
    assertThat(((Map<?, ?>) fixed.getAdditionalProperties().get("status")).get("observedGeneration"))
        .isEqualTo(fixed.getMetadata().getGeneration().intValue());
  }

  @Test
  @Order(5)
  void statusOnlyUpdatesAndOurOwnWritesTriggerNoBuild() throws Exception {
    // The state is settled: the previous test's build wrote its statuses, each counted (pending()
    // includes a write in flight); our own writes coming back as events change nothing, which the
    // markers below check too.
    RunningMesh.await(() -> mode.statusSink().pending() == 0, 10_000);
    long builds = mode.controlPlane().reconciler().builds();
    long writes = mode.statusSink().writes();
    long revision = mode.controlPlane().store().revision();
    // Someone else (the old AWS controller, say) writes an ARN into the router's status.
    var op = api.admin().genericKubernetesResources(io.appmeshxds.server.source.kubernetes.AppMeshKinds.context(Kind.VirtualRouter))
        .inNamespace("demo");
    GenericKubernetesResource r = op.withName("podinfo").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    status.put("virtualRouterARN", "arn:aws:appmesh:us-west-2:111122223333:mesh/appmesh/virtualRouter/podinfo_demo");
    op.resource(r).updateStatus();
    // Markers: two spec changes of the same router, each awaited until we wrote its observedGeneration
    // (its build is done). The informer delivers the router's events in order, so the status-only
    // update, and our own status write of the first marker, reached the store before the next marker.
    long generation = op.withName("podinfo").get().getMetadata().getGeneration();
    api.routes("demo", "podinfo", Flagger.weights(1));
    RunningMesh.await(() -> observedGeneration(op.withName("podinfo").get()) == generation + 1
        && mode.statusSink().pending() == 0, 10_000); // written, and counted (the API shows it before the PUT returns)
    api.routes("demo", "podinfo", Flagger.weights(0));
    RunningMesh.await(() -> observedGeneration(op.withName("podinfo").get()) == generation + 2
        && mode.statusSink().pending() == 0, 10_000); // written, and counted (the API shows it before the PUT returns)
    assertThat(mode.controlPlane().store().revision()).as("store changes: the two markers' only").isEqualTo(revision + 2);
    assertThat(mode.controlPlane().reconciler().builds()).as("builds: the two markers' only").isEqualTo(builds + 2);
    assertThat(mode.statusSink().writes()).as("status writes: the two markers' observedGeneration only").isEqualTo(writes + 2);
    GenericKubernetesResource after = op.withName("podinfo").get();
    assertThat(((Map<?, ?>) after.getAdditionalProperties().get("status")).get("virtualRouterARN"))
        .as("ARN fields are left alone").isNotNull();
  }

  @Test
  @Order(6)
  void objectRecreatedUnderTheSameNameGetsItsStatusAgain() throws Exception {
    RunningMesh.await(() -> "True".equals(statusOf(Kind.VirtualNode, "broken")), 10_000);
    var op = api.admin().genericKubernetesResources(io.appmeshxds.server.source.kubernetes.AppMeshKinds.context(Kind.VirtualNode))
        .inNamespace("demo");
    GenericKubernetesResource vn = op.withName("broken").get();
    op.withName("broken").delete();
    vn.getMetadata().setResourceVersion(null);
    vn.getMetadata().setUid(null);
    vn.getAdditionalProperties().remove("status");
    op.resource(vn).create(); // same spec at once: translation's verdict does not change
    RunningMesh.await(() -> "True".equals(statusOf(Kind.VirtualNode, "broken")), 10_000);
  }

  private static long observedGeneration(GenericKubernetesResource o) {
    Object status = o.getAdditionalProperties().get("status");
    Object g = status instanceof Map<?, ?> m ? m.get("observedGeneration") : null;
    return g instanceof Number n ? n.longValue() : -1;
  }

  private String statusOf(Kind k, String name) {
    Map<String, Object> c = MockApi.condition(api.get(k, "demo", name), k.conditionType());
    return c == null ? null : (String) c.get("status");
  }

  private boolean accepted(Kind k, String name) {
    return "True".equals(statusOf(k, name));
  }

  private void awaitRoute(Map<String, String> headers, String backend) throws InterruptedException {
    RunningMesh.await(() -> backend.equals(apex.call(headers, 5_000)), 20_000);
  }

  private void awaitStable(Map<String, String> headers, String backend, int n) throws InterruptedException {
    int[] streak = {0};
    RunningMesh.await(() -> {
      streak[0] = backend.equals(apex.call(headers, 5_000)) ? streak[0] + 1 : 0;
      return streak[0] >= n;
    }, 30_000);
  }
}
