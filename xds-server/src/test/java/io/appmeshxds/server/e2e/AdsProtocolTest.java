package io.appmeshxds.server.e2e;

import static io.appmeshxds.server.testing.AdsTestClient.CDS;
import static io.appmeshxds.server.testing.AdsTestClient.EDS;
import static io.appmeshxds.server.testing.AdsTestClient.LDS;
import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import io.appmeshxds.tracing.config.ConfigLoader;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ADS protocol as Envoy speaks it, with an Envoy-like test client (wildcard LDS/CDS, then RDS
 * and EDS by name, ACK by nonce), over SotW and delta; and NACK handling with that client and with
 * grpc-java. The mesh opts into per-pod endpoints ({@code endpoints.perPod}) so that all four types
 * flow to the sidecar (by default its clusters are ones Envoy resolves itself, and it gets no EDS).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdsProtocolTest {
  @TempDir static Path dir;
  RunningMesh mesh;

  @BeforeAll
  void start() throws Exception {
    mesh = new RunningMesh(dir, ConfigLoader.parse("test", "endpoints: {perPod: {meshes: [appmesh]}}"));
  }

  @AfterAll
  void stop() throws Exception {
    mesh.close();
  }

  @Test
  @Order(1)
  void sotwAndDeltaDeliverTheSameSidecarConfig() throws Exception {
    try (AdsTestClient sotw = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).start();
        AdsTestClient delta = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, true).start()) {
      RunningMesh.await(() -> sotw.complete() && delta.complete(), 20_000);
      Map<String, Map<String, Any>> a = sotw.held();
      RunningMesh.await(() -> delta.held().equals(a), 10_000);
      assertThat(a.get(LDS)).containsOnlyKeys("lds_egress_0.0.0.0_15001");
      assertThat(a.get(RDS)).containsOnlyKeys("rds_egress_http_9898");
      assertThat(a.get(CDS)).containsOnlyKeys("cds_egress_appmesh_amazonaws", "cds_egress_appmesh_podinfo-canary_demo_http_9898",
          "cds_egress_appmesh_podinfo-primary_demo_http_9898");
      assertThat(a.get(EDS)).containsOnlyKeys("cds_egress_appmesh_podinfo-canary_demo_http_9898",
          "cds_egress_appmesh_podinfo-primary_demo_http_9898");
      // The versions are content hashes the server computed, the same on both protocols.
      XdsResources served = mesh.cp.cache().get(NodeKey.sidecar("appmesh", "flagger-loadtester_demo"));
      assertThat(sotw.version(RDS)).isEqualTo(served.version(XdsResources.Type.ROUTE));
      assertThat(delta.version(RDS)).isEqualTo(served.version(XdsResources.Type.ROUTE));
    }
  }

  @Test
  @Order(2)
  void aWeightChangeSendsOneRouteConfigurationAndNothingElse() throws Exception {
    try (AdsTestClient sotw = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).start();
        AdsTestClient delta = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, true).start()) {
      RunningMesh.await(() -> sotw.complete() && delta.complete(), 20_000);
      Thread.sleep(300);
      Map<String, Integer> before = counts(sotw);
      Map<String, Integer> beforeDelta = counts(delta);
      String rds = sotw.version(RDS);
      mesh.files.router(Flagger.weights(37));
      RunningMesh.await(() -> !rds.equals(sotw.version(RDS)) && !rds.equals(delta.version(RDS)), 10_000);
      Thread.sleep(300);
      assertThat(counts(sotw)).containsExactlyInAnyOrderEntriesOf(Map.of(LDS, before.get(LDS), RDS, before.get(RDS) + 1,
          CDS, before.get(CDS), EDS, before.get(EDS)));
      assertThat(counts(delta)).containsExactlyInAnyOrderEntriesOf(Map.of(LDS, beforeDelta.get(LDS),
          RDS, beforeDelta.get(RDS) + 1, CDS, beforeDelta.get(CDS), EDS, beforeDelta.get(EDS)));
    }
  }

  @Test
  @Order(3)
  void aChangeThatAltersNothingSendsNoMessage() throws Exception {
    try (AdsTestClient sotw = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
      RunningMesh.await(sotw::complete, 20_000);
      Thread.sleep(300);
      int before = sotw.responses();
      long builds = mesh.cp.reconciler().builds();
      // A comment and a label the translation does not use: the store sees a change, proxies see nothing.
      Path f = dir.resolve("router.yaml");
      Files.writeString(f, "# reformatted by a GitOps tool\n" + Files.readString(f).replace("namespace: demo",
          "namespace: demo\n  labels: {owner: team-a}"));
      RunningMesh.await(() -> mesh.cp.reconciler().builds() > builds, 10_000);
      Thread.sleep(500);
      assertThat(sotw.responses()).isEqualTo(before);
    }
  }

  @Test
  @Order(4)
  void aNackingClientGetsNoResendStormAndTheNodeShowsTheRejection() throws Exception {
    try (AdsTestClient nacking = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).nack(RDS).start()) {
      RunningMesh.await(() -> nacking.responses(RDS) >= 1, 20_000);
      Thread.sleep(2000);
      // java-control-plane's SimpleCache re-sent a rejected snapshot at once (thousands a second).
      assertThat(nacking.responses(RDS)).isEqualTo(1);
      RunningMesh.await(() -> status().contains("ConfigRejected"), 10_000);
      assertThat(status()).contains("proxy " + MeshFiles.LOADTESTER + " rejected RouteConfiguration version")
          .contains("test client rejects " + RDS);
      assertThat(mesh.cp.metrics().scrape()).containsPattern("appmeshxds_nacks_total\\{type=\"rds\"} [1-9]");
      // The latest config still reaches the proxy: a new version is sent once.
      mesh.files.router(Flagger.weights(55));
      RunningMesh.await(() -> nacking.responses(RDS) == 2, 10_000);
      Thread.sleep(1000);
      assertThat(nacking.responses(RDS)).isEqualTo(2);
    }
    // An accepting client of the same node clears the condition once it acks a newer version.
    try (AdsTestClient ok = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
      RunningMesh.await(ok::complete, 20_000);
      mesh.files.router(Flagger.weights(56));
      RunningMesh.await(() -> !status().contains("ConfigRejected"), 10_000);
    }
  }

  @Test
  @Order(5)
  void grpcJavaNackingOnceDoesNotStorm() throws Exception {
    mesh.files.router(Flagger.weights(0));
    mesh.awaitStable(Map.of(), "primary", 20);
    NodeKey key = NodeKey.proxyless("appmesh", "flagger-loadtester_demo", Dialect.GRPC);
    XdsResources good = mesh.cp.cache().get(key);
    // A route gRPC clients reject (they NACK direct_response routes), pushed straight into the cache.
    RouteConfiguration rc = (RouteConfiguration) good.get(XdsResources.Type.ROUTE).get(0).proto();
    RouteConfiguration bad = rc.toBuilder().setVirtualHosts(1, rc.getVirtualHosts(1).toBuilder().clearRoutes()
        .addRoutes(Route.newBuilder().setName("bad").setMatch(rc.getVirtualHosts(1).getRoutes(0).getMatch())
            .setDirectResponse(DirectResponseAction.newBuilder().setStatus(503)))).build();
    Map<XdsResources.Type, List<XdsResources.Resource>> parts = new EnumMap<>(XdsResources.Type.class);
    for (XdsResources.Type t : XdsResources.Type.values()) {
      parts.put(t, t == XdsResources.Type.ROUTE ? List.of(XdsResources.Resource.of(rc.getName(), bad)) : good.get(t));
    }
    double nacksBefore = nacks();
    mesh.cp.cache().set(key, new XdsResources(key, parts));
    RunningMesh.await(() -> nacks() > nacksBefore, 10_000);
    Thread.sleep(3000);
    double storm = nacks() - nacksBefore;
    System.out.println("grpc-java NACKs in 3 s after one bad RouteConfiguration: " + storm);
    assertThat(storm).isLessThanOrEqualTo(2);
    // grpc-java kept its last good routes; good config again.
    assertThat(mesh.apex.call(Map.of(), 5_000)).isEqualTo("primary");
    mesh.cp.cache().set(key, good);
    mesh.awaitStable(Map.of(), "primary", 10);
  }

  @Test
  @Order(6)
  void deltaAcksAreRecordedWithTheVersionOfTheAckedNonce() throws Exception {
    NodeKey key = NodeKey.sidecar("appmesh", "flagger-loadtester_demo");
    try (AdsTestClient delta = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, true).start()) {
      RunningMesh.await(delta::complete, 20_000);
      String before = delta.version(RDS);
      mesh.files.router(Flagger.weights(77));
      RunningMesh.await(() -> !before.equals(delta.version(RDS)), 10_000);
      // A delta ACK carries only the nonce; the server maps it to the version it sent (no SotW client is open).
      String now = delta.version(RDS);
      RunningMesh.await(() -> mesh.cp.acks().ackedAt(key, RDS, now) != null, 10_000);
    }
  }

  private double nacks() {
    var c = mesh.cp.metrics().find("appmeshxds_nacks_total").tag("type", "rds").counter();
    return c == null ? 0 : c.count();
  }

  private String status() {
    try {
      return mesh.admin("/status");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Integer> counts(AdsTestClient c) {
    return Map.of(LDS, c.responses(LDS), RDS, c.responses(RDS), CDS, c.responses(CDS), EDS, c.responses(EDS));
  }
}
