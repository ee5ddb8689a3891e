package io.appmeshxds.server.tracing;

import static io.appmeshxds.server.testing.AdsTestClient.CDS;
import static io.appmeshxds.server.testing.AdsTestClient.EDS;
import static io.appmeshxds.server.testing.AdsTestClient.LDS;
import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.tracing.config.ConfigLoader;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.appmeshxds.translator.plan.NodeKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracing reaches running proxies over ADS: an annotation change on one VirtualNode sends that
 * proxy one LDS response and nothing else, and the other proxies nothing at all.
 */
class TracingOverAdsTest {
  static final String PRIMARY = "mesh/appmesh/virtualNode/podinfo-primary_demo";

  @TempDir Path dir;

  @Test
  void aSamplingAnnotationChangeSendsOneListenerUpdateToThatProxyOnly() throws Exception {
    try (Backend primary = new Backend("primary"); Backend canary = new Backend("canary")) {
      Map<String, Backend> slices = new LinkedHashMap<>();
      slices.put("podinfo-primary", primary);
      slices.put("podinfo-canary", canary);
      MeshFiles files = new MeshFiles(dir, slices);
      ControlPlane cp = new ControlPlane(Pipelines.standard(ConfigLoader.parse("config.yaml",
          "tracing: {provider: opentelemetry, samplingPercent: 5}\n")), ControlPlane.Settings.loopback(), List.of(), List.of())
          .start();
      try (ManifestSource source = new ManifestSource(List.of(dir), cp.store(), 50).start();
          AdsTestClient loadtester = new AdsTestClient(cp.xdsPort(), MeshFiles.LOADTESTER, false).start();
          AdsTestClient other = new AdsTestClient(cp.xdsPort(), PRIMARY, false).start()) {
        await(loadtester::complete);
        await(() -> other.held().keySet().containsAll(List.of(LDS, RDS, CDS)));
        assertThat(sampling(loadtester)).isEqualTo(5.0);
        assertThat(loadtester.held().get(CDS)).containsKey("tracing_opentelemetry_collector");
        // Baselines once each client holds what the server published last for its node: nothing in flight.
        NodeKey ltKey = NodeKey.sidecar("appmesh", "flagger-loadtester_demo");
        NodeKey primaryKey = NodeKey.sidecar("appmesh", "podinfo-primary_demo");
        await(() -> loadtester.caughtUpWith(cp.cache().get(ltKey)) && other.caughtUpWith(cp.cache().get(primaryKey)));
        Map<String, Integer> before = counts(loadtester);
        int otherBefore = other.responses();
        String lds = loadtester.version(LDS);

        Path f = dir.resolve("loadtester.yaml");
        files.write("loadtester.yaml", Files.readString(f).replace("  namespace: demo\n",
            "  namespace: demo\n  annotations:\n    appmesh-xds.io/tracing-sampling: \"30\"\n"));
        await(() -> !lds.equals(loadtester.version(LDS)));
        assertThat(sampling(loadtester)).isEqualTo(30.0);

        // Markers, as streams are ordered: anything the change sent the other proxy came before the
        // listeners of a change of its own; anything else it sent the load tester, before the
        // listeners of a second change of the load tester.
        String otherLds = other.version(LDS);
        Path nodes = dir.resolve("nodes.yaml");
        files.write("nodes.yaml", Files.readString(nodes).replaceFirst("  name: podinfo-primary\n  namespace: demo\n",
            "  name: podinfo-primary\n  namespace: demo\n  annotations:\n    appmesh-xds.io/tracing-sampling: \"20\"\n"));
        await(() -> !otherLds.equals(other.version(LDS)));
        assertThat(other.responses()).as("the other proxy: its own change's listeners only").isEqualTo(otherBefore + 1);
        String lds30 = loadtester.version(LDS);
        files.write("loadtester.yaml", Files.readString(f).replace("tracing-sampling: \"30\"", "tracing-sampling: \"40\""));
        await(() -> !lds30.equals(loadtester.version(LDS)));
        assertThat(sampling(loadtester)).isEqualTo(40.0);
        assertThat(counts(loadtester)).as("the load tester: one listener update per change of its own, nothing else")
            .containsExactlyInAnyOrderEntriesOf(Map.of(LDS, before.get(LDS) + 2, RDS, before.get(RDS), CDS, before.get(CDS),
                EDS, before.get(EDS)));
      } finally {
        cp.close();
      }
    }
  }

  /** random_sampling of the loadtester's egress HCM as the client holds it. */
  static double sampling(AdsTestClient c) throws Exception {
    Listener l = c.held().get(LDS).get("lds_egress_0.0.0.0_15001").unpack(Listener.class);
    return l.getFilterChainsList().stream().flatMap(fc -> fc.getFiltersList().stream())
        .filter(f -> f.getTypedConfig().is(HttpConnectionManager.class))
        .map(f -> {
          try {
            return f.getTypedConfig().unpack(HttpConnectionManager.class).getTracing().getRandomSampling().getValue();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).findFirst().orElseThrow();
  }

  static Map<String, Integer> counts(AdsTestClient c) {
    return Map.of(LDS, c.responses(LDS), RDS, c.responses(RDS), CDS, c.responses(CDS), EDS, c.responses(EDS));
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    io.appmeshxds.server.testing.Await.until(condition, 20_000);
  }
}
