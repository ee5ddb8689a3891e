package io.appmeshxds.tracing.logs.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code logging.cloudWatch.exporterTls}: when the exporter's port serves TLS (and checks proxies'
 * certificates), the exporter cluster pushed to every Envoy verifies it by CA and SAN, sends the
 * server name and presents the proxy's own certificate; without it the cluster stays plaintext.
 */
class AccessLogExportTlsTest {
  static final Path CASES = Path.of("src/test/resources/golden/access-log-export");

  static Cluster exporterCluster(String configYaml) throws Exception {
    ControlPlaneConfig cfg = ConfigLoader.parse("config.yaml", configYaml);
    GoldenRunner runner = new GoldenRunner(null, () -> new Planner(List.of(new GatewayLikePlanner()),
        List.of(AccessLogExportDecorator.of(cfg.logging().cloudWatch()))), List.of(new AccessLogExportFactory()));
    Path in;
    try (var s = Files.list(CASES)) {
      in = s.filter(p -> p.toString().endsWith(".in.yaml")).sorted().findFirst().orElseThrow();
    }
    Map<?, XdsResources> out = runner.render("case", Files.readString(in)).resources();
    for (XdsResources r : out.values()) {
      for (Cluster c : r.<Cluster>protos(XdsResources.Type.CLUSTER)) {
        if (c.getName().equals(AccessLogExportDecorator.CLUSTER)) {
          return c;
        }
      }
    }
    throw new AssertionError("no proxy got the exporter cluster");
  }

  @Test
  void proxiesVerifyTheExporterAndPresentTheirCertificate() throws Exception {
    Cluster c = exporterCluster("""
        logging:
          cloudWatch:
            enabled: true
            exporterTls: {caFile: /var/run/secrets/spiffe.io/ca.crt, sni: appmesh-xds.appmesh-system.svc,
                          certFile: /var/run/secrets/spiffe.io/tls.crt, keyFile: /var/run/secrets/spiffe.io/tls.key}
        """);
    assertThat(c.hasTransportSocket()).isTrue();
    UpstreamTlsContext tls = c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("appmesh-xds.appmesh-system.svc");
    assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename())
        .isEqualTo("/var/run/secrets/spiffe.io/ca.crt");
    assertThat(tls.getCommonTlsContext().getValidationContext().toString()).contains("appmesh-xds.appmesh-system.svc");
    assertThat(tls.getCommonTlsContext().getTlsCertificates(0).getCertificateChain().getFilename())
        .isEqualTo("/var/run/secrets/spiffe.io/tls.crt");
  }

  @Test
  void withoutItTheClusterIsPlaintextAndHalfSettingsAreConfigErrors() throws Exception {
    assertThat(exporterCluster("logging: {cloudWatch: {enabled: true}}\n").hasTransportSocket()).isFalse();
    assertThatThrownBy(() -> ConfigLoader.parse("config.yaml",
        "logging: {cloudWatch: {enabled: true, exporterTls: {caFile: /ca.crt}}}\n"))
        .hasMessageContaining("logging.cloudWatch.exporterTls: caFile and sni are required");
    assertThatThrownBy(() -> ConfigLoader.parse("config.yaml",
        "logging: {cloudWatch: {enabled: true, exporterTls: {caFile: /ca.crt, sni: x, certFile: /c.crt}}}\n"))
        .hasMessageContaining("certFile and keyFile go together");
  }
}
