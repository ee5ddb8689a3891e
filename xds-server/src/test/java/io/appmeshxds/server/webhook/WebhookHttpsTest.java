package io.appmeshxds.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.inject.InjectionSettings;
import io.appmeshxds.server.inject.Injector;
import io.appmeshxds.server.inject.MeshView;
import io.appmeshxds.server.testing.Admissions;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.config.Injection;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The webhook over real HTTPS, with fabric8's mock API server (CRUD mode) standing in for the
 * cluster: the lease holder issues the serving certificate into the Secret and patches the CA
 * bundle into the MutatingWebhookConfiguration; a second replica that does not hold the lease
 * loads the same certificate; a JDK HTTP client that trusts only that CA bundle posts an
 * AdmissionReview v1 and gets the JSON patch; renewal swaps the served certificate without a
 * restart; a malformed request gets a clear AdmissionResponse.
 */
class WebhookHttpsTest {
  static final String NS = "appmesh-system";
  static final Injection.Webhook CFG = new Injection.Webhook(null, null, null, null, "localhost", 30, 10);

  MockApi api;
  WebhookServer server;
  /** The fake clock starts 25 days back, so every certificate issued up to 21 days later is valid for the real-time TLS client. */
  final Instant t0 = Instant.now().minus(Duration.ofDays(25));
  Clock clock = Clock.fixed(t0, ZoneOffset.UTC);

  @BeforeEach
  void start() throws Exception {
    api = new MockApi();
    MutatingWebhookConfiguration mwc = new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("appmesh-xds").endMetadata()
        .addNewWebhook().withName("mpod.appmesh-xds.io").withAdmissionReviewVersions("v1").withSideEffects("None")
        .withNewClientConfig().withNewService().withName("localhost").withNamespace(NS).withPath(WebhookServer.PATH).endService()
        .endClientConfig().endWebhook().build();
    api.admin().admissionRegistration().v1().mutatingWebhookConfigurations().resource(mwc).create();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    api.close();
  }

  WebhookCertificates certificates(ServingTls tls, boolean leader) {
    return new WebhookCertificates(api.newClient(), NS, CFG, tls, new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock.instant();
      }
    }, () -> leader);
  }

  Secret secret() {
    return api.admin().secrets().inNamespace(NS).withName(CFG.secretName()).get();
  }

  String caBundleOfTheWebhookConfiguration() {
    String b64 = api.admin().admissionRegistration().v1().mutatingWebhookConfigurations().withName("appmesh-xds").get()
        .getWebhooks().get(0).getClientConfig().getCaBundle();
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }

  static String data(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII);
  }

  /** A client trusting only the given CA bundle; a new one per request, so each request makes a new handshake. */
  static HttpResponse<String> post(int port, String caPem, String body) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate c : Certificates.certificates(caPem)) {
      trust.setCertificateEntry("ca" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + WebhookServer.PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theLeaseHolderIssuesTheCertificateAndPatchesTheCaBundleAndTheWebhookAnswersOverHttps() throws Exception {
    ServingTls leaderTls = new ServingTls();
    ServingTls followerTls = new ServingTls();
    WebhookCertificates follower = certificates(followerTls, false);
    follower.tick();
    assertThat(secret()).as("a replica without the lease writes nothing").isNull();
    assertThat(followerTls.ready()).isFalse();

    certificates(leaderTls, true).tick();
    Secret s = secret();
    assertThat(s.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(s.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt", "ca.key");
    assertThat(caBundleOfTheWebhookConfiguration()).isEqualTo(data(s, "ca.crt"));
    X509Certificate cert = Certificates.certificates(data(s, "tls.crt")).get(0);
    assertThat(cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
        .contains("localhost.appmesh-system.svc", "localhost", "localhost.appmesh-system.svc.cluster.local");
    cert.verify(Certificates.certificates(data(s, "ca.crt")).get(0).getPublicKey());
    assertThat(leaderTls.ready()).isTrue();
    follower.tick();
    assertThat(followerTls.ready()).isTrue();
    assertThat(followerTls.notAfter()).isEqualTo(cert.getNotAfter().toInstant());

    // The follower's server answers (every replica serves the webhook).
    ControlPlaneConfig cfg = ControlPlaneConfig.defaults();
    MeshView view = Admissions.view(cfg, List.of(Admissions.EXAMPLE));
    server = new WebhookServer(new InetSocketAddress("127.0.0.1", 0), followerTls, new AdmissionHandler(
        new Injector(InjectionSettings.of(cfg)), Injection.FailurePolicy.Fail, () -> view, AdmissionHandler.Counters.NONE)).start();
    JsonNode pod = Admissions.JSON.readTree(YAMLMapper.builder().build()
        .readTree(Path.of("src/test/resources/inject/flagger-primary.in.yaml").toFile()).toString());
    HttpResponse<String> r = post(server.port(), caBundleOfTheWebhookConfiguration(), Admissions.review("u-1", "demo", pod));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode review = Admissions.JSON.readTree(r.body());
    assertThat(review.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    JsonNode response = review.path("response");
    assertThat(response.path("uid").asString()).isEqualTo("u-1");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asString()).isEqualTo("JSONPatch");
    JsonNode patched = Admissions.patched(pod, response);
    assertThat(patched).isEqualTo(Admissions.JSON.readTree(YAMLMapper.builder().build()
        .readTree(Path.of("src/test/resources/inject/flagger-primary.out.yaml").toFile()).toString()));

    // A malformed request: a clear AdmissionResponse, and the server keeps answering.
    JsonNode bad = Admissions.JSON.readTree(post(server.port(), caBundleOfTheWebhookConfiguration(), "{\"kind\": 5").body());
    assertThat(bad.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(bad.path("response").path("status").path("code").asInt()).isEqualTo(400);
    assertThat(bad.path("response").path("status").path("message").asString()).startsWith("appmesh-xds: the request is not JSON");
    JsonNode noUid = Admissions.JSON.readTree(post(server.port(), caBundleOfTheWebhookConfiguration(),
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}").body());
    assertThat(noUid.path("response").path("status").path("message").asString())
        .isEqualTo("appmesh-xds: not an AdmissionReview with a request and its uid");
    assertThat(post(server.port(), caBundleOfTheWebhookConfiguration(), Admissions.review("u-2", "demo", pod)).statusCode()).isEqualTo(200);
  }

  @Test
  void renewalBeforeExpiryReplacesTheServedCertificateAndKeepsTheCa() throws Exception {
    ServingTls tls = new ServingTls();
    WebhookCertificates leader = certificates(tls, true);
    leader.tick();
    String firstCert = data(secret(), "tls.crt");
    String ca = caBundleOfTheWebhookConfiguration();
    ControlPlaneConfig cfg = ControlPlaneConfig.defaults();
    server = new WebhookServer(new InetSocketAddress("127.0.0.1", 0), tls, new AdmissionHandler(
        new Injector(InjectionSettings.of(cfg)), Injection.FailurePolicy.Fail, () -> null, AdmissionHandler.Counters.NONE)).start();
    assertThat(served(ca)).isEqualTo(Certificates.certificates(firstCert).get(0).getSerialNumber());

    clock = Clock.fixed(t0.plus(Duration.ofDays(19)), ZoneOffset.UTC); // 11 days left > renewBefore 10
    leader.tick();
    assertThat(data(secret(), "tls.crt")).isEqualTo(firstCert);

    clock = Clock.fixed(t0.plus(Duration.ofDays(21)), ZoneOffset.UTC); // 9 days left: renew
    leader.tick();
    String secondCert = data(secret(), "tls.crt");
    assertThat(secondCert).isNotEqualTo(firstCert);
    assertThat(caBundleOfTheWebhookConfiguration()).as("same CA, same bundle").isEqualTo(ca);
    assertThat(served(ca)).isEqualTo(Certificates.certificates(secondCert).get(0).getSerialNumber());
  }

  /** The serial of the certificate the server presents in a new handshake (the response is a 503 AdmissionResponse: no mesh yet). */
  private java.math.BigInteger served(String ca) throws Exception {
    HttpResponse<String> r = post(server.port(), ca, Admissions.review("u", "demo", Admissions.JSON.readTree(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"a\"}]}}")));
    assertThat(Admissions.JSON.readTree(r.body()).path("response").path("status").path("code").asInt()).isEqualTo(503);
    return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
  }
}
