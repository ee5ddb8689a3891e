package io.appmeshxds.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.appmeshxds.server.inject.InjectionSettings;
import io.appmeshxds.server.inject.Injector;
import io.appmeshxds.server.testing.Admissions;
import io.appmeshxds.server.testing.TestPki;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.config.Injection;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code injection.webhook.certificates: files}: the serving certificate comes from {@code tls.crt}
 * and {@code tls.key} in {@code certDir}, where a cert-manager Secret is mounted. Served over real
 * HTTPS to a JDK client that trusts only the issuing CA; a renewal (cert-manager rewrites the Secret,
 * the kubelet swaps the volume's {@code ..data} symlink to a new timestamped directory) is served on
 * the next round without a restart; a half-written or mismatched pair keeps the served certificate
 * and says so in the log, naming the directory and never key material. No API server is given: in
 * this mode the control plane writes neither a Secret nor a caBundle (cert-manager's CA injector does).
 */
class WebhookCertificateFilesTest {
  static final String NS = "appmesh-system";

  @TempDir Path tmp;
  Path certDir;
  TestPki pki;
  ServingTls tls;
  WebhookCertificates certificates;
  WebhookServer server;
  ListAppender<ILoggingEvent> logs;
  ch.qos.logback.classic.Logger logger;

  @BeforeEach
  void setUp() throws Exception {
    certDir = Files.createDirectories(tmp.resolve("webhook"));
    pki = new TestPki(Files.createDirectories(tmp.resolve("pki")), "webhook");
    tls = new ServingTls();
    Injection.Webhook cfg = new Injection.Webhook("files", null, certDir.toString(), null, "localhost", null, null);
    certificates = new WebhookCertificates(null, NS, cfg, tls, Clock.systemUTC(), () -> true);
    logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.appmeshxds.server.webhook");
    logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(logs);
    if (server != null) {
      server.close();
    }
    certificates.close();
  }

  void startServer() throws Exception {
    ControlPlaneConfig cfg = ControlPlaneConfig.defaults();
    server = new WebhookServer(new InetSocketAddress("127.0.0.1", 0), tls, new AdmissionHandler(
        new Injector(InjectionSettings.of(cfg)), Injection.FailurePolicy.Fail, () -> null, AdmissionHandler.Counters.NONE)).start();
  }

  /** The serial of the certificate a new handshake gets, from a client that trusts only the test CA. */
  BigInteger served() throws Exception {
    HttpResponse<String> r = WebhookHttpsTest.post(server.port(), Files.readString(pki.caFile), Admissions.review("u", "demo",
        Admissions.JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"a\"}]}}")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Admissions.JSON.readTree(r.body()).path("response").path("uid").asString()).isEqualTo("u");
    return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
  }

  /**
   * What the kubelet's atomic writer does to a Secret volume: the files go into a new
   * {@code ..<timestamp>} directory, a {@code ..data_tmp} symlink to it is renamed over
   * {@code ..data} (one atomic step), the top-level names are symlinks through {@code ..data}, and
   * the old directory is removed.
   */
  void kubeletWrites(String stamp, TestPki.Issued pair) throws Exception {
    Path ts = Files.createDirectory(certDir.resolve(".." + stamp));
    Files.copy(pair.certFile(), ts.resolve("tls.crt"));
    Files.copy(pair.keyFile(), ts.resolve("tls.key"));
    Files.copy(pki.caFile, ts.resolve("ca.crt"));
    Path data = certDir.resolve("..data");
    Path old = Files.isSymbolicLink(data) ? certDir.resolve(Files.readSymbolicLink(data)) : null;
    Path link = Files.createSymbolicLink(certDir.resolve("..data_tmp"), ts.getFileName());
    Files.move(link, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    for (String f : List.of("tls.crt", "tls.key", "ca.crt")) {
      if (!Files.isSymbolicLink(certDir.resolve(f))) {
        Files.createSymbolicLink(certDir.resolve(f), Path.of("..data", f));
      }
    }
    if (old != null) {
      try (Stream<Path> s = Files.list(old)) {
        for (Path p : s.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(old);
    }
  }

  List<String> lines() {
    return logs.list.stream().filter(e -> e.getLoggerName().equals(WebhookCertificates.class.getName()))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Warnings about certificates (the admission handler's "not read the mesh yet" answers are not about them). */
  List<String> warnings() {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().equals(WebhookCertificates.class.getName()))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aMountedSecretIsServedOverHttpsAndARenewalSwapIsServedWithoutARestart() throws Exception {
    TestPki.Issued first = pki.server("first");
    kubeletWrites("2025_01_01_00_00_00.000000001", first);
    certificates.tick();
    assertThat(tls.ready()).isTrue();
    startServer();
    assertThat(served()).isEqualTo(first.cert().getSerialNumber());
    certificates.tick();
    assertThat(served()).as("nothing changed, same certificate").isEqualTo(first.cert().getSerialNumber());

    // cert-manager renews: the Secret's data changes and the kubelet swaps ..data.
    TestPki.Issued second = pki.server("second");
    kubeletWrites("2025_02_01_00_00_00.000000002", second);
    assertThat(served()).as("until the next round, the loaded certificate").isEqualTo(first.cert().getSerialNumber());
    certificates.tick();
    assertThat(served()).isEqualTo(second.cert().getSerialNumber());
    assertThat(tls.notAfter()).isEqualTo(second.cert().getNotAfter().toInstant());

    // cert-manager's default key: RSA, PKCS#1 ("RSA PRIVATE KEY").
    TestPki.Issued rsa = pki.serverRsaPkcs1("third");
    assertThat(Files.readString(rsa.keyFile())).contains("BEGIN RSA PRIVATE KEY");
    kubeletWrites("2025_03_01_00_00_00.000000003", rsa);
    certificates.tick();
    assertThat(served()).isEqualTo(rsa.cert().getSerialNumber());

    assertThat(lines()).filteredOn(l -> l.startsWith("webhook: serving certificate loaded from " + certDir)).hasSize(3);
    assertThat(warnings()).isEmpty();
    assertNoKeyMaterialLogged();
  }

  /**
   * A pair written file by file (not through ..data): caught between the two writes, or with the
   * key cut short, or with the certificate cut short, it does not load; the certificate served
   * stays, each problem is logged once with the directory and what is wrong, and the complete pair
   * is served on the round after it is written.
   */
  @Test
  void aHalfWrittenOrMismatchedPairKeepsTheServedCertificateAndSaysSoWithoutKeyMaterial() throws Exception {
    TestPki.Issued first = pki.server("first");
    Path crt = certDir.resolve("tls.crt");
    Path key = certDir.resolve("tls.key");
    Files.copy(first.certFile(), crt);
    Files.copy(first.keyFile(), key);
    certificates.tick();
    startServer();
    assertThat(served()).isEqualTo(first.cert().getSerialNumber());
    String firstKey = Files.readString(first.keyFile());

    TestPki.Issued second = pki.server("second");
    String secondKey = Files.readString(second.keyFile());
    String secondCert = Files.readString(second.certFile());

    // 1. The new certificate, the old key still there.
    Files.writeString(crt, secondCert);
    assertThatCode(certificates::tick).doesNotThrowAnyException();
    assertThat(served()).isEqualTo(first.cert().getSerialNumber());
    assertThat(warnings()).hasSize(1);
    assertThat(warnings().get(0)).contains(certDir.toString(), "does not match", "still serving the previous certificate");

    // 2. The new key half written.
    Files.writeString(key, secondKey.substring(0, secondKey.length() / 2));
    certificates.tick();
    assertThat(served()).isEqualTo(first.cert().getSerialNumber());
    assertThat(warnings()).hasSize(2);
    assertThat(warnings().get(1)).contains(certDir.toString(), "tls.key", "still serving the previous certificate");
    certificates.tick();
    assertThat(warnings()).as("the same problem is logged once").hasSize(2);

    // 3. The certificate cut short, the new key complete.
    Files.writeString(key, secondKey);
    Files.writeString(crt, secondCert.substring(0, secondCert.length() / 2));
    certificates.tick();
    assertThat(served()).isEqualTo(first.cert().getSerialNumber());
    assertThat(warnings()).hasSize(3);
    assertThat(warnings().get(2)).contains(certDir.toString(), "tls.crt", "still serving the previous certificate");

    // 4. Complete: served on this round.
    Files.writeString(crt, secondCert);
    certificates.tick();
    assertThat(served()).isEqualTo(second.cert().getSerialNumber());
    assertThat(lines()).last().asString().startsWith("webhook: serving certificate loaded from " + certDir);

    // 5. The old key again (a renewal rolled back half way) is refused again: logged anew, not swallowed as "said before".
    Files.writeString(key, firstKey);
    Files.writeString(crt, Files.readString(pki.server("third").certFile()));
    certificates.tick();
    assertThat(served()).isEqualTo(second.cert().getSerialNumber());
    assertThat(warnings()).hasSize(4);

    assertNoKeyMaterialLogged();
  }

  /** Before any file is there (the Secret not issued yet), nothing is served and the wait is logged once. */
  @Test
  void beforeTheFilesExistNothingIsServedAndTheWaitIsLoggedOnce() throws Exception {
    certificates.tick();
    certificates.tick();
    assertThat(tls.ready()).isFalse();
    assertThat(warnings()).hasSize(1);
    assertThat(warnings().get(0)).contains(certDir.toString());
    kubeletWrites("2025_01_01_00_00_00.000000001", pki.server("first"));
    certificates.tick();
    assertThat(tls.ready()).isTrue();
  }

  /**
   * A handshake that chose its alias before a renewal was loaded and asks for the chain and the key
   * after it gets both from the same pair (a new chain with an old key fails the handshake).
   */
  @Test
  void aHandshakeStraddlingARenewalGetsTheChainAndTheKeyOfOnePair() throws Exception {
    TestPki.Issued first = pki.server("first");
    kubeletWrites("2025_01_01_00_00_00.000000001", first);
    certificates.tick();
    var km = tls.keyManager();
    String chosen = km.chooseEngineServerAlias("EC", null, null);
    assertThat(chosen).isNotNull();
    TestPki.Issued second = pki.server("second");
    kubeletWrites("2025_02_01_00_00_00.000000002", second);
    certificates.tick();
    assertThat(km.getCertificateChain(chosen)[0].getSerialNumber()).isEqualTo(first.cert().getSerialNumber());
    assertThatCode(() -> io.appmeshxds.server.tls.Pem.checkPair(km.getCertificateChain(chosen)[0], km.getPrivateKey(chosen), "k", "c"))
        .as("the key of that chain").doesNotThrowAnyException();
    String next = km.chooseEngineServerAlias("EC", null, null);
    assertThat(next).isNotEqualTo(chosen);
    assertThat(km.getCertificateChain(next)[0].getSerialNumber()).isEqualTo(second.cert().getSerialNumber());
    assertThatCode(() -> io.appmeshxds.server.tls.Pem.checkPair(km.getCertificateChain(next)[0], km.getPrivateKey(next), "k", "c"))
        .doesNotThrowAnyException();
  }

  void assertNoKeyMaterialLogged() {
    List<String> all = logs.list.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
        : " " + e.getThrowableProxy().getMessage())).toList();
    assertThat(all).isNotEmpty().noneMatch(l -> l.contains("PRIVATE KEY"));
    for (String body : pki.keyBodies()) {
      assertThat(all).noneMatch(l -> l.contains(body));
    }
    // Nor a piece of a half-written key (any 40 characters of a body).
    for (String body : pki.keyBodies()) {
      for (int i = 0; i + 40 <= body.length(); i += 20) {
        String piece = body.substring(i, i + 40);
        assertThat(all).noneMatch(l -> l.contains(piece));
      }
    }
  }
}
