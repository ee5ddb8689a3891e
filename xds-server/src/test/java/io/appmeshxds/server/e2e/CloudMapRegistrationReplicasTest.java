package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.testing.FakeCloudMap;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in Kubernetes mode, each with its own Cloud Map credentials (so a call shows which
 * replica made it), on fabric8's mock API and a loopback Cloud Map: both ask Cloud Map for
 * endpoints; only the lease holder registers pods; when it stops, the other takes over the
 * registration.
 */
class CloudMapRegistrationReplicasTest {
  static final String MANIFESTS = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: apps
        labels: {mesh: m}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata:
        name: m
      spec:
        namespaceSelector:
          matchLabels: {mesh: m}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata:
        name: color
        namespace: apps
      spec:
        podSelector:
          matchLabels: {app: color}
        listeners:
          - portMapping: {port: 8080, protocol: http}
        serviceDiscovery:
          awsCloudMap: {namespaceName: apps.local, serviceName: color}
      """;

  @Test
  void onlyTheLeaseHolderRegistersAndTheOtherTakesOver() throws Exception {
    try (MockApi api = new MockApi(); KubernetesClient ca = api.newClient(); KubernetesClient cb = api.newClient();
        FakeCloudMap cloudMap = new FakeCloudMap()) {
      FakeCloudMap.Service color = cloudMap.service(cloudMap.namespace("apps.local", "HTTP"), "color", false);
      api.apply(MANIFESTS);
      CloudMapConfig config = new CloudMapConfig(null, null, null, null, null,
          new CloudMapConfig.Registration(null, null, null, null, null, null, 0));
      KubernetesMode a = start(ca, "replica-a", cloudMap, config, "AKIDREPLICAA");
      KubernetesMode b = start(cb, "replica-b", cloudMap, config, "AKIDREPLICAB");
      try {
        RunningMesh.await(() -> a.controlPlane().reconciler().ready() && b.controlPlane().reconciler().ready(), 30_000);
        RunningMesh.await(() -> holder(api) != null, 10_000);
        KubernetesMode leader = holder(api).equals("replica-a") ? a : b;
        KubernetesMode other = leader == a ? b : a;
        String leaderKey = leader == a ? "AKIDREPLICAA" : "AKIDREPLICAB";
        String otherKey = leader == a ? "AKIDREPLICAB" : "AKIDREPLICAA";
        assertThat(keys(cloudMap, "DiscoverInstances")).as("every replica discovers endpoints")
            .containsExactlyInAnyOrder("AKIDREPLICAA", "AKIDREPLICAB");

        api.admin().pods().inNamespace("apps").resource(new PodBuilder().withNewMetadata().withName("color-1")
            .withNamespace("apps").addToLabels("app", "color").endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec()
            .withNewStatus().withPhase("Running").withPodIP("10.0.0.11")
            .addNewCondition().withType("ContainersReady").withStatus("True").endCondition().endStatus().build()).create();
        RunningMesh.await(() -> cloudMap.instances(color).containsKey("10.0.0.11"), 20_000);
        assertThat(keys(cloudMap, "RegisterInstance")).as("only the lease holder registers").containsExactly(leaderKey);
        assertThat(leader.cloudMapRegistrar().leading()).isTrue();
        assertThat(other.cloudMapRegistrar().leading()).isFalse();

        leader.close(); // releases the lease
        RunningMesh.await(() -> other.leadership().isLeader(), 15_000);
        // Why wait for the watch: the mock API does not replay events from a list's resourceVersion,
        // so a deletion between the new leader's list and its watch would be lost (a real API
        // server replays it).
        RunningMesh.await(() -> other.cloudMapRegistrar().watchingPods("apps"), 15_000);
        api.admin().pods().inNamespace("apps").withName("color-1").delete();
        RunningMesh.await(() -> cloudMap.instances(color).isEmpty(), 20_000);
        assertThat(keys(cloudMap, "DeregisterInstance")).as("the new lease holder deregisters").containsExactly(otherKey);
        assertThat(keys(cloudMap, "RegisterInstance")).containsExactly(leaderKey);
      } finally {
        a.close();
        b.close();
      }
    }
  }

  private static Set<String> keys(FakeCloudMap cloudMap, String operation) {
    return cloudMap.calls(operation).stream().map(FakeCloudMap.Call::accessKeyId).collect(Collectors.toSet());
  }

  private static KubernetesMode start(KubernetesClient c, String identity, FakeCloudMap cloudMap, CloudMapConfig config,
      String accessKey) throws Exception {
    return KubernetesMode.start(c, Pipelines.standard(), ControlPlane.Settings.loopback(),
        new KubernetesMode.Settings(null, "appmesh-system", identity, KubernetesReplicasTest.FAST), ControlPlaneTelemetry.noop(),
        cloudMap.setup(config, Clock.systemUTC(), true, accessKey));
  }

  private static String holder(MockApi api) {
    Lease l = api.admin().leases().inNamespace("appmesh-system").withName(KubernetesMode.LEASE_NAME).get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }
}
