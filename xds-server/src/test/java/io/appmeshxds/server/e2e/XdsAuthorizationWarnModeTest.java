package io.appmeshxds.server.e2e;

import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.grpc.ProxyAuthorization;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.TestPki;
import io.appmeshxds.server.tls.ServingFiles;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.grpc.Grpc;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy authorization in mode {@code warn} with optional client certificates (a migration): streams
 * without a certificate, or with one of another namespace, still get their configuration and are
 * counted as warnings; but only a stream authenticated as the node may write its status: a NACK
 * from an unauthenticated stream is counted and logged, and leaves no ConfigRejected behind, while
 * the same NACK from the node's own certificate is recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class XdsAuthorizationWarnModeTest {
  @TempDir static Path dir;
  @TempDir static Path pkiDir;
  final Backend primary = new Backend("primary");
  final Backend canary = new Backend("canary");
  final List<AutoCloseable> closeables = new ArrayList<>();
  TestPki pki;
  TestPki.Issued demo;
  TestPki.Issued other;
  ControlPlane cp;
  ManifestSource source;

  XdsAuthorizationWarnModeTest() throws Exception {}

  @BeforeAll
  void start() throws Exception {
    pki = new TestPki(pkiDir, "mesh");
    TestPki.Issued server = pki.server("xds-server");
    demo = pki.client("loadtester", "spiffe://cluster.local/ns/demo/sa/flagger-loadtester");
    other = pki.client("intruder", "spiffe://cluster.local/ns/other/sa/default");
    new MeshFiles(dir, RunningMesh.backends(primary, canary));
    cp = new ControlPlane(Pipelines.standard(ControlPlaneConfig.defaults()), ControlPlane.Settings.loopback(), List.of(), List.of());
    ServingFiles tls = new ServingFiles("xds", new ServingFiles.Files(server.certFile(), server.keyFile(), pki.caFile,
        ServingFiles.ClientAuth.OPTIONAL), cp.metrics());
    cp.xdsSecurity(tls.credentials(), new ProxyAuthorization.Settings(ProxyAuthorization.Mode.WARN, "cluster.local"), null)
        .start();
    source = new ManifestSource(List.of(dir), cp.store(), 50).start();
    RunningMesh.await(() -> cp.reconciler().ready(), 20_000);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    source.close();
    cp.close();
    primary.close();
    canary.close();
  }

  AdsTestClient ads(TestPki.Issued client) throws Exception {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(pki.caFile.toFile());
    if (client != null) {
      b.keyManager(client.certFile().toFile(), client.keyFile().toFile());
    }
    AdsTestClient c = new AdsTestClient(Grpc.newChannelBuilderForAddress("localhost", cp.xdsPort(), b.build()).build(),
        MeshFiles.LOADTESTER, false);
    closeables.add(c);
    return c;
  }

  double metric(String name, String tag, String value) {
    var c = cp.metrics().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @Order(1)
  void unauthenticatedAndForeignStreamsAreServedAndCountedAsWarnings() throws Exception {
    double unauth = metric("appmeshxds_xds_authz_warnings_total", "reason", "unauthenticated");
    double foreign = metric("appmeshxds_xds_authz_warnings_total", "reason", "foreign_node");
    AdsTestClient none = ads(null).start();
    AdsTestClient intruder = ads(other).start();
    RunningMesh.await(() -> none.complete() && intruder.complete(), 20_000);
    assertThat(metric("appmeshxds_xds_authz_warnings_total", "reason", "unauthenticated")).isEqualTo(unauth + 1);
    assertThat(metric("appmeshxds_xds_authz_warnings_total", "reason", "foreign_node")).isEqualTo(foreign + 1);
    assertThat(cp.metrics().find("appmeshxds_xds_denied_total").counters()).allMatch(c -> c.count() == 0);
  }

  @Test
  @Order(2)
  void onlyTheNodesOwnStreamWritesItsNackStatus() throws Exception {
    double nacks = metric("appmeshxds_nacks_total", "type", "rds");
    AdsTestClient forged = ads(null).nack(RDS).start();
    AdsTestClient foreign = ads(other).nack(RDS).start();
    // The NACKs are counted on the stream's thread, in the same call that would record them.
    RunningMesh.await(() -> metric("appmeshxds_nacks_total", "type", "rds") >= nacks + 2, 20_000);
    assertThat(cp.nacks().snapshot()).as("nothing recorded from unauthenticated or foreign streams").isEmpty();
    forged.close();
    foreign.close();
    ads(demo).nack(RDS).start();
    RunningMesh.await(() -> !cp.nacks().snapshot().isEmpty(), 20_000);
    assertThat(cp.nacks().snapshot()).containsOnlyKeys(NodeKey.sidecar("appmesh", "flagger-loadtester_demo"));
  }
}
