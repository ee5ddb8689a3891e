package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.inject.InjectionSettings;
import io.appmeshxds.server.status.kubernetes.Leadership;
import io.appmeshxds.server.testing.Admissions;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.webhook.Webhook;
import io.appmeshxds.server.webhook.WebhookServer;
import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code serve --kubernetes} with the webhook, against fabric8's mock API in CRUD mode: the replica
 * that takes the lease writes the serving certificate's CA into the MutatingWebhookConfiguration's
 * caBundle, and the webhook then injects a pod of the mesh it reads from the API.
 */
class WebhookKubernetesModeTest {
  @TempDir Path dir;

  @Test
  void theLeaseHolderPatchesTheCaBundleAndTheWebhookInjectsFromTheClustersMesh() throws Exception {
    try (MockApi api = new MockApi(); Backend primary = new Backend("primary"); Backend canary = new Backend("canary")) {
      new MeshFiles(dir, RunningMesh.backends(primary, canary));
      api.applyDir(dir);
      api.admin().admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
          .withNewMetadata().withName("appmesh-xds").endMetadata()
          .addNewWebhook().withName("mpod.appmesh-xds.io").withAdmissionReviewVersions("v1").withSideEffects("None")
          .withNewClientConfig().withNewService().withName("localhost").withNamespace("appmesh-system").withPath(WebhookServer.PATH)
          .endService().endClientConfig().endWebhook().build()).create();
      ControlPlaneConfig cfg = ConfigLoader.parse("c.yaml", "injection: {webhook: {serviceName: localhost}}\n");
      KubernetesClient client = api.newClient();
      try (KubernetesMode mode = KubernetesMode.start(client, Pipelines.standard(cfg), ControlPlane.Settings.loopback(),
          new KubernetesMode.Settings(null, "appmesh-system", "replica-0",
              new Leadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))));
          Webhook webhook = Webhook.start(mode, InjectionSettings.of(cfg), "appmesh-system", new InetSocketAddress("127.0.0.1", 0))) {
        RunningMesh.await(() -> mode.leadership().isLeader() && mode.controlPlane().reconciler().ready(), 30_000);
        RunningMesh.await(() -> caBundle(api) != null, 30_000);
        var secret = api.admin().secrets().inNamespace("appmesh-system").withName("appmesh-xds-webhook-tls").get();
        assertThat(caBundle(api)).isEqualTo(new String(Base64.getDecoder().decode(secret.getData().get("ca.crt")), StandardCharsets.US_ASCII));

        JsonNode pod = Admissions.JSON.readTree("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"podinfo-primary-","namespace":"demo",
             "labels":{"app":"podinfo-primary"}},"spec":{"containers":[{"name":"podinfod","image":"podinfo"}]}}""");
        HttpResponse<String> r = post(webhook.port(), caBundle(api), Admissions.review("k-1", "demo", pod));
        JsonNode response = Admissions.JSON.readTree(r.body()).path("response");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        JsonNode patched = Admissions.patched(pod, response);
        assertThat(patched.path("metadata").path("annotations").path("appmesh-xds.io/proxy").asString())
            .isEqualTo("mesh/appmesh/virtualNode/podinfo-primary_demo");
        assertThat(Admissions.container(patched, "initContainers", "proxyinit")).isNotNull();
      } finally {
        client.close();
      }
    }
  }

  static String caBundle(MockApi api) {
    var c = api.admin().admissionRegistration().v1().mutatingWebhookConfigurations().withName("appmesh-xds").get();
    String b = c.getWebhooks().get(0).getClientConfig().getCaBundle();
    return b == null ? null : new String(Base64.getDecoder().decode(b), StandardCharsets.US_ASCII);
  }

  static HttpResponse<String> post(int port, String caPem, String body) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
        new java.io.ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
      trust.setCertificateEntry("ca" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build().send(HttpRequest.newBuilder(
        URI.create("https://localhost:" + port + WebhookServer.PATH)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
