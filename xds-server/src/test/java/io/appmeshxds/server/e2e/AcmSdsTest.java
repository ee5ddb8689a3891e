package io.appmeshxds.server.e2e;

import static io.appmeshxds.server.testing.AdsTestClient.CDS;
import static io.appmeshxds.server.testing.AdsTestClient.LDS;
import static io.appmeshxds.server.testing.AdsTestClient.RDS;
import static io.appmeshxds.server.testing.AdsTestClient.SDS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.aws.AcmKeys;
import io.appmeshxds.server.aws.FakeAcm;
import io.appmeshxds.server.configdump.ConfigDumpWriter;
import io.appmeshxds.server.source.AcmSource;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An ACM-backed mesh served end to end: the real SDK clients (built by AwsClients with endpoint
 * overrides) against a loopback ACM and ACM PCA that issue real certificates, the control plane's
 * ACM source on an injected clock, and ADS clients that behave like Envoy (they follow the SDS
 * secrets their listeners and clusters name). Shaped like AWS's howto-k8s-tls-acm walkthrough:
 * "blue" serves 8080 with an ACM certificate (STRICT), "front" reaches it with an ACM PCA trust,
 * "red" has nothing to do with either.
 */
class AcmSdsTest {
  static final String CERT = "arn:aws:acm:us-west-2:111122223333:certificate/0b8e2c5a-1111-2222-3333-444455556666";
  static final String CA = "arn:aws:acm-pca:us-west-2:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555";
  static final String BLUE = "mesh/tls-acm/virtualNode/blue_tls-acm";
  static final String FRONT = "mesh/tls-acm/virtualNode/front_tls-acm";
  static final String RED = "mesh/tls-acm/virtualNode/red_tls-acm";
  static final String HOST = "color-blue.tls-acm.svc.cluster.local";

  @TempDir Path dir;
  FakeAcm aws;
  FakeAcm.Ca ca;
  ControlPlane cp;
  ManifestSource files;
  AcmSource acm;
  final TestClock clock = new TestClock(Instant.parse("2026-12-01T00:00:00Z"));
  final List<String> logLines = new CopyOnWriteArrayList<>();
  final List<AdsTestClient> clients = new ArrayList<>();
  AppenderBase<ILoggingEvent> capture;
  Map<String, Level> levels = new java.util.HashMap<>();

  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        logLines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
      }
    };
    capture.start();
    root.addAppender(capture);
    // Everything the SDK, java-control-plane and we log at debug too: a key must not show up at
    // any level. (gRPC's own frame logging, which hex-dumps messages, is documented as off-limits.)
    for (String name : List.of("software.amazon.awssdk", "io.appmeshxds", "io.envoyproxy")) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      levels.put(name, l.getLevel());
      l.setLevel(Level.DEBUG);
    }
    aws = new FakeAcm();
    ca = aws.ca(CA);
    aws.issue(CERT, ca, HOST);
    Files.writeString(dir.resolve("mesh.yaml"), MANIFEST);
    cp = new ControlPlane(Pipelines.standard(ControlPlaneConfig.defaults()), ControlPlane.Settings.loopback(), List.of(),
        List.of()).start();
    files = new ManifestSource(List.of(dir), cp.store(), 50).start();
    await(() -> cp.reconciler().ready(), 20_000);
    acm = new AcmSource(cp.store(), aws::clients, new AcmSource.Settings(Duration.ofMinutes(30), Duration.ofSeconds(5)), clock,
        new Random(7), cp.metrics());
  }

  @AfterEach
  void stop() throws Exception {
    for (AdsTestClient c : clients) {
      c.close();
    }
    acm.close();
    files.close();
    cp.close();
    aws.close();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(capture);
    levels.forEach((n, l) -> ((Logger) LoggerFactory.getLogger(n)).setLevel(l));
  }

  AdsTestClient client(String node, String... alsoSecrets) {
    AdsTestClient c = new AdsTestClient(cp.xdsPort(), node, false).alsoRequestSecrets(alsoSecrets).start();
    clients.add(c);
    return c;
  }

  @Test
  void aListenerWaitsForItsCertificateThenGetsItOverSdsAndNoOtherProxyCan() throws Exception {
    AdsTestClient blue = client(BLUE);
    await(blue::complete, 20_000);
    assertThat(blue.held().get(LDS)).as("no ingress listener before the certificate is fetched (never plaintext)")
        .doesNotContainKey("lds_ingress_0.0.0.0_15000");

    acm.refresh();

    await(() -> blue.held().getOrDefault(SDS, Map.of()).containsKey(CERT), 20_000);
    FakeAcm.Issued issued = aws.issued(CERT);
    Secret s = blue.held().get(SDS).get(CERT).unpack(Secret.class);
    assertThat(s.getTlsCertificate().getCertificateChain().getInlineString()).as("the certificate, then ACM's chain")
        .startsWith(issued.pem()).contains(ca.pem());
    ByteString key = s.getTlsCertificate().getPrivateKey().getInlineStringBytes();
    assertThat(key.toStringUtf8()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(s.getTlsCertificate().hasPassword()).as("decrypted here, no password sent").isFalse();
    AcmKeys.checkPair(issued.certificate(), key);
    assertThat(der(key)).isEqualTo(issued.keyDer());
    assertThat(aws.count("ExportCertificate")).isEqualTo(1);

    await(() -> blue.held().get(LDS).containsKey("lds_ingress_0.0.0.0_15000"), 20_000);
    Listener ingress = blue.held().get(LDS).get("lds_ingress_0.0.0.0_15000").unpack(Listener.class);
    DownstreamTlsContext tls = ingress.getFilterChains(0).getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo(CERT);
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getSdsConfig().hasAds()).isTrue();

    AdsTestClient front = client(FRONT);
    await(() -> front.held().getOrDefault(SDS, Map.of()).containsKey(CA), 20_000);
    Secret trust = front.held().get(SDS).get(CA).unpack(Secret.class);
    assertThat(trust.getValidationContext().getTrustedCa().getInlineString()).isEqualTo(ca.pem());
    assertThat(front.held().get(SDS)).as("front gets the trust, not blue's key").doesNotContainKey(CERT);

    // Another proxy asks for blue's secret by name on its own stream: it is answered, with nothing.
    AdsTestClient red = client(RED, CERT);
    await(() -> red.responses(SDS) > 0 && red.complete(), 20_000);
    assertThat(red.held().get(SDS)).isEmpty();
    assertThat(cp.cache().get(XdsKeys.of(RED)).get(XdsResources.Type.SECRET)).isEmpty();
  }

  @Test
  void aRenewalSendsANewSecretAndNothingElseAndSoDoesACaRotation() throws Exception {
    acm.refresh();
    AdsTestClient blue = client(BLUE);
    AdsTestClient front = client(FRONT);
    await(() -> blue.complete() && blue.held().getOrDefault(SDS, Map.of()).containsKey(CERT), 20_000);
    await(() -> front.complete() && front.held().getOrDefault(SDS, Map.of()).containsKey(CA), 20_000);

    // Nothing changed in ACM: a check is a DescribeCertificate, not another (billed) export.
    clock.advance(Duration.ofMinutes(35));
    acm.refresh();
    assertThat(aws.count("DescribeCertificate")).isEqualTo(2);
    assertThat(aws.count("ExportCertificate")).isEqualTo(1);

    Map<String, String> before = versions(blue);
    Map<String, Integer> sentBefore = counts(blue);
    XdsResources serverBefore = cp.cache().get(XdsKeys.of(BLUE));
    FakeAcm.Issued renewed = aws.issue(CERT, ca, HOST);
    clock.advance(Duration.ofMinutes(35));
    acm.refresh();

    await(() -> !before.get(SDS).equals(blue.version(SDS)), 20_000);
    Secret s = blue.held().get(SDS).get(CERT).unpack(Secret.class);
    AcmKeys.checkPair(renewed.certificate(), s.getTlsCertificate().getPrivateKey().getInlineStringBytes());
    assertThat(s.getTlsCertificate().getCertificateChain().getInlineString()).startsWith(renewed.pem());
    XdsResources serverAfter = cp.cache().get(XdsKeys.of(BLUE));
    for (XdsResources.Type t : List.of(XdsResources.Type.LISTENER, XdsResources.Type.ROUTE, XdsResources.Type.CLUSTER)) {
      assertThat(serverAfter.version(t)).as("%s version", t).isEqualTo(serverBefore.version(t));
    }
    assertThat(serverAfter.version(XdsResources.Type.SECRET)).isNotEqualTo(serverBefore.version(XdsResources.Type.SECRET));
    assertThat(versions(blue)).as("client versions").containsEntry(LDS, before.get(LDS)).containsEntry(CDS, before.get(CDS))
        .containsEntry(RDS, before.get(RDS));
    assertThat(counts(blue)).as("responses other than SDS").containsEntry(LDS, sentBefore.get(LDS))
        .containsEntry(CDS, sentBefore.get(CDS)).containsEntry(RDS, sentBefore.get(RDS));

    // The CA's certificate changes (a rotation): front's trust secret follows, and nothing else.
    Map<String, String> frontBefore = versions(front);
    Map<String, Integer> frontSent = counts(front);
    FakeAcm.Ca rotated = aws.ca(CA);
    clock.advance(Duration.ofMinutes(35));
    acm.refresh();
    await(() -> !frontBefore.get(SDS).equals(front.version(SDS)), 20_000);
    assertThat(front.held().get(SDS).get(CA).unpack(Secret.class).getValidationContext().getTrustedCa().getInlineString())
        .isEqualTo(rotated.pem()).isNotEqualTo(ca.pem());
    assertThat(versions(front)).containsEntry(LDS, frontBefore.get(LDS)).containsEntry(CDS, frontBefore.get(CDS))
        .containsEntry(RDS, frontBefore.get(RDS));
    assertThat(counts(front)).containsEntry(LDS, frontSent.get(LDS)).containsEntry(CDS, frontSent.get(CDS))
        .containsEntry(RDS, frontSent.get(RDS));
  }

  @Test
  void aFailingExportKeepsTheLastGoodSecretAndSaysSoInStatusAndMetrics() throws Exception {
    acm.refresh();
    AdsTestClient blue = client(BLUE);
    await(() -> blue.complete() && blue.held().getOrDefault(SDS, Map.of()).containsKey(CERT), 20_000);
    FakeAcm.Issued first = aws.issued(CERT);
    String good = blue.version(SDS);

    aws.issue(CERT, ca, HOST);
    aws.fail("ExportCertificate", new FakeAcm.Failure(400, "AccessDeniedException",
        "User is not authorized to perform: acm:ExportCertificate"));
    clock.advance(Duration.ofMinutes(35));
    acm.refresh();

    await(() -> warning(BLUE_REF).contains("ExportCertificate failed"), 20_000);
    assertThat(warning(BLUE_REF)).contains("AccessDeniedException").contains("still serving the certificate fetched at");
    assertThat(cp.metrics().scrape()).contains("appmeshxds_acm_call_failures_total{operation=\"ExportCertificate\"} 1.0")
        .contains("appmeshxds_acm_failing{kind=\"certificate\"} 1.0");
    assertThat(blue.version(SDS)).as("the last good secret stays").isEqualTo(good);
    AcmKeys.checkPair(first.certificate(),
        blue.held().get(SDS).get(CERT).unpack(Secret.class).getTlsCertificate().getPrivateKey().getInlineStringBytes());

    // Retried after retrySeconds (with jitter), not after the 30-minute period.
    aws.heal("ExportCertificate");
    clock.advance(Duration.ofSeconds(6));
    acm.refresh();
    await(() -> !good.equals(blue.version(SDS)), 20_000);
    AcmKeys.checkPair(aws.issued(CERT).certificate(),
        blue.held().get(SDS).get(CERT).unpack(Secret.class).getTlsCertificate().getPrivateKey().getInlineStringBytes());
    await(() -> !warning(BLUE_REF).contains("failed"), 20_000);
    assertThat(cp.metrics().scrape()).contains("appmeshxds_acm_failing{kind=\"certificate\"} 0.0");
  }

  @Test
  void noKeyBytesInLogsDumpsRenderStatusOrErrors() throws Exception {
    acm.refresh();
    AdsTestClient blue = client(BLUE);
    await(() -> blue.complete() && blue.held().getOrDefault(SDS, Map.of()).containsKey(CERT), 20_000);
    FakeAcm.Issued first = aws.issued(CERT);
    aws.issue(CERT, ca, HOST);
    clock.advance(Duration.ofMinutes(35));
    acm.refresh();
    await(() -> matches(aws.issued(CERT), blue.held().get(SDS).get(CERT)), 20_000);
    // A failure too, so error paths log and report.
    aws.issue(CERT, ca, HOST);
    aws.fail("ExportCertificate", new FakeAcm.Failure(500, "InternalFailure", "try again"));
    clock.advance(Duration.ofMinutes(35));
    acm.refresh();
    await(() -> warning(BLUE_REF).contains("ExportCertificate failed"), 20_000);

    List<String> needles = new ArrayList<>();
    for (FakeAcm.Issued i : List.of(first, aws.issued(CERT))) {
      needles.addAll(keyNeedles(i.keyDer()));
    }
    String served = blue.held().get(SDS).get(CERT).unpack(Secret.class).getTlsCertificate().getPrivateKey().getInlineStringBytes()
        .toStringUtf8();
    List<String> lines = keyNeedles(der(ByteString.copyFromUtf8(served))).subList(2, 10);
    assertThat(lines).as("the needles (PEM lines of the key) are what a proxy receives").allMatch(served::contains);
    needles.addAll(keyNeedles(der(ByteString.copyFromUtf8(served))));
    for (String encrypted : aws.encryptedKeys()) {
      needles.addAll(pemLines(encrypted));
    }
    needles.addAll(aws.passphrases());
    // One passphrase per export call (the SDK retries the failing one with the same request).
    assertThat(new java.util.HashSet<>(aws.passphrases())).hasSize(3);

    Map<String, String> outputs = new java.util.LinkedHashMap<>();
    outputs.put("logs", String.join("\n", logLines));
    outputs.put("admin /config_dump", get("/config_dump?node=" + BLUE));
    outputs.put("admin /status", get("/status"));
    outputs.put("admin /metrics", get("/metrics"));
    XdsResources live = cp.cache().get(XdsKeys.of(BLUE));
    outputs.put("render --format config-dump (of the live resources)", ConfigDumpWriter.json(live));
    outputs.put("render json (of the live resources)", Pipelines.standard(ControlPlaneConfig.defaults()).json()
        .render(ConfigDumpWriter.redacted(live)));
    outputs.put("status report", cp.status().report().toString());
    outputs.put("store problems", cp.store().problems().toString());
    outputs.put("inputs", cp.store().snapshot().toString());
    io.appmeshxds.server.cli.RenderOutput r = io.appmeshxds.server.cli.RenderOutput.run(dir, BLUE, false);
    outputs.put("render CLI json", r.out() + r.err());
    io.appmeshxds.server.cli.RenderOutput d = io.appmeshxds.server.cli.RenderOutput.run(dir, BLUE, true);
    outputs.put("render CLI config-dump", d.out() + d.err());

    assertThat(outputs.get("admin /config_dump")).contains(CERT).contains("[redacted]");
    assertThat(outputs.get("logs")).contains("ACM certificate " + CERT + " renewed");
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      for (String n : needles) {
        assertThat(e.getValue()).as("%s must not contain key material", e.getKey()).doesNotContain(n);
      }
    }
  }

  static boolean matches(FakeAcm.Issued issued, Any secret) {
    try {
      AcmKeys.checkPair(issued.certificate(), secret.unpack(Secret.class).getTlsCertificate().getPrivateKey().getInlineStringBytes());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static final io.appmeshxds.translator.input.ObjectRef BLUE_REF =
      new io.appmeshxds.translator.input.ObjectRef("VirtualNode", "tls-acm", "blue");

  String warning(io.appmeshxds.translator.input.ObjectRef ref) {
    var report = cp.status().report();
    ObjectStatus s = report == null ? null : report.objects().get(ref);
    return s == null || s.condition() == null ? "" : s.condition().message();
  }

  String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** What would betray a key: its DER as text, its base64 whole, and each 64-character line of its PEM. */
  static List<String> keyNeedles(byte[] der) {
    List<String> out = new ArrayList<>();
    out.add(new String(der, StandardCharsets.ISO_8859_1).substring(8, 72));
    String b64 = Base64.getEncoder().encodeToString(der);
    out.add(b64);
    for (int i = 0; i + 64 <= b64.length(); i += 64) {
      out.add(b64.substring(i, i + 64));
    }
    return out;
  }

  static List<String> pemLines(String pem) {
    return pem.lines().filter(l -> !l.startsWith("-----") && l.length() >= 40).toList();
  }

  static byte[] der(ByteString pem) throws Exception {
    String t = pem.toStringUtf8();
    return Base64.getMimeDecoder().decode(t.substring(t.indexOf("-----\n") + 6, t.indexOf("-----END")));
  }

  static Map<String, String> versions(AdsTestClient c) {
    Map<String, String> m = new java.util.HashMap<>();
    for (String t : List.of(LDS, RDS, CDS, SDS)) {
      m.put(t, c.version(t));
    }
    return m;
  }

  static Map<String, Integer> counts(AdsTestClient c) {
    Map<String, Integer> m = new java.util.HashMap<>();
    for (String t : List.of(LDS, RDS, CDS, SDS)) {
      m.put(t, c.responses(t));
    }
    return m;
  }

  static void await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
    Await.until(condition, timeoutMillis);
  }

  /** Node keys as the cache holds them. */
  static final class XdsKeys {
    static NodeKey of(String node) {
      return NodeKey.parse(node, null, "envoy", "1.34.0");
    }
  }

  static final String MANIFEST = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: tls-acm
        labels:
          mesh: tls-acm
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata:
        name: tls-acm
      spec:
        namespaceSelector:
          matchLabels:
            mesh: tls-acm
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata:
        name: blue
        namespace: tls-acm
      spec:
        podSelector:
          matchLabels:
            app: color
            version: blue
        listeners:
          - portMapping:
              port: 8080
              protocol: http
            tls:
              mode: STRICT
              certificate:
                acm:
                  certificateARN: %s
        serviceDiscovery:
          dns:
            hostname: %s
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata:
        name: color
        namespace: tls-acm
      spec:
        awsName: color.tls-acm.svc.cluster.local
        provider:
          virtualNode:
            virtualNodeRef:
              name: blue
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata:
        name: front
        namespace: tls-acm
      spec:
        podSelector:
          matchLabels:
            app: front
        listeners:
          - portMapping:
              port: 8080
              protocol: http
        backends:
          - virtualService:
              virtualServiceRef:
                name: color
        backendDefaults:
          clientPolicy:
            tls:
              enforce: true
              validation:
                trust:
                  acm:
                    certificateAuthorityARNs:
                      - %s
        serviceDiscovery:
          dns:
            hostname: front.tls-acm.svc.cluster.local
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata:
        name: red
        namespace: tls-acm
      spec:
        podSelector:
          matchLabels:
            app: color
            version: red
        listeners:
          - portMapping:
              port: 8080
              protocol: http
        serviceDiscovery:
          dns:
            hostname: color-red.tls-acm.svc.cluster.local
      """.formatted(CERT, HOST, CA);
}
