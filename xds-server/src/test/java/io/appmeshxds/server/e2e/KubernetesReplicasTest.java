package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.status.kubernetes.Leadership;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.translator.api.Kind;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (two control planes with their own informers and clients) on one API: both serve
 * xDS, exactly one — the Lease holder — writes status; when it stops, the other takes over and
 * finds nothing to rewrite (diff before write) until something changes.
 */
class KubernetesReplicasTest {
  static final Leadership.Timing FAST = new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500),
      Duration.ofMillis(200));
  /**
   * This test's own: a lease that a busy machine cannot lose by a late renewal (with FAST's 1.5 s
   * deadline a loaded 2-core run moved it between the replicas mid-test, and the "other" replica then
   * rightly wrote). The takeover below does not wait for expiry: closing releases the lease, and the
   * other replica acquires it within a retry period.
   */
  static final Leadership.Timing STEADY = new Leadership.Timing(Duration.ofSeconds(30), Duration.ofSeconds(20),
      Duration.ofMillis(200));

  @TempDir Path dir;

  @Test
  void exactlyOneReplicaWritesStatusAndTheOtherTakesOver() throws Exception {
    try (Backend primary = new Backend("primary"); Backend canary = new Backend("canary"); MockApi api = new MockApi();
        KubernetesClient ca = api.newClient(); KubernetesClient cb = api.newClient()) {
      new MeshFiles(dir, RunningMesh.backends(primary, canary));
      api.applyDir(dir);
      KubernetesMode a = start(ca, "replica-a");
      KubernetesMode b = start(cb, "replica-b");
      try {
        RunningMesh.await(() -> a.controlPlane().reconciler().ready() && b.controlPlane().reconciler().ready(), 30_000);
        for (KubernetesMode m : new KubernetesMode[] {a, b}) {
          try (XdsChannel ch = new XdsChannel(m.controlPlane().xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898")) {
            assertThat(ch.call()).as("every replica serves xDS").isEqualTo("primary");
          }
        }
        api.apply(brokenNode(0));
        RunningMesh.await(() -> "False".equals(status(api)), 15_000);
        RunningMesh.await(() -> holder(api) != null, 5_000);
        KubernetesMode leader = holder(api).equals("replica-a") ? a : b;
        KubernetesMode other = leader == a ? b : a;
        RunningMesh.await(() -> leader.statusSink().pending() == 0, 10_000);
        // The marker: the other replica built the broken node too and its status sink was handed the
        // statuses (it holds them as pending, for a takeover). A writer that ignored the lease would take
        // them off "pending" to write them, so they must still be there, unwritten, below.
        RunningMesh.await(() -> built(other, "broken") && other.statusSink().pending() > 0, 15_000);
        System.out.println("status writes: leader " + leader.statusSink().writes() + ", other " + other.statusSink().writes());
        assertThat(leader.statusSink().writes()).isPositive();
        assertThat(other.statusSink().writes()).as("status writes by the replica that does not hold the lease").isZero();
        assertThat(other.statusSink().pending()).as("statuses the replica that does not hold the lease keeps unwritten")
            .isPositive();
        assertThat(leader.leadership().isLeader()).isTrue();
        assertThat(other.leadership().isLeader()).isFalse();

        leader.close(); // releases the lease
        RunningMesh.await(() -> other.leadership().isLeader(), 10_000);
        assertThat(holder(api)).isEqualTo(other.leadership().identity());
        RunningMesh.await(() -> other.statusSink().pending() == 0, 10_000);
        assertThat(other.statusSink().writes()).as("a new leader rewrites nothing that is already right").isZero();
        api.apply(brokenNode(8080));
        RunningMesh.await(() -> "True".equals(status(api)), 15_000);
        RunningMesh.await(() -> other.statusSink().writes() > 0, 5_000); // counted after the PUT returns
      } finally {
        a.close();
        b.close();
      }
    }
  }

  private static KubernetesMode start(KubernetesClient c, String identity) throws Exception {
    return KubernetesMode.start(c, Pipelines.standard(), ControlPlane.Settings.loopback(),
        new KubernetesMode.Settings(null, "appmesh-system", identity, STEADY));
  }

  private static String holder(MockApi api) {
    Lease l = api.admin().leases().inNamespace("appmesh-system").withName(KubernetesMode.LEASE_NAME).get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }

  /** Whether the replica's last build saw the broken VirtualNode. */
  private static boolean built(KubernetesMode m, String name) {
    var b = m.controlPlane().reconciler().lastBuild();
    return b != null && b.status().objects().keySet().stream().anyMatch(r -> r.toString().endsWith("/" + name));
  }

  private static String status(MockApi api) {
    Map<String, Object> c = MockApi.condition(api.get(Kind.VirtualNode, "demo", "broken"), "VirtualNodeActive");
    return c == null ? null : (String) c.get("status");
  }

  private static String brokenNode(int port) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: broken
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: %d
                protocol: http
          serviceDiscovery:
            dns:
              hostname: broken.demo.svc.cluster.local
        """.formatted(port);
  }
}
