package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.appmeshxds.translator.xds.BootstrapFactory;
import io.appmeshxds.translator.xds.rules.ProtoRules;
import io.appmeshxds.translator.xds.XdsJson;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Every bootstrap we print parses as Envoy's Bootstrap proto and passes Envoy's proto rules. */
class BootstrapCommandTest {

  record Out(int code, String out, String err) {}

  static Out run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "bootstrap";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cl.execute(full);
    return new Out(code, out.toString(), err.toString());
  }

  static Stream<List<String>> variants() {
    return Stream.of(
        List.of("--node", "mesh/appmesh/virtualNode/podinfo-primary_demo", "--xds-address", "appmesh-xds.appmesh-system:18000"),
        List.of("--node", "mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway", "--xds-address", "10.0.0.5:18000",
            "--output", "json"),
        List.of("--node", "arn:aws:appmesh:us-west-2:123456789012:mesh/appmesh/virtualNode/podinfo-canary_demo",
            "--xds-address", "appmesh-xds:18000", "--admin-port", "19901"),
        List.of("--node", "mesh/appmesh/virtualNode/podinfo-primary_demo", "--xds-address", "appmesh-xds:18000", "--xds-tls",
            "--xds-ca", "/etc/appmesh-xds/ca.pem", "--xds-cert", "/etc/envoy/tls.crt", "--xds-key", "/etc/envoy/tls.key",
            "--xds-sni", "appmesh-xds.appmesh-system.svc", "--sds-socket", "/run/spire/sockets/agent.sock"),
        // No --xds-sni: the host of --xds-address is sent and verified.
        List.of("--node", "mesh/appmesh/virtualNode/podinfo-primary_demo", "--xds-address", "appmesh-xds.appmesh-system.svc:18000",
            "--xds-tls", "--xds-ca", "/etc/appmesh-xds/ca.pem", "--sds-socket", "/run/spire/sockets/agent.sock"));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void printsABootstrapThatParsesAndPassesEnvoysRules(List<String> args) throws Exception {
    Out o = run(args.toArray(String[]::new));
    assertThat(o.code()).as(o.err()).isZero();
    JsonNode tree = YAMLMapper.shared().readTree(o.out()); // JSON is YAML too
    Bootstrap.Builder b = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(new XdsJson().registry()).merge(tree.toString(), b);
    Bootstrap bootstrap = b.build();
    assertThat(ProtoRules.check(bootstrap, true)).isEmpty();
    String node = args.get(1);
    assertThat(bootstrap.getNode().getId()).isEqualTo(node);
    assertThat(bootstrap.getNode().getCluster()).isEqualTo(node);
    int admin = args.contains("--admin-port") ? Integer.parseInt(args.get(args.indexOf("--admin-port") + 1)) : 9901;
    assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(admin);
    assertThat(bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName())
        .isEqualTo(BootstrapFactory.XDS_CLUSTER);
    assertThat(bootstrap.getDynamicResources().getLdsConfig().hasAds()).isTrue();
    assertThat(bootstrap.getDynamicResources().getCdsConfig().hasAds()).isTrue();
    assertThat(bootstrap.getStatsConfig().getUseAllDefaultTags().getValue()).isTrue();
    assertThat(bootstrap.getStatsConfig().getStatsTagsList()).extracting(t -> t.getTagName())
        .contains("appmesh.mesh").containsAnyOf("appmesh.virtual_node", "appmesh.virtual_gateway")
        .contains("appmesh.listener_protocol", "appmesh.listener_port", "envoy_rds_route_config");
    // App Mesh's runtime and fetch timeouts, as printed (BootstrapFactoryTest reads every field).
    assertThat(bootstrap.getLayeredRuntime().getLayers(0).getStaticLayer().getFieldsOrThrow("re2.max_program_size.error_level")
        .getNumberValue()).isEqualTo(1000);
    assertThat(bootstrap.getDynamicResources().getLdsConfig().hasInitialFetchTimeout()).isTrue();
    assertThat(bootstrap.getDynamicResources().getCdsConfig().hasInitialFetchTimeout()).isTrue();
    for (String source : List.of("ldsConfig", "cdsConfig")) {
      assertThat(tree.get("dynamicResources").get(source).get("initialFetchTimeout").asText()).as(source).isEqualTo("0s");
    }
    assertThat(tree.get("dynamicResources").get("adsConfig").has("initialFetchTimeout")).isFalse();
    assertThat(o.out()).contains("re2.max_program_size.error_level").contains("static_layer_0").contains("admin_layer");
    BootstrapFactory.INGRESS_STATS_TAGS.forEach((name, regex) -> assertThat(bootstrap.getStatsConfig().getStatsTagsList())
        .anyMatch(t -> t.getTagName().equals(name) && t.getRegex().equals(regex)));
    Cluster xds = bootstrap.getStaticResources().getClusters(0);
    String address = args.get(3);
    assertThat(xds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()
        .getAddress()).isEqualTo(address.substring(0, address.lastIndexOf(':')));
    if (args.contains("--xds-tls")) {
      UpstreamTlsContext tls = xds.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
      assertThat(tls.getSni()).isEqualTo("appmesh-xds.appmesh-system.svc");
      assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename()).isEqualTo("/etc/appmesh-xds/ca.pem");
      // Envoy checks the server's SAN against the name it sends, not only the chain.
      assertThat(tls.getCommonTlsContext().getValidationContext().getMatchTypedSubjectAltNamesList())
          .extracting(m -> m.getSanType().name() + " " + m.getMatcher().getExact())
          .containsExactly("DNS appmesh-xds.appmesh-system.svc");
      assertThat(bootstrap.getStaticResources().getClusters(1).getName()).isEqualTo("static_cluster_sds_unix_socket");
    } else {
      assertThat(xds.hasTransportSocket()).isFalse();
    }
  }

  @Test
  void badUsageExits2() {
    assertThat(run("--node", "podinfo", "--xds-address", "a:1").code()).isEqualTo(2);
    assertThat(run("--node", "mesh/m/virtualNode/n", "--xds-address", "nohost").code()).isEqualTo(2);
    assertThat(run("--node", "mesh/m/virtualNode/n", "--xds-address", "a:1", "--xds-ca", "ca.pem").code()).isEqualTo(2);
    Out noCa = run("--node", "mesh/m/virtualNode/n", "--xds-address", "a:1", "--xds-tls");
    assertThat(noCa.code()).as("--xds-tls without a CA never prints an unverified TLS context").isEqualTo(2);
    assertThat(noCa.out()).isEmpty();
    assertThat(noCa.err()).contains("--xds-tls needs --xds-ca");
    Out o = run("--node", "podinfo", "--xds-address", "a:1");
    assertThat(o.err()).contains("not an App Mesh node id: podinfo");
  }

  /** A bootstrap for a node nobody serves is valid and useless: bootstrap says so, with the closest ids. */
  @Test
  void aNodeTheManifestsDoNotServeIsAWarningWithTheClosestIds() {
    Out wrong = run("--node", "mesh/appmesh/virtualNode/podinfo-primary", "--xds-address", "127.0.0.1:18000",
        "--manifests", "../deploy/examples/podinfo");
    org.assertj.core.api.Assertions.assertThat(wrong.code()).isZero();
    org.assertj.core.api.Assertions.assertThat(wrong.out()).contains("mesh/appmesh/virtualNode/podinfo-primary");
    org.assertj.core.api.Assertions.assertThat(wrong.err().strip()).isEqualTo("warning: no accepted VirtualNode or"
        + " VirtualGateway of [../deploy/examples/podinfo] has node id mesh/appmesh/virtualNode/podinfo-primary: an Envoy"
        + " with this bootstrap gets no configuration; did you mean mesh/appmesh/virtualNode/podinfo-primary_demo?");
    Out right = run("--node", "mesh/appmesh/virtualNode/podinfo-primary_demo", "--xds-address", "127.0.0.1:18000",
        "--manifests", "../deploy/examples/podinfo");
    org.assertj.core.api.Assertions.assertThat(right.err()).isEmpty();
  }

  @Test
  void aServerThatServesNothingForTheNodeIsAWarning() throws Exception {
    io.appmeshxds.server.ControlPlane cp = new io.appmeshxds.server.ControlPlane(io.appmeshxds.server.Pipelines.standard(),
        io.appmeshxds.server.ControlPlane.Settings.loopback(), java.util.List.of(), java.util.List.of()).start();
    try {
      io.appmeshxds.server.source.ClasspathSource.load(cp.store());
      io.appmeshxds.server.testing.Await.until(() -> cp.reconciler().ready(), 20_000);
      String server = "http://127.0.0.1:" + cp.adminPort();
      Out wrong = run("--node", "mesh/appmesh/virtualNode/nobody_demo", "--xds-address", "127.0.0.1:18000", "--server", server);
      org.assertj.core.api.Assertions.assertThat(wrong.code()).isZero();
      org.assertj.core.api.Assertions.assertThat(wrong.err()).startsWith("warning: " + server + " serves nothing for node id"
          + " mesh/appmesh/virtualNode/nobody_demo (HTTP 404");
      org.assertj.core.api.Assertions.assertThat(wrong.err()).as("nothing served is close to nobody_demo")
          .doesNotContain("did you mean");
      // The usual mistake, the Kubernetes name for the App Mesh one: the server names the served ids
      // closest to it, as --manifests does.
      Out k8sName = run("--node", "mesh/appmesh/virtualNode/podinfo-primary", "--xds-address", "127.0.0.1:18000",
          "--server", server);
      org.assertj.core.api.Assertions.assertThat(k8sName.code()).isZero();
      org.assertj.core.api.Assertions.assertThat(k8sName.err().strip()).startsWith("warning: " + server
          + " serves nothing for node id mesh/appmesh/virtualNode/podinfo-primary (HTTP 404").endsWith(
          "an Envoy with this bootstrap may get no configuration; did you mean mesh/appmesh/virtualNode/podinfo-primary_demo?");
      Out gatewayTypo = run("--node", "mesh/appmesh/virtualGateway/appmesh-gatewy_appmesh-gateway", "--xds-address",
          "127.0.0.1:18000", "--server", server);
      org.assertj.core.api.Assertions.assertThat(gatewayTypo.err().strip())
          .endsWith("; did you mean mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway?");
      Out right = run("--node", "mesh/appmesh/virtualNode/podinfo-primary_demo", "--xds-address", "127.0.0.1:18000",
          "--server", server);
      org.assertj.core.api.Assertions.assertThat(right.err()).isEmpty();
    } finally {
      cp.close();
    }
  }
}
