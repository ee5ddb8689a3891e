package io.appmeshxds.server.e2e;

import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server plans connected proxies only: a proxy is planned when its first stream opens and
 * forgotten when its last one closes, so a proxy that reconnects after a change gets the change,
 * never what it held before. {@code /config_dump} still answers for a proxy that is not connected.
 */
class OnDemandPlanningTest {
  static final String PRIMARY = "mesh/appmesh/virtualNode/podinfo-primary_demo";
  static final NodeKey PRIMARY_KEY = NodeKey.sidecar("appmesh", "podinfo-primary_demo");
  static final NodeKey LOADTESTER_KEY = NodeKey.sidecar("appmesh", "flagger-loadtester_demo");

  @TempDir Path dir;

  @Test
  void connectedProxiesArePlannedAndForgottenWhenTheyLeave() throws Exception {
    try (RunningMesh mesh = new RunningMesh(dir)) {
      assertThat(mesh.cp.cache().get(PRIMARY_KEY)).as("not connected: not planned").isNull();
      // config_dump plans it for the request, without keeping it.
      HttpResponse<String> dump = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + mesh.cp.adminPort() + "/config_dump?node=" + PRIMARY)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(dump.statusCode()).isEqualTo(200);
      assertThat(dump.body()).contains("lds_ingress_0.0.0.0_15000").contains("cds_ingress_appmesh_podinfo-primary_demo_http_9898");
      assertThat(mesh.cp.cache().get(PRIMARY_KEY)).as("config_dump keeps nothing").isNull();

      String before;
      try (AdsTestClient sidecar = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, true).start()) {
        RunningMesh.await(sidecar::complete, 10_000);
        assertThat(mesh.cp.cache().get(LOADTESTER_KEY)).isNotNull();
        before = sidecar.version(RDS);
        // App Mesh's endpoints: the sidecar resolves the backends' hostnames itself, no EDS.
        assertThat(sidecar.held().get(AdsTestClient.CDS).values()).extracting(a -> a.unpack(Cluster.class).getType())
            .containsOnly(Cluster.DiscoveryType.ORIGINAL_DST, Cluster.DiscoveryType.LOGICAL_DNS)
            .contains(Cluster.DiscoveryType.LOGICAL_DNS);
        assertThat(sidecar.held()).doesNotContainKey(AdsTestClient.EDS);
      }
      RunningMesh.await(() -> mesh.cp.cache().get(LOADTESTER_KEY) == null, 10_000);

      // A change while it is away; its route configuration must not come back stale.
      mesh.files.router(Flagger.weights(50));
      long builds = mesh.cp.reconciler().builds();
      RunningMesh.await(() -> mesh.cp.reconciler().builds() > builds, 10_000);
      try (AdsTestClient sidecar = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, true).start()) {
        RunningMesh.await(sidecar::complete, 10_000);
        XdsResources served = mesh.cp.cache().get(LOADTESTER_KEY);
        assertThat(sidecar.version(RDS)).isEqualTo(served.version(XdsResources.Type.ROUTE)).isNotEqualTo(before);
        RouteConfiguration egress = (RouteConfiguration) served.get(XdsResources.Type.ROUTE).stream()
            .filter(r -> r.name().equals("rds_egress_http_9898")).findFirst().orElseThrow().proto();
        assertThat(egress.getVirtualHostsList().stream().filter(vh -> vh.getName().equals("podinfo.demo"))
            .flatMap(vh -> vh.getRoutesList().stream())
            .flatMap(r -> r.getRoute().getWeightedClusters().getClustersList().stream()).map(c -> c.getWeight().getValue()))
            .containsExactlyInAnyOrder(50, 50);
      }
    }
  }
}
