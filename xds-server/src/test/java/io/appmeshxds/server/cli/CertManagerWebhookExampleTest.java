package io.appmeshxds.server.cli;

import static io.appmeshxds.server.cli.DeployKustomizeTest.documents;
import static io.appmeshxds.server.cli.DeployKustomizeTest.kustomize;
import static io.appmeshxds.server.cli.DeployKustomizeTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.config.Injection;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import io.appmeshxds.translator.TestPeers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code deploy/cert-manager}: the injection webhook's serving certificate from cert-manager
 * ({@code injection.webhook.certificates: files}). What kustomize builds is checked for the names
 * and paths that must agree, and nothing else can check before a cluster does: the Certificate is
 * for the DNS name the API server verifies (the Service the webhook configuration calls), its Secret
 * is the one the Deployment mounts, at the {@code certDir} the config file reads, the
 * MutatingWebhookConfiguration asks cert-manager's CA injector for that Certificate's CA, the
 * Certificate's issuer chain is there, and the control plane keeps no RBAC to write a Secret or a
 * caBundle it no longer writes. {@link #assertWired} is shared with the Helm chart's
 * {@code webhook.certificates: certManager} (HelmChartTest).
 */
class CertManagerWebhookExampleTest {
  static final Path CERT_MANAGER = DeployKustomizeTest.DEPLOY.resolve("cert-manager");

  @BeforeAll
  static void needsKubectl() {
    boolean present = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
    if (!present) {
      TestPeers.missing("kubectl", "kubectl not on PATH (Debian: apt-get install kubernetes-client)");
    }
  }

  static String text(JsonNode n, String... path) {
    JsonNode x = n;
    for (String p : path) {
      x = x.path(p);
    }
    return x.stringValue("");
  }

  static ControlPlaneConfig config(List<JsonNode> docs) throws ConfigLoader.ConfigException {
    return ConfigLoader.parse("config.yaml", text(one(docs, "ConfigMap", "appmesh-xds-config"), "data", "config.yaml"));
  }

  /**
   * The webhook's certificate wiring in a set of rendered objects; returns the Certificate.
   *
   * @param issuerInDocs whether the Certificate's issuer is expected among the objects (not when
   *     it is the user's own ClusterIssuer)
   */
  static JsonNode assertWired(List<JsonNode> docs, boolean issuerInDocs) throws Exception {
    // The Service the API server calls, and the name it verifies the certificate against.
    JsonNode mwc = one(docs, "MutatingWebhookConfiguration", "appmesh-xds");
    JsonNode svcRef = mwc.path("webhooks").get(0).path("clientConfig").path("service");
    String svc = text(svcRef, "name");
    String ns = text(svcRef, "namespace");
    JsonNode service = one(docs, "Service", svc);
    assertThat(text(service, "metadata", "namespace")).isEqualTo(ns);
    assertThat(mwc.path("webhooks").get(0).path("clientConfig").has("caBundle")).as("left to cert-manager's CA injector").isFalse();

    // The Certificate the CA injector reads is in that namespace and covers the name.
    String injectFrom = text(mwc, "metadata", "annotations", "cert-manager.io/inject-ca-from");
    assertThat(injectFrom).as("cert-manager.io/inject-ca-from").startsWith(ns + "/");
    JsonNode cert = one(docs, "Certificate", injectFrom.substring(ns.length() + 1));
    assertThat(text(cert, "apiVersion")).isEqualTo("cert-manager.io/v1");
    assertThat(text(cert, "metadata", "namespace")).isEqualTo(ns);
    List<String> dns = new ArrayList<>();
    cert.path("spec").path("dnsNames").forEach(d -> dns.add(d.stringValue("")));
    assertThat(dns).as("the name the API server verifies").contains(svc + "." + ns + ".svc");
    assertThat(dns).as("only names of that Service").allMatch(d -> List.of(svc, svc + "." + ns, svc + "." + ns + ".svc",
        svc + "." + ns + ".svc.cluster.local").contains(d));
    assertThat(cert.path("spec").path("usages").toString()).contains("server auth");
    assertThat(cert.path("spec").path("isCA").asBoolean(false)).isFalse();
    String secret = text(cert, "spec", "secretName");
    assertThat(secret).as("not the Secret the generate mode writes").isNotEmpty().isNotEqualTo("appmesh-xds-webhook-tls");

    // Its issuer is there, and signs with a CA (stable caBundle), not self-signed.
    if (issuerInDocs) {
      JsonNode issuerRef = cert.path("spec").path("issuerRef");
      String kind = text(issuerRef, "kind").isEmpty() ? "Issuer" : text(issuerRef, "kind");
      JsonNode issuer = one(docs, kind, text(issuerRef, "name"));
      assertThat(issuer.path("spec").has("ca")).as("a CA issuer: the caBundle survives renewals").isTrue();
      JsonNode ca = docs.stream().filter(d -> text(d, "kind").equals("Certificate")
          && text(d, "spec", "secretName").equals(text(issuer, "spec", "ca", "secretName"))).findFirst()
          .orElseThrow(() -> new AssertionError("no Certificate writes the CA Secret " + text(issuer, "spec", "ca", "secretName")));
      assertThat(ca.path("spec").path("isCA").asBoolean(false)).isTrue();
      String caIssuerKind = text(ca, "spec", "issuerRef", "kind").isEmpty() ? "Issuer" : text(ca, "spec", "issuerRef", "kind");
      one(docs, caIssuerKind, text(ca, "spec", "issuerRef", "name"));
    }

    // The config reads files from certDir, and the Deployment mounts the Secret there.
    Injection.Webhook webhook = config(docs).injection().webhook();
    assertThat(webhook.certificates()).isEqualTo("files");
    JsonNode pod = docs.stream().filter(d -> List.of("Deployment", "StatefulSet").contains(text(d, "kind"))
        && text(d, "metadata", "name").equals("appmesh-xds")).findFirst().orElseThrow().path("spec").path("template").path("spec");
    String volume = null;
    for (JsonNode v : pod.path("volumes")) {
      if (text(v, "secret", "secretName").equals(secret)) {
        volume = text(v, "name");
      }
    }
    assertThat(volume).as("a volume of the Secret " + secret).isNotNull();
    JsonNode mount = null;
    for (JsonNode m : pod.path("containers").get(0).path("volumeMounts")) {
      if (text(m, "name").equals(volume)) {
        mount = m;
      }
    }
    assertThat(mount).as("the container mounts " + volume).isNotNull();
    assertThat(text(mount, "mountPath")).as("mounted at injection.webhook.certDir").isEqualTo(webhook.certDir());
    assertThat(mount.path("readOnly").asBoolean(false)).isTrue();
    assertThat(text(pod.path("containers").get(0), "name")).isEqualTo("appmesh-xds");

    // No RBAC to write what the control plane no longer writes.
    for (JsonNode d : docs) {
      if (text(d, "kind").endsWith("Role")) {
        assertThat(d.path("rules").toString()).as(text(d, "metadata", "name"))
            .doesNotContain("mutatingwebhookconfigurations", "appmesh-xds-webhook-tls");
      }
    }
    return cert;
  }

  @Test
  void theCertManagerExampleWiresTheWebhooksCertificate() throws Exception {
    List<JsonNode> docs = documents(kustomize(CERT_MANAGER));
    JsonNode cert = assertWired(docs, true);
    assertThat(text(cert, "metadata", "name")).isEqualTo("appmesh-xds-webhook");
    assertThat(text(one(docs, "MutatingWebhookConfiguration", "appmesh-xds"), "metadata", "annotations",
        "cert-manager.io/inject-ca-from")).isEqualTo("appmesh-system/appmesh-xds-webhook");
    // Certificate durations: renewed well before it expires (cert-manager's defaults would be 90 d / 30 d too).
    assertThat(text(cert, "spec", "renewBefore")).isEqualTo("720h");
    // The RBAC for the generated certificate is gone, the rest of the base's is not.
    assertThat(docs).noneSatisfy(d -> assertThat(text(d, "metadata", "name")).startsWith("appmesh-xds-webhook-certificate"));
    assertThat(docs).noneSatisfy(d -> assertThat(text(d, "kind") + " " + text(d, "metadata", "name"))
        .isIn("ClusterRole appmesh-xds-webhook", "ClusterRoleBinding appmesh-xds-webhook"));
    one(docs, "ClusterRole", "appmesh-xds");
    one(docs, "Role", "appmesh-xds-leader-election");
    // Still the xDS certificate of deploy/cert-manager.
    one(docs, "Certificate", "appmesh-xds-xds-tls");
  }

  /** The example's config file is deploy/base's with only injection.webhook changed (it is a copy; this catches drift). */
  @Test
  void theExamplesConfigIsTheBasesButForTheWebhooksCertificate() throws Exception {
    ControlPlaneConfig example = config(documents(kustomize(CERT_MANAGER)));
    ControlPlaneConfig base = config(documents(kustomize(DeployKustomizeTest.DEPLOY.resolve("base"))));
    assertThat(base.injection().webhook().certificates()).isEqualTo("generate");
    assertThat(example.injection().webhook().certificates()).isEqualTo("files");
    Injection sameWebhook = new Injection(example.injection().failurePolicy(), example.injection().xdsAddress(),
        example.injection().xdsTls(), example.injection().fsGroup(), example.injection().envoy(), example.injection().proxyInit(),
        example.injection().xrayDaemon(), base.injection().webhook());
    assertThat(sameWebhook).isEqualTo(base.injection());
    assertThat(new ControlPlaneConfig(example.tracing(), example.logging(), example.telemetry(), example.endpoints(), example.aws(),
        base.injection())).isEqualTo(base);
  }
}
