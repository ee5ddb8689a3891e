package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --config FILE} of render and serve: the tracing section shapes the listeners, the endpoints
 * section the backend clusters; a bad file is exit 2 with the key path.
 */
class ConfigOptionTest {
  static final String EXAMPLE = Path.of("..", "deploy", "examples", "podinfo").toString();
  static final String LOADTESTER = "mesh/appmesh/virtualNode/flagger-loadtester_demo";

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void tracingFromTheConfigIsInEveryHttpConnectionManagerAndTheCollectorIsAcluster() throws Exception {
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        tracing:
          provider: zipkin
          samplingPercent: 2
          zipkin: {collector: zipkin.observability:9411}
        """);
    Run r = run("render", "--manifests", EXAMPLE, "--node", LOADTESTER, "--config", config.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = JsonMapper.builder().build().readTree(r.out());
    JsonNode hcm = json.get("listeners").get(0).get("filterChains").get(0).get("filters").get(0).get("typedConfig");
    assertThat(hcm.get("tracing").get("randomSampling").get("value").asDouble()).isEqualTo(2.0);
    assertThat(hcm.get("tracing").get("provider").get("name").asText()).isEqualTo("envoy.tracers.zipkin");
    assertThat(hcm.get("tracing").get("provider").get("typedConfig").get("collectorCluster").asText())
        .isEqualTo("tracing_zipkin_collector");
    assertThat(json.get("clusters").findValuesAsString("name")).contains("tracing_zipkin_collector");

    Run plain = run("render", "--manifests", EXAMPLE, "--node", LOADTESTER);
    assertThat(plain.code()).isZero();
    assertThat(plain.out()).doesNotContain("tracing");
  }

  @Test
  void perPodEndpointsFromTheConfigTurnTheBackendClustersIntoEds() throws Exception {
    Run plain = run("render", "--manifests", EXAMPLE, "--node", LOADTESTER);
    assertThat(plain.code()).as(plain.err()).isZero();
    JsonNode dns = JsonMapper.builder().build().readTree(plain.out());
    JsonNode primary = cluster(dns, "cds_egress_appmesh_podinfo-primary_demo_http_9898");
    assertThat(primary.get("type").asText()).isEqualTo("LOGICAL_DNS");
    assertThat(primary.findValue("socketAddress").get("address").asText()).isEqualTo("podinfo-primary.demo.svc.cluster.local.");
    assertThat(dns.get("endpoints")).isEmpty();

    Path config = Files.writeString(dir.resolve("config.yaml"), "endpoints:\n  perPod:\n    meshes: [appmesh]\n");
    Run r = run("render", "--manifests", EXAMPLE, "--node", LOADTESTER, "--config", config.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode eds = JsonMapper.builder().build().readTree(r.out());
    assertThat(cluster(eds, "cds_egress_appmesh_podinfo-primary_demo_http_9898").get("type").asText()).isEqualTo("EDS");
    assertThat(eds.get("endpoints").findValuesAsString("clusterName"))
        .contains("cds_egress_appmesh_podinfo-primary_demo_http_9898", "cds_egress_appmesh_podinfo-canary_demo_http_9898");
  }

  private static JsonNode cluster(JsonNode render, String name) {
    for (JsonNode c : render.get("clusters")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no cluster " + name + " in " + render.get("clusters"));
  }

  @Test
  void aBadConfigIsAUsageErrorNamingTheKey() throws Exception {
    Path config = Files.writeString(dir.resolve("config.yaml"), "tracing:\n  xray:\n    daemonAdress: 1.2.3.4:2000\n");
    Run r = run("render", "--manifests", EXAMPLE, "--node", LOADTESTER, "--config", config.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("tracing.xray.daemonAdress: unknown key");
    Run missing = run("render", "--manifests", EXAMPLE, "--node", LOADTESTER, "--config", dir.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--config").contains("nope.yaml");
  }

  @Test
  void serveRefusesABadConfigBeforeStartingAnything() throws Exception {
    Path config = Files.writeString(dir.resolve("config.yaml"), "tracing: {samplingPercent: 150}\ntelemetry: {otlpEndpoint: nohost}\n");
    Run r = run("serve", "--xds-port", "0", "--admin-port", "0", "--config", config.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("tracing.samplingPercent: must be between 0 and 100")
        .contains("telemetry.otlpEndpoint: must be empty (off) or an OTLP/gRPC endpoint");
  }
}
