package io.appmeshxds.server.e2e;

import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.cli.Main;
import io.appmeshxds.server.grpc.ProxyAuthorization;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.FileTlsXdsCredentials;
import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.TestPki;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.server.tls.ServingFiles;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The xDS port with TLS and required client certificates (SPIFFE IDs), proxy authorization
 * required: an Envoy-like ADS client and grpc-java's xDS client get their own node's configuration
 * with a certificate of its namespace, and are refused with another namespace's, without one, or
 * when asking for a secret outside their configuration; a rotated server certificate is served to
 * new connections while an open stream keeps receiving updates; and no private key of the test PKI
 * appears in any log line, admin response or bootstrap printed along the way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class XdsMutualTlsTest {
  @TempDir static Path dir;
  @TempDir static Path pkiDir;
  final Backend primary = new Backend("primary");
  final Backend canary = new Backend("canary");
  final List<String> logLines = new CopyOnWriteArrayList<>();
  final List<String> outputs = new CopyOnWriteArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();
  final Map<String, Level> levels = new HashMap<>();
  AppenderBase<ILoggingEvent> capture;
  TestPki pki;
  TestPki.Issued serverCert;
  TestPki.Issued demo;
  TestPki.Issued other;
  MeshFiles files;
  ControlPlane cp;
  ServingFiles tls;
  ManifestSource source;

  XdsMutualTlsTest() throws Exception {}

  @BeforeAll
  void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        logLines.add(e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
      }
    };
    capture.start();
    root.addAppender(capture);
    for (String name : List.of("io.appmeshxds", "io.envoyproxy")) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      levels.put(name, l.getLevel());
      l.setLevel(Level.DEBUG);
    }
    pki = new TestPki(pkiDir, "mesh");
    serverCert = pki.server("xds-server");
    demo = pki.client("loadtester", "spiffe://cluster.local/ns/demo/sa/flagger-loadtester");
    other = pki.client("intruder", "spiffe://cluster.local/ns/other/sa/default");
    files = new MeshFiles(dir, RunningMesh.backends(primary, canary));
    cp = new ControlPlane(Pipelines.standard(ControlPlaneConfig.defaults()), ControlPlane.Settings.loopback(), List.of(), List.of());
    tls = new ServingFiles("xds", new ServingFiles.Files(serverCert.certFile(), serverCert.keyFile(), pki.caFile,
        ServingFiles.ClientAuth.REQUIRE), cp.metrics(), 50, System::currentTimeMillis);
    cp.xdsSecurity(tls.credentials(), new ProxyAuthorization.Settings(ProxyAuthorization.Mode.REQUIRED, "cluster.local"), null)
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
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(capture);
    levels.forEach((n, l) -> ((Logger) LoggerFactory.getLogger(n)).setLevel(l));
  }

  /** A TLS channel to the xDS port trusting the test CA, with this client certificate (or none), recording the server's. */
  ManagedChannel channel(TestPki.Issued client, AtomicReference<X509Certificate> serverSeen) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", pki.ca());
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    X509ExtendedTrustManager real = (X509ExtendedTrustManager) f.getTrustManagers()[0];
    X509ExtendedTrustManager recording = new X509ExtendedTrustManager() {
      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
          throws java.security.cert.CertificateException {
        serverSeen.set(chain[0]);
        real.checkServerTrusted(chain, authType, engine);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) throws java.security.cert.CertificateException {
        serverSeen.set(chain[0]);
        real.checkServerTrusted(chain, authType, s);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
        serverSeen.set(chain[0]);
        real.checkServerTrusted(chain, authType);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

      @Override
      public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

      @Override
      public void checkClientTrusted(X509Certificate[] c, String a) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return real.getAcceptedIssuers();
      }
    };
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(recording);
    if (client != null) {
      b.keyManager(client.certFile().toFile(), client.keyFile().toFile());
    }
    return Grpc.newChannelBuilderForAddress("127.0.0.1", cp.xdsPort(), b.build()).build();
  }

  AdsTestClient ads(TestPki.Issued client, String node, AtomicReference<X509Certificate> seen, String... secrets) throws Exception {
    AdsTestClient c = new AdsTestClient(channel(client, seen), node, false).alsoRequestSecrets(secrets).start();
    closeables.add(c);
    return c;
  }

  double denied(String reason) {
    var c = cp.metrics().find("appmeshxds_xds_denied_total").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @Order(1)
  void envoyLikeClientWithACertificateOfItsNamespaceGetsItsConfig() throws Exception {
    AtomicReference<X509Certificate> seen = new AtomicReference<>();
    AdsTestClient c = ads(demo, MeshFiles.LOADTESTER, seen);
    RunningMesh.await(c::complete, 20_000);
    assertThat(c.ended()).isNull();
    assertThat(c.held().get(RDS)).containsKey("rds_egress_http_9898");
    assertThat(seen.get().getSerialNumber()).isEqualTo(serverCert.cert().getSerialNumber());
  }

  @Test
  @Order(2)
  void aCertificateOfAnotherNamespaceIsRefusedAndCounted() throws Exception {
    double before = denied("foreign_node");
    AdsTestClient c = ads(other, MeshFiles.LOADTESTER, new AtomicReference<>());
    RunningMesh.await(() -> c.ended() != null, 10_000);
    assertThat(c.ended()).isEqualTo("PERMISSION_DENIED");
    assertThat(c.endedDescription()).isEqualTo("permission denied");
    assertThat(c.responses()).isZero();
    assertThat(denied("foreign_node")).isEqualTo(before + 1);
    // Over delta xDS too.
    AdsTestClient delta = new AdsTestClient(channel(other, new AtomicReference<>()), MeshFiles.LOADTESTER, true).start();
    closeables.add(delta);
    RunningMesh.await(() -> delta.ended() != null, 10_000);
    assertThat(delta.ended()).isEqualTo("PERMISSION_DENIED");
    assertThat(delta.responses()).isZero();
    assertThat(denied("foreign_node")).isEqualTo(before + 2);
    // A node that does not exist is refused the same way, with the same text.
    AdsTestClient d = ads(other, "mesh/appmesh/virtualNode/nosuch_other", new AtomicReference<>());
    RunningMesh.await(() -> d.ended() != null, 10_000);
    assertThat(d.ended()).isEqualTo("PERMISSION_DENIED");
    assertThat(d.endedDescription()).isEqualTo("permission denied");
  }

  @Test
  @Order(3)
  void noClientCertificateIsRefusedAtTheHandshake() throws Exception {
    AdsTestClient c = ads(null, MeshFiles.LOADTESTER, new AtomicReference<>());
    RunningMesh.await(() -> c.ended() != null, 10_000);
    assertThat(c.ended()).isEqualTo("UNAVAILABLE");
    assertThat(c.responses()).isZero();
  }

  @Test
  @Order(4)
  void aSecretOutsideItsConfigurationIsRefused() throws Exception {
    double before = denied("foreign_secret");
    int connected = cp.callbacks().connected(io.appmeshxds.translator.plan.NodeKey.Kind.SIDECAR);
    int watches = cp.cache().openWatches();
    AdsTestClient c = ads(demo, MeshFiles.LOADTESTER, new AtomicReference<>(), "someone-elses-certificate");
    RunningMesh.await(() -> c.ended() != null, 10_000);
    // The refused stream is closed on the server too: it does not stay counted as a connected proxy.
    RunningMesh.await(() -> cp.callbacks().connected(io.appmeshxds.translator.plan.NodeKey.Kind.SIDECAR) == connected, 10_000);
    RunningMesh.await(() -> cp.cache().openWatches() == watches, 10_000);
    assertThat(c.ended()).isEqualTo("PERMISSION_DENIED");
    assertThat(c.endedDescription()).isEqualTo("permission denied");
    assertThat(denied("foreign_secret")).isEqualTo(before + 1);
  }

  @Test
  @Order(5)
  void grpcJavaOverMutualTlsRoutesWithItsCertificateAndIsRefusedWithAnother() throws Exception {
    XdsChannel good = new XdsChannel(cp.xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898", Map.of("type",
        FileTlsXdsCredentials.NAME, "config", Map.of("ca_certificate_file", pki.caFile.toString(),
            "certificate_file", demo.certFile().toString(), "private_key_file", demo.keyFile().toString())));
    closeables.add(good);
    assertThat(good.call(Map.of(), 20_000)).isIn("primary", "canary");
    double before = denied("foreign_node");
    XdsChannel bad = new XdsChannel(cp.xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898", Map.of("type",
        FileTlsXdsCredentials.NAME, "config", Map.of("ca_certificate_file", pki.caFile.toString(),
            "certificate_file", other.certFile().toString(), "private_key_file", other.keyFile().toString())));
    closeables.add(bad);
    assertThat(bad.call(Map.of(), 3_000)).isIn("UNAVAILABLE", "DEADLINE_EXCEEDED");
    assertThat(denied("foreign_node")).isGreaterThan(before);
  }

  @Test
  @Order(6)
  void aRotatedServerCertificateIsServedToNewConnectionsWhileAnOpenStreamKeepsWorking() throws Exception {
    AtomicReference<X509Certificate> seenA = new AtomicReference<>();
    AdsTestClient a = ads(demo, MeshFiles.LOADTESTER, seenA);
    RunningMesh.await(a::complete, 20_000);
    assertThat(seenA.get().getSerialNumber()).isEqualTo(serverCert.cert().getSerialNumber());
    TestPki.Issued rotated = pki.server("xds-server"); // files rewritten (atomic rename), same paths
    AtomicReference<X509Certificate> seenB = new AtomicReference<>();
    long t0 = System.nanoTime();
    AdsTestClient b = ads(demo, MeshFiles.LOADTESTER, seenB);
    RunningMesh.await(b::complete, 20_000);
    // The check runs at most every 50 ms, lazily on a handshake: the first new connection may still
    // get the old certificate; one within a second gets the new one.
    RunningMesh.await(() -> {
      try {
        AtomicReference<X509Certificate> s = new AtomicReference<>();
        try (AdsTestClient probe = new AdsTestClient(channel(demo, s), MeshFiles.LOADTESTER, false).start()) {
          RunningMesh.await(() -> s.get() != null, 5_000);
        }
        return s.get().getSerialNumber().equals(rotated.cert().getSerialNumber());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, 5_000);
    System.out.printf("rotation visible to new connections after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(a.ended()).as("the stream opened before the rotation is still open").isNull();
    String before = a.version(RDS);
    files.router(Flagger.weights(30));
    RunningMesh.await(() -> !before.equals(a.version(RDS)), 20_000);
    assertThat(a.ended()).isNull();
    assertThat(cp.metrics().find("appmeshxds_tls_reloads_total").tag("port", "xds").tag("result", "ok").counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(7)
  void noPrivateKeyMaterialInLogsAdminResponsesOrBootstraps() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/config_dump?node=" + MeshFiles.LOADTESTER, "/status", "/metrics", "/ready", "/healthz")) {
      outputs.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.adminPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body());
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("bootstrap", "--node", MeshFiles.LOADTESTER, "--xds-address", "localhost:" + cp.xdsPort(),
        "--xds-tls", "--xds-ca", pki.caFile.toString(), "--xds-cert", demo.certFile().toString(), "--xds-key",
        demo.keyFile().toString())).isZero();
    outputs.add(out.toString());
    outputs.add(err.toString());
    assertThat(out.toString()).contains(demo.keyFile().toString());
    StringWriter render = new StringWriter();
    CommandLine rl = new CommandLine(new Main());
    rl.setOut(new PrintWriter(render));
    rl.setErr(new PrintWriter(render));
    assertThat(rl.execute("render", "--manifests", dir.toString(), "--node", MeshFiles.LOADTESTER)).isZero();
    outputs.add(render.toString());
    List<String> bodies = pki.keyBodies();
    assertThat(bodies).as("two strings per key: server, rotated server, two clients").hasSize(8);
    assertThat(logLines).as("logs were captured").isNotEmpty();
    String all = String.join("\n", logLines) + "\n" + String.join("\n", outputs);
    for (String b : bodies) {
      assertThat(all).doesNotContain(b);
    }
    assertThat(all).doesNotContain("PRIVATE KEY");
    System.out.printf("grepped %d log lines and %d outputs (%d chars) for %d key lines%n", logLines.size(), outputs.size(),
        all.length(), bodies.size());
  }
}
