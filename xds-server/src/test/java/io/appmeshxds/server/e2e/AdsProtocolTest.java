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
      // The baseline is taken once both clients hold what the server published last: nothing is in flight.
      awaitCaughtUp(sotw, delta);
      Map<String, Integer> before = counts(sotw);
      Map<String, Integer> beforeDelta = counts(delta);
      String rds = sotw.version(RDS);
      mesh.files.router(Flagger.weights(37));
      RunningMesh.await(() -> !rds.equals(sotw.version(RDS)) && !rds.equals(delta.version(RDS)), 10_000);
      // The marker: a second change. Each stream is ordered, so anything else the first change sent
      // (a listener, a cluster, a duplicate) has arrived before the second change's route configuration.
      String rds37 = sotw.version(RDS);
      mesh.files.router(Flagger.weights(38));
      RunningMesh.await(() -> !rds37.equals(sotw.version(RDS)) && !rds37.equals(delta.version(RDS)), 10_000);
      assertThat(counts(sotw)).containsExactlyInAnyOrderEntriesOf(Map.of(LDS, before.get(LDS), RDS, before.get(RDS) + 2,
          CDS, before.get(CDS), EDS, before.get(EDS)));
      assertThat(counts(delta)).containsExactlyInAnyOrderEntriesOf(Map.of(LDS, beforeDelta.get(LDS),
          RDS, beforeDelta.get(RDS) + 2, CDS, beforeDelta.get(CDS), EDS, beforeDelta.get(EDS)));
    }
  }

  @Test
  @Order(3)
  void aChangeThatAltersNothingSendsNoMessage() throws Exception {
    try (AdsTestClient sotw = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).start()) {
      awaitCaughtUp(sotw);
      int before = sotw.responses();
      int beforeRds = sotw.responses(RDS);
      long builds = mesh.cp.reconciler().builds();
      // A comment and a label the translation does not use: the store sees a change, proxies see nothing.
      Path f = dir.resolve("router.yaml");
      Files.writeString(f, "# reformatted by a GitOps tool\n" + Files.readString(f).replace("namespace: demo",
          "namespace: demo\n  labels: {owner: team-a}"));
      RunningMesh.await(() -> mesh.cp.reconciler().builds() > builds, 10_000);
      // The marker: a change that does reach the proxy. A message caused by the first change would
      // have come before it on the same stream; only the marker's route configuration may have.
      String rds = sotw.version(RDS);
      mesh.files.router(Flagger.weights(39));
      RunningMesh.await(() -> !rds.equals(sotw.version(RDS)), 10_000);
      assertThat(sotw.responses(RDS)).isEqualTo(beforeRds + 1);
      assertThat(sotw.responses()).as("responses besides the marker's").isEqualTo(before + 1);
    }
  }

  @Test
  @Order(4)
  void aNackingClientGetsNoResendStormAndTheNodeShowsTheRejection() throws Exception {
    try (AdsTestClient nacking = new AdsTestClient(mesh.cp.xdsPort(), MeshFiles.LOADTESTER, false).nack(RDS).start()) {
      RunningMesh.await(() -> nacking.responses(RDS) >= 1, 20_000);
      RunningMesh.await(() -> status().contains("ConfigRejected"), 10_000); // the server has the NACK
      // java-control-plane's SimpleCache re-sent a rejected snapshot at once (thousands a second). Such
      // a resend would reach the client before the marker: the next version, sent for a new change.
      String first = nacking.offered(RDS);
      double nacked = nacks();
      mesh.files.router(Flagger.weights(54));
      RunningMesh.await(() -> !first.equals(nacking.offered(RDS)), 10_000);
      assertThat(nacking.responses(RDS)).as("route configurations: the rejected one, once, then the marker").isEqualTo(2);
      RunningMesh.await(() -> nacks() > nacked, 10_000); // the marker was rejected too
      assertThat(status()).contains("proxy " + MeshFiles.LOADTESTER + " rejected RouteConfiguration version")
          .contains("test client rejects " + RDS);
      assertThat(mesh.cp.metrics().scrape()).containsPattern("appmeshxds_nacks_total\\{type=\"rds\"} [1-9]");
      // The latest config still reaches the proxy: a new version is sent once (the next change is the marker).
      String second = nacking.offered(RDS);
      mesh.files.router(Flagger.weights(55));
      RunningMesh.await(() -> !second.equals(nacking.offered(RDS)), 10_000);
      assertThat(nacking.responses(RDS)).isEqualTo(3);
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
    // grpc-java kept its last good routes.
    assertThat(mesh.apex.call(Map.of(), 5_000)).isEqualTo("primary");
    // The marker: a route configuration grpc-java accepts (the good one, plus a field it ignores, for a
    // version of its own). A resend of the rejected one after the NACK would reach the client, and its
    // NACK the server, before the marker's ACK on the same stream.
    RouteConfiguration marker = rc.toBuilder().addResponseHeadersToRemove("x-appmeshxds-test-marker").build();
    Map<XdsResources.Type, List<XdsResources.Resource>> markerParts = new EnumMap<>(XdsResources.Type.class);
    for (XdsResources.Type t : XdsResources.Type.values()) {
      markerParts.put(t, t == XdsResources.Type.ROUTE ? List.of(XdsResources.Resource.of(rc.getName(), marker)) : good.get(t));
    }
    XdsResources markerResources = new XdsResources(key, markerParts);
    mesh.cp.cache().set(key, markerResources);
    String markerVersion = markerResources.version(XdsResources.Type.ROUTE);
    RunningMesh.await(() -> mesh.cp.acks().ackedAt(key, RDS, markerVersion) != null, 10_000);
    double storm = nacks() - nacksBefore;
    System.out.println("grpc-java NACKs after one bad RouteConfiguration, before the next one was acked: " + storm);
    assertThat(storm).as("grpc-java NACKs of the one bad version (its xDS client is shared by both channels)").isEqualTo(1);
    // Good config again.
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

  /** Waits until each client holds every type the server published for the load tester's sidecar. */
  private void awaitCaughtUp(AdsTestClient... clients) throws InterruptedException {
    NodeKey key = NodeKey.sidecar("appmesh", "flagger-loadtester_demo");
    RunningMesh.await(() -> java.util.Arrays.stream(clients).allMatch(c -> c.complete() && c.caughtUpWith(mesh.cp.cache().get(key))),
        20_000);
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
