package io.appmeshxds.server.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.testing.FakeCloudMap;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.MutableClock;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.MeshModel;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code deploy/cloudmap/iam-policy.json} grants exactly the Cloud Map actions the control plane
 * calls: a scenario drives every path that calls AWS (discovery; registration with a missing
 * service created, a custom health check, a pod registered, marked unhealthy, removed), and the
 * operations the loopback Cloud Map saw must equal the policy's {@code servicediscovery:}
 * actions. Its other statement holds only Route 53 actions (Cloud Map's, on the caller's behalf).
 */
class CloudMapIamPolicyTest {
  static final Path POLICY = Path.of("..", "deploy", "cloudmap", "iam-policy.json");

  @Test
  void thePolicyGrantsExactlyTheCloudMapActionsTheControlPlaneCalls() throws Exception {
    Set<String> granted = new TreeSet<>();
    Set<String> route53 = new TreeSet<>();
    JsonNode policy = JsonMapper.shared().readTree(Files.readString(POLICY));
    for (JsonNode st : policy.get("Statement")) {
      assertThat(st.get("Effect").asString()).isEqualTo("Allow");
      for (JsonNode a : st.get("Action")) {
        String action = a.asString();
        if (action.startsWith("servicediscovery:")) {
          granted.add(action.substring("servicediscovery:".length()));
        } else {
          assertThat(action).as("besides Cloud Map's, only the Route 53 actions it takes on our behalf").startsWith("route53:");
          route53.add(action);
        }
      }
    }
    assertThat(route53).isNotEmpty();

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CloudMapConfig config = new CloudMapConfig(null, null, null, null, null,
        new CloudMapConfig.Registration(null, null, true, null, null, null, 0));
    try (MockApi api = new MockApi(); KubernetesClient client = api.newClient(); FakeCloudMap cloudMap = new FakeCloudMap()) {
      cloudMap.namespace("apps.local", "DNS_PRIVATE");
      MeshResources in = MeshResources.of(new ManifestLoader().loadText("mesh.yaml", CloudMapRegistrarTest.MESH));
      MeshModel model = Pipelines.standard().modelBuilder().build(in).model();
      api.admin().pods().inNamespace("apps").resource(new PodBuilder().withNewMetadata().withName("other-1")
          .withNamespace("apps").addToLabels("app", "other").endMetadata()
          .withNewSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec()
          .withNewStatus().withPhase("Running").withPodIP("10.0.0.21")
          .addNewCondition().withType("ContainersReady").withStatus("True").endCondition().endStatus().build()).create();

      try (CloudMapSetup setup = cloudMap.setup(config, clock, false, "AKIDPOLICY");
          CloudMapRegistrar registrar = new CloudMapRegistrar(client, setup, () -> model, metrics)) {
        registrar.leader(true);
        Await.until(() -> {
          registrar.runOnce();
          FakeCloudMap.Service other = cloudMap.service("apps.local", "other");
          return other != null && cloudMap.instances(other).containsKey("10.0.0.21") && registrar.watchingPods("apps");
        }, 20_000);
        FakeCloudMap.Service other = cloudMap.service("apps.local", "other");
        assertThat(other.customHealthCheck()).isTrue();
        assertThat(other.dnsConfig().toString()).as("created as the controller did in a private DNS namespace")
            .contains("\"RoutingPolicy\":\"MULTIVALUE\"").contains("\"Type\":\"A\"").contains("\"TTL\":300");
        api.admin().pods().inNamespace("apps").withName("other-1").editStatus(p -> {
          p.getStatus().getConditions().get(0).setStatus("False");
          return p;
        });
        Await.until(() -> {
          registrar.runOnce();
          return "UNHEALTHY".equals(cloudMap.instances(other).get("10.0.0.21").health());
        }, 20_000);
        api.admin().pods().inNamespace("apps").withName("other-1").delete();
        Await.until(() -> {
          registrar.runOnce();
          return cloudMap.instances(other).isEmpty();
        }, 20_000);

        ResourceStore store = new ResourceStore();
        store.register("k8s");
        for (MeshObject o : in.<MeshObject>ofKind(Kind.VirtualNode)) {
          store.put("k8s", ObjectRef.of(o), o);
        }
        store.markSynced("k8s");
        try (CloudMapDiscovery discovery = new CloudMapDiscovery(store, config, setup::client, clock, () -> 0.5, metrics)) {
          discovery.runDue();
        }
      }
      Set<String> called = cloudMap.calls().stream().map(FakeCloudMap.Call::operation).collect(Collectors.toCollection(TreeSet::new));
      assertThat(called).as("Cloud Map operations the control plane called = the policy's servicediscovery actions")
          .isEqualTo(granted);
    }
  }
}
