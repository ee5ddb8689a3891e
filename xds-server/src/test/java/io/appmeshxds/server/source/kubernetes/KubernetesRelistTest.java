package io.appmeshxds.server.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our side of a relist, driven through the handlers exactly as fabric8's informers call them
 * ({@code onBeforeList}, notifications, {@code onList}), including the worst order a relist could
 * take — every object deleted first, then added back. Nothing is built while a kind is relisting,
 * so proxies never see the gap; an object really gone after the relist is removed.
 */
class KubernetesRelistTest {

  @TempDir Path dir;

  @Test
  void aRelistIsNeverTranslatedHalfApplied() throws Exception {
    try (Backend primary = new Backend("primary"); Backend canary = new Backend("canary");
        KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:9").build()).build()) {
      Map<String, Backend> backends = new LinkedHashMap<>();
      backends.put("podinfo-primary", primary);
      backends.put("podinfo-canary", canary);
      new MeshFiles(dir, backends);
      ControlPlane cp = new ControlPlane(Pipelines.standard(), ControlPlane.Settings.loopback(), List.of(), List.of()).start();
      AdsTestClient sidecar = null;
      try {
        KubernetesSource source = new KubernetesSource(client, cp.store(), null); // never started: we are the informers
        Map<String, List<HasMetadata>> byKind = objects(client);
        for (String kind : List.of("Mesh", "VirtualNode", "VirtualService", "VirtualRouter", "VirtualGateway", "GatewayRoute",
            "BackendGroup", "Namespace", "Service", "EndpointSlice", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "Gateway",
            "GatewayClass")) {
          ResourceEventHandler<HasMetadata> h = source.handler(kind);
          h.onBeforeList(null);
          byKind.getOrDefault(kind, List.of()).forEach(h::onAdd);
          assertThat(cp.reconciler().ready()).as("nothing built before every kind listed").isFalse();
          h.onList("1", false);
        }
        await(() -> cp.reconciler().ready());
        NodeKey lt = NodeKey.sidecar("appmesh", "flagger-loadtester_demo");
        // Only connected proxies are planned: the load tester's sidecar connects.
        sidecar = new AdsTestClient(cp.xdsPort(), MeshFiles.LOADTESTER, true).start();
        // The baseline once the sidecar holds what was published for it: nothing is in flight.
        AdsTestClient connected = sidecar;
        await(() -> connected.complete() && connected.caughtUpWith(cp.cache().get(lt)));
        int baseline = count(cp.cache().get(lt));
        String routesBefore = cp.cache().get(lt).version(XdsResources.Type.ROUTE);
        assertThat(baseline).isPositive();
        // Every publish from here on, and whether the router's relist had completed when it came.
        AtomicBoolean routerListed = new AtomicBoolean();
        record Published(NodeKey key, int resources, String routes, boolean afterRouterRelist) {}
        List<Published> published = Collections.synchronizedList(new ArrayList<>());
        cp.cache().observe((k, r) -> published.add(new Published(k, count(r), r.version(XdsResources.Type.ROUTE),
            routerListed.get())));

        // Relist of VirtualNodes in the worst order: everything deleted, a pause, then added back.
        ResourceEventHandler<HasMetadata> vns = source.handler("VirtualNode");
        vns.onBeforeList("17");
        assertThat(cp.store().syncedSnapshot()).isNull();
        long held = cp.reconciler().heldForSync();
        byKind.get("VirtualNode").forEach(o -> vns.onDelete(o, true));
        // The worst state is held until the reconciler, due to build it (which would drop every
        // listener and cluster), has looked and waited for the relist. Checked after the marker.
        Await.until(() -> cp.reconciler().heldForSync() > held, 10_000);
        byKind.get("VirtualNode").forEach(vns::onAdd);
        vns.onList("18", false);

        // A relist that finds a router change made while the watch was down publishes it whole.
        ResourceEventHandler<HasMetadata> vrs = source.handler("VirtualRouter");
        vrs.onBeforeList("18");
        HasMetadata apex = byKind.get("VirtualRouter").stream().filter(o -> o.getMetadata().getName().equals("podinfo"))
            .findFirst().orElseThrow();
        new MeshFiles(dir, backends).router(Flagger.weights(50));
        HasMetadata changed = client.getKubernetesSerialization().unmarshal(
            Files.readString(dir.resolve("router.yaml"), StandardCharsets.UTF_8));
        long heldRouters = cp.reconciler().heldForSync();
        vrs.onUpdate(apex, changed);
        Await.until(() -> cp.reconciler().heldForSync() > heldRouters, 10_000); // the same for half-listed routers
        routerListed.set(true);
        vrs.onList("19", false);
        // The marker: the router change reaches the sidecar's resources. Publishes are ordered, so any
        // publish of the relists above (a gap, or a rebuild of identical content) was recorded before it.
        await(() -> published.stream().anyMatch(p -> p.key().equals(lt) && !routesBefore.equals(p.routes())));
        assertThat(published).as("publishes: only the router change, after its relist completed, never with fewer resources")
            .allSatisfy(p -> {
              assertThat(p.afterRouterRelist()).as("published while a kind relisted: %s", p).isTrue();
              assertThat(p.resources()).as("resources of %s", p).isGreaterThanOrEqualTo(baseline);
              assertThat(p.routes()).as("an identical VirtualNode relist publishes nothing: %s", p).isNotEqualTo(routesBefore);
            });
      } finally {
        if (sidecar != null) {
          sidecar.close();
        }
        cp.close();
      }
    }
  }

  private Map<String, List<HasMetadata>> objects(KubernetesClient client) throws Exception {
    Map<String, List<HasMetadata>> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(f, StandardCharsets.UTF_8).split("(?m)^---\\s*$")) {
          if (!doc.isBlank()) {
            HasMetadata o = client.getKubernetesSerialization().unmarshal(doc);
            out.computeIfAbsent(o.getKind(), k -> new ArrayList<>()).add(o);
          }
        }
      }
    }
    return out;
  }

  private static int count(XdsResources r) {
    int n = 0;
    if (r != null) {
      for (XdsResources.Type t : XdsResources.Type.values()) {
        n += r.get(t).size();
      }
    }
    return n;
  }

  private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
    Await.until(c, 20_000);
  }
}
