package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API connection breaks (every open connection cut, new ones refused for a while, as when the
 * API server restarts) while Flagger changes the router: the informers reconnect, the change made
 * during the outage arrives, and no proxy group is ever published a configuration with fewer
 * resources than it had before the disruption.
 */
class KubernetesWatchDisruptionTest {
  @TempDir Path dir;

  @Test
  void watchesReconnectAndNothingSmallerIsEverPublished() throws Exception {
    try (Backend primary = new Backend("primary"); Backend canary = new Backend("canary"); MockApi api = new MockApi();
        KubernetesClient client = api.newClient()) {
      new MeshFiles(dir, RunningMesh.backends(primary, canary));
      api.applyDir(dir);
      KubernetesMode mode = KubernetesMode.start(client, Pipelines.standard(), ControlPlane.Settings.loopback(),
          new KubernetesMode.Settings(null, "appmesh-system", "replica-0", KubernetesReplicasTest.FAST));
      // Only connected proxies are planned: besides the proxyless client, two sidecars connect.
      try (mode; XdsChannel apex = new XdsChannel(mode.controlPlane().xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898");
          AdsTestClient loadTesterSidecar = new AdsTestClient(mode.controlPlane().xdsPort(), MeshFiles.LOADTESTER, true).start();
          AdsTestClient primarySidecar = new AdsTestClient(mode.controlPlane().xdsPort(),
              "mesh/appmesh/virtualNode/podinfo-primary_demo", false).start()) {
        ControlPlane cp = mode.controlPlane();
        RunningMesh.await(() -> cp.reconciler().ready(), 30_000);
        awaitStable(apex, "primary", 10);
        RunningMesh.await(() -> cp.cache().get(NodeKey.sidecar("appmesh", "podinfo-primary_demo")) != null
            && cp.cache().get(NodeKey.sidecar("appmesh", "flagger-loadtester_demo")) != null, 10_000);
        // Before: resources per proxy group. From now on, every publish is recorded.
        List<String> shrunk = Collections.synchronizedList(new ArrayList<>());
        List<Integer> loadTester = Collections.synchronizedList(new ArrayList<>());
        NodeKey lt = NodeKey.proxyless("appmesh", "flagger-loadtester_demo", Dialect.GRPC);
        int baseline = count(cp.cache().get(lt));
        Map<NodeKey, Integer> baselines = new ConcurrentHashMap<>();
        for (String vn : List.of("flagger-loadtester_demo", "podinfo-primary_demo", "podinfo-canary_demo")) {
          for (NodeKey k : List.of(NodeKey.sidecar("appmesh", vn), NodeKey.proxyless("appmesh", vn, Dialect.GRPC))) {
            if (cp.cache().get(k) != null) {
              baselines.put(k, count(cp.cache().get(k)));
            }
          }
        }
        assertThat(baselines).containsKey(lt).hasSizeGreaterThan(1);
        cp.cache().observe((key, r) -> {
          int n = count(r);
          Integer base = baselines.get(key);
          if (base != null && n < base) {
            shrunk.add(key + ": " + n + " < " + base);
          }
          if (key.equals(lt)) {
            loadTester.add(n);
          }
        });
        long buildsBefore = cp.reconciler().builds();

        int refusedBefore = api.proxy().refused();
        api.proxy().refuse(true);
        api.proxy().cut(); // every watch, lease renewal and status write connection drops
        // The outage is real once the control plane's reconnects are being refused (events, not a pause).
        RunningMesh.await(() -> api.proxy().refused() >= refusedBefore + 2, 30_000);
        api.routes("demo", "podinfo", Flagger.weights(100)); // Flagger moves on while we are cut off
        int refusedAfterChange = api.proxy().refused();
        // At least one more attempt refused after the change: it was made while we were cut off.
        RunningMesh.await(() -> api.proxy().refused() > refusedAfterChange, 30_000);
        api.proxy().refuse(false);

        awaitStable(apex, "canary", 20); // reconnected, and the change made during the outage arrived
        assertThat(mode.source().synced()).isTrue();
        assertThat(cp.reconciler().builds()).isGreaterThan(buildsBefore);
        System.out.println("load tester publishes during and after the disruption (resource counts, baseline "
            + baseline + "): " + loadTester);
        assertThat(loadTester).isNotEmpty().allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(baseline));
        assertThat(shrunk).as("publishes with fewer resources than before the disruption").isEmpty();

        // A second, immediate cut (no refusal window): the same again.
        api.proxy().cut();
        api.routes("demo", "podinfo", Flagger.weights(0));
        awaitStable(apex, "primary", 20);
        assertThat(shrunk).isEmpty();
      }
    }
  }

  static int count(XdsResources r) {
    if (r == null) {
      return 0;
    }
    int n = 0;
    for (XdsResources.Type t : XdsResources.Type.values()) {
      n += r.get(t).size();
    }
    return n;
  }

  private static void awaitStable(XdsChannel apex, String backend, int n) throws InterruptedException {
    int[] streak = {0};
    RunningMesh.await(() -> {
      streak[0] = backend.equals(apex.call(Map.of(), 5_000)) ? streak[0] + 1 : 0;
      return streak[0] >= n;
    }, 40_000);
  }
}
