package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.grpc.ProxyAuthorization;
import io.appmeshxds.server.status.kubernetes.Leadership;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.TestPki;
import io.appmeshxds.server.tls.ServingFiles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Grpc;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy authorization with pods ({@code serve --kubernetes}, {@code --proxy-authorization-pods on})
 * against fabric8's mock API in CRUD mode, with client certificates (SPIFFE IDs) on the xDS port:
 * two replicas of the control plane, one {@code required} and one {@code warn}. In namespace
 * {@code demo} the load tester's pod runs under service account {@code flagger-loadtester}, and a
 * podinfo pod under {@code default}. The load tester's identity gets its node's configuration;
 * {@code default}, of the same namespace and running a pod, but not one the load tester's
 * podSelector selects, is refused (required) or allowed with a warning (warn); a node without
 * podSelector has no proxy; while the pod watch is down only the namespace is checked; and once the
 * load tester's pod is deleted, new claims of its identity are refused while the stream it already
 * had stays open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyAuthorizationPodsTest {
  static final String PRIMARY = "mesh/appmesh/virtualNode/podinfo-primary_demo";
  static final String NO_SELECTOR = "mesh/appmesh/virtualNode/batch-job_demo";
  static final String GATEWAY = "mesh/appmesh/virtualGateway/ingress_demo";

  @TempDir static Path dir;
  @TempDir static Path pkiDir;
  final Backend primary = new Backend("primary");
  final Backend canary = new Backend("canary");
  final List<AutoCloseable> closeables = new ArrayList<>();
  MockApi api;
  KubernetesClient requiredClient;
  KubernetesClient warnClient;
  KubernetesMode required;
  KubernetesMode warn;
  TestPki pki;
  TestPki.Issued loadtester;
  TestPki.Issued defaultSa;
  TestPki.Issued otherNamespace;
  TestPki.Issued gatewaySa;

  ProxyAuthorizationPodsTest() throws Exception {}

  static Pod pod(String name, String serviceAccount, Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("demo").withLabels(labels).endMetadata()
        .withNewSpec().withServiceAccountName(serviceAccount).addNewContainer().withName("app").withImage("app").endContainer()
        .endSpec().withNewStatus().withPhase("Running").endStatus().build();
  }

  KubernetesMode replica(KubernetesClient client, String identity, ProxyAuthorization.Mode mode, TestPki.Issued server)
      throws Exception {
    return KubernetesMode.start(client, Pipelines.standard(), ControlPlane.Settings.loopback(),
        new KubernetesMode.Settings(null, "appmesh-system", identity,
            new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))),
        io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry.noop(),
        io.appmeshxds.server.cloudmap.CloudMapSetup.of(io.appmeshxds.tracing.config.ControlPlaneConfig.defaults().aws()),
        c -> c.xdsSecurity(new ServingFiles("xds", new ServingFiles.Files(server.certFile(), server.keyFile(), pki.caFile,
            ServingFiles.ClientAuth.REQUIRE), c.metrics()).credentials(),
            new ProxyAuthorization.Settings(mode, "cluster.local", true), null));
  }

  @BeforeAll
  void start() throws Exception {
    api = new MockApi();
    new MeshFiles(dir, RunningMesh.backends(primary, canary));
    api.applyDir(dir);
    api.apply("""
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: batch-job
          namespace: demo
        spec:
          backends:
            - virtualService:
                virtualServiceRef:
                  name: podinfo
        """);
    api.apply("""
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualGateway
        metadata:
          name: ingress
          namespace: demo
        spec:
          namespaceSelector:
            matchLabels:
              gateway: ingress
          podSelector:
            matchLabels:
              app: ingress-gw
          listeners:
            - portMapping:
                port: 8088
                protocol: http
        """);
    api.admin().pods().inNamespace("demo").resource(pod("ingress-gw-1", "ingress-gw", Map.of("app", "ingress-gw"))).create();
    api.admin().pods().inNamespace("demo").resource(pod("loadtester-1", "flagger-loadtester",
        Map.of("app", "flagger-loadtester"))).create();
    api.admin().pods().inNamespace("demo").resource(pod("podinfo-1", "default", Map.of("app", "podinfo-primary"))).create();
    pki = new TestPki(pkiDir, "mesh");
    TestPki.Issued server = pki.server("xds-server");
    loadtester = pki.client("loadtester", "spiffe://cluster.local/ns/demo/sa/flagger-loadtester");
    defaultSa = pki.client("default", "spiffe://cluster.local/ns/demo/sa/default");
    otherNamespace = pki.client("other", "spiffe://cluster.local/ns/other/sa/flagger-loadtester");
    gatewaySa = pki.client("ingress-gw", "spiffe://cluster.local/ns/demo/sa/ingress-gw");
    requiredClient = api.newClient();
    warnClient = api.newClient();
    required = replica(requiredClient, "replica-required", ProxyAuthorization.Mode.REQUIRED, server);
    warn = replica(warnClient, "replica-warn", ProxyAuthorization.Mode.WARN, server);
    for (KubernetesMode m : List.of(required, warn)) {
      RunningMesh.await(() -> m.controlPlane().reconciler().ready() && m.pods().known()
          && m.controlPlane().reconciler().lastBuild().model().mesh("appmesh").nodes().containsKey("batch-job_demo")
          && m.controlPlane().reconciler().lastBuild().model().mesh("appmesh").gateways().containsKey("ingress_demo"), 30_000);
    }
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    warn.close();
    required.close();
    warnClient.close();
    requiredClient.close();
    api.close();
    primary.close();
    canary.close();
  }

  AdsTestClient ads(KubernetesMode replica, TestPki.Issued cert, String node) throws Exception {
    var creds = TlsChannelCredentials.newBuilder().trustManager(pki.caFile.toFile())
        .keyManager(cert.certFile().toFile(), cert.keyFile().toFile()).build();
    AdsTestClient c = new AdsTestClient(Grpc.newChannelBuilderForAddress("127.0.0.1", replica.controlPlane().xdsPort(), creds)
        .build(), node, false).start();
    closeables.add(c);
    return c;
  }

  static double count(KubernetesMode replica, String name, String reason) {
    var c = replica.controlPlane().metrics().find(name).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  static void awaitRefused(AdsTestClient c) throws InterruptedException {
    Await.until(() -> c.ended() != null, 10_000, () -> "stream still open, " + c.responses() + " responses");
    assertThat(c.ended()).isEqualTo("PERMISSION_DENIED");
    assertThat(c.endedDescription()).as("nothing about pods or nodes leaks").isEqualTo("permission denied");
    assertThat(c.responses()).isZero();
  }

  @Test
  @Order(1)
  void theServiceAccountOfASelectedPodGetsItsNodesConfig() throws Exception {
    AdsTestClient c = ads(required, loadtester, MeshFiles.LOADTESTER);
    Await.until(c::complete, 20_000, () -> "ended " + c.ended());
    assertThat(c.ended()).isNull();
    // And default, whose pod podinfo-primary selects, is podinfo-primary.
    AdsTestClient p = ads(required, defaultSa, PRIMARY);
    Await.until(p::complete, 20_000, () -> "ended " + p.ended());
    assertThat(p.ended()).isNull();
    assertThat(required.pods().size()).isEqualTo(3);
    assertThat(required.controlPlane().metrics().find("appmeshxds_proxy_authorization_pods_known").gauge().value()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void anotherServiceAccountOfTheSameNamespaceIsRefused() throws Exception {
    double before = count(required, "appmeshxds_xds_denied_total", "service_account");
    awaitRefused(ads(required, defaultSa, MeshFiles.LOADTESTER));
    assertThat(count(required, "appmeshxds_xds_denied_total", "service_account")).isEqualTo(before + 1);
    // The namespace rule still comes first.
    double foreign = count(required, "appmeshxds_xds_denied_total", "foreign_node");
    awaitRefused(ads(required, otherNamespace, MeshFiles.LOADTESTER));
    assertThat(count(required, "appmeshxds_xds_denied_total", "foreign_node")).isEqualTo(foreign + 1);
  }

  @Test
  @Order(3)
  void aVirtualGatewayIsCheckedByItsOwnPodSelector() throws Exception {
    // The gateway's service account, whose pod the VirtualGateway's podSelector selects: served.
    AdsTestClient g = ads(required, gatewaySa, GATEWAY);
    Await.until(() -> g.responses() > 0 || g.ended() != null, 20_000, () -> "no response");
    assertThat(g.ended()).isNull();
    // A service account of the namespace whose pods the gateway does not select: refused.
    double before = count(required, "appmeshxds_xds_denied_total", "service_account");
    awaitRefused(ads(required, loadtester, GATEWAY));
    assertThat(count(required, "appmeshxds_xds_denied_total", "service_account")).isEqualTo(before + 1);
    // And the gateway's account may not claim a sidecar's node.
    awaitRefused(ads(required, gatewaySa, MeshFiles.LOADTESTER));
  }

  @Test
  @Order(3)
  void aNodeWithoutPodSelectorHasNoProxy() throws Exception {
    double before = count(required, "appmeshxds_xds_denied_total", "service_account");
    awaitRefused(ads(required, loadtester, NO_SELECTOR));
    assertThat(count(required, "appmeshxds_xds_denied_total", "service_account")).isEqualTo(before + 1);
  }

  @Test
  @Order(4)
  void inWarnModeAnotherServiceAccountIsAllowedAndCounted() throws Exception {
    double before = count(warn, "appmeshxds_xds_authz_warnings_total", "service_account");
    AdsTestClient c = ads(warn, defaultSa, MeshFiles.LOADTESTER);
    Await.until(c::complete, 20_000, () -> "ended " + c.ended());
    assertThat(c.ended()).isNull();
    assertThat(count(warn, "appmeshxds_xds_authz_warnings_total", "service_account")).isEqualTo(before + 1);
    assertThat(count(warn, "appmeshxds_xds_denied_total", "service_account")).isZero();
  }

  @Test
  @Order(5)
  void whileThePodWatchIsDownOnlyTheNamespaceIsChecked() throws Exception {
    api.proxy().refuse(true);
    api.proxy().cut();
    try {
      Await.until(() -> !required.pods().known(), 20_000, () -> "pods still known");
      double denied = count(required, "appmeshxds_xds_denied_total", "service_account");
      AdsTestClient c = ads(required, defaultSa, MeshFiles.LOADTESTER);
      Await.until(c::complete, 20_000, () -> "ended " + c.ended());
      assertThat(c.ended()).isNull();
      assertThat(count(required, "appmeshxds_xds_denied_total", "service_account")).isEqualTo(denied);
      assertThat(required.controlPlane().metrics().find("appmeshxds_proxy_authorization_pods_known").gauge().value()).isZero();
      awaitRefused(ads(required, otherNamespace, MeshFiles.LOADTESTER));
    } finally {
      api.proxy().refuse(false);
    }
    Await.until(() -> required.pods().known(), 30_000, () -> "pods not known again");
    awaitRefused(ads(required, defaultSa, MeshFiles.LOADTESTER));
  }

  @Test
  @Order(6)
  void onceThePodIsDeletedNewClaimsAreRefusedAndTheOpenStreamStays() throws Exception {
    AdsTestClient open = ads(required, loadtester, MeshFiles.LOADTESTER);
    Await.until(open::complete, 20_000, () -> "ended " + open.ended());
    api.admin().pods().inNamespace("demo").withName("loadtester-1").delete();
    Await.until(() -> Boolean.FALSE.equals(required.pods().anyRunning("demo", "flagger-loadtester", l -> true)), 20_000,
        () -> "pod still indexed");
    double before = count(required, "appmeshxds_xds_denied_total", "service_account");
    awaitRefused(ads(required, loadtester, MeshFiles.LOADTESTER));
    assertThat(count(required, "appmeshxds_xds_denied_total", "service_account")).isEqualTo(before + 1);
    // Checked when a stream claims its node, not again: the stream opened before stays (until it
    // reconnects, at the latest after --xds-max-connection-age).
    assertThat(open.ended()).isNull();
  }
}
