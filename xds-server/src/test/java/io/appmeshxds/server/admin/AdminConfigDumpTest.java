package io.appmeshxds.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running control plane with a token: its /config_dump of a node with listener TLS needs the token
 * and never shows the private key's location or bytes; probes and metrics stay open.
 */
class AdminConfigDumpTest {
  static final String NODE = "mesh/shop/virtualNode/payments_shop";
  static final String MANIFEST = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop, labels: {mesh: shop}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata: {name: shop}
      spec:
        namespaceSelector: {matchLabels: {mesh: shop}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: payments, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: payments}}
        listeners:
          - portMapping: {port: 8443, protocol: http}
            tls:
              mode: STRICT
              certificate:
                file:
                  certificateChain: /certs/payments/cert_chain.pem
                  privateKey: /certs/payments/secret-key-location.pem
        serviceDiscovery:
          dns: {hostname: payments.shop.svc.cluster.local}
      """;

  @TempDir Path dir;

  @Test
  void theDumpNeedsTheTokenAndItsSecretsAreRedacted() throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), MANIFEST);
    Path token = Files.writeString(Files.createDirectory(dir.resolve("secret")).resolve("token"), AdminAccessTest.TOKEN);
    try (ControlPlane cp = new ControlPlane(Pipelines.standard(ControlPlaneConfig.defaults()),
        ControlPlane.Settings.loopback(), List.of(), List.of())
        .adminOptions(AdminServer.Options.defaults().withToken(AdminToken.fromFile(token))).start();
        ManifestSource files = new ManifestSource(List.of(dir.resolve("mesh.yaml")), cp.store(), 50).start()) {
      int port = cp.adminPort();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (Http.get(port, "/ready").code() != 200 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(Http.get(port, "/ready").code()).isEqualTo(200);
      assertThat(Http.get(port, "/healthz").code()).isEqualTo(200);
      assertThat(Http.get(port, "/metrics").body()).contains("appmeshxds_");

      Http.Answer denied = Http.get(port, "/config_dump?node=" + NODE);
      assertThat(denied.code()).isEqualTo(401);
      assertThat(denied.body()).doesNotContain("/certs/");
      Http.Answer dump = Http.get(port, "/config_dump?node=" + NODE, "Authorization: Bearer " + AdminAccessTest.TOKEN);
      assertThat(dump.code()).isEqualTo(200);
      assertThat(dump.body()).contains("/certs/payments/cert_chain.pem").contains("\"[redacted]\"")
          .doesNotContain("secret-key-location");
      assertThat(Http.get(port, "/metrics").body()).contains("appmeshxds_admin_denied_total{reason=\"no_token\"} 1.0")
          .doesNotContain(AdminAccessTest.TOKEN);
    }
  }
}
