package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A dump written like an App Mesh Envoy's (shared/reference/appmesh-fidelity.md, D1/D2 and the
 * facts table; the content is ours): node id in ARN form, the agent's static clusters, metadata
 * and an HTTP filter of App Mesh's own Envoy build whose types upstream Envoy does not have, a
 * configs entry of an unknown type, and App Mesh's values for a few settings. The diff reads it
 * without crashing and reports two classes of differences: what App Mesh's build added (labelled)
 * and configuration.
 */
class DiffAppMeshDumpTest {
  static final String SHOP = RenderConfigDumpTest.SHOP;
  static final String FRONTEND = RenderConfigDumpTest.FRONTEND;
  static final String ARN = "arn:aws:appmesh:us-west-2:111122223333:mesh/shop/virtualNode/frontend_shop";
  static final String PAYMENTS = "cds_egress_shop_payments_shop_http_9090";
  static final String INGRESS_LISTENER = "lds_ingress_0.0.0.0_15000";
  static final String STATS_TYPE = "type.googleapis.com/aws.appmesh.stats.v1.AggregateStats";
  static final String EXT = "[not in upstream Envoy] ";

  @TempDir Path dir;
  ObjectNode ours;
  ObjectNode appMesh;
  final List<String> expectedConfigLines = new ArrayList<>();

  @BeforeEach
  void buildTheAppMeshDump() {
    CliRun.Result r = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "config-dump");
    assertThat(r.code()).as(r.err()).isZero();
    ours = Dumps.parse(r.out());
    appMesh = Dumps.envoyStyle(r.out(), ARN);
    ObjectNode node = (ObjectNode) Dumps.configOf(appMesh, "BootstrapConfigDump").get("bootstrap").get("node");
    // D1: the node id and cluster carry the resource name; the build metadata says "Modified" (App Mesh's build).
    node.put("id", ARN).put("cluster", ARN).putObject("user_agent_build_version").putObject("metadata")
        .put("revision.status", "Modified").put("ssl.version", "BoringSSL");
    // The agent's bootstrap clusters (AG, D1): static, so never compared.
    ArrayNode statics = (ArrayNode) Dumps.configOf(appMesh, "ClustersConfigDump").get("static_clusters");
    statics.addObject().putObject("cluster").put("@type", "type.googleapis.com/envoy.config.cluster.v3.Cluster")
        .put("name", "static_cluster_sds_unix_socket").put("type", "STATIC");
    // Something Envoy's admin of App Mesh's build may print that no descriptor here knows.
    ((ArrayNode) appMesh.get("configs")).addObject().put("@type", "type.googleapis.com/aws.appmesh.admin.v1.AgentStatsDump")
        .put("stats_flush_interval", "10s");

    // Fact 20 / D2: App Mesh's stats extension — cluster metadata and an HTTP filter of its own build.
    ObjectNode payments = Dumps.cluster(appMesh, PAYMENTS);
    payments.putObject("metadata").putObject("filter_metadata").putObject("aws.appmesh.aggregate_stats")
        .put("TargetVirtualService", "payments.shop").put("TargetVirtualNode", "payments_shop");
    ObjectNode hcm = hcm(appMesh);
    ((ArrayNode) hcm.get("http_filters")).insertObject(0).put("name", "envoy.filters.http.aws_appmesh_stats")
        .putObject("typed_config").put("@type", STATS_TYPE).put("emit_virtual_node_stats", true);
    hcm.put("appmesh_listener_port_tag", 8443);

    // Facts 4, 7, 16, 18: App Mesh's values. A line is expected only where ours differs.
    ObjectNode everything = Dumps.route(DiffCommandTest.catalog(appMesh), "everything-else");
    // App Mesh's default retry events (fact 4); the rest of the policy as ours has it.
    ObjectNode retry = ((ObjectNode) everything.get("route")).withObject("retry_policy");
    retry.put("retry_on", "unavailable,reset,connect-failure,refused-stream,retriable-status-codes");
    JsonNode oursRetry = Dumps.route(DiffCommandTest.catalog(ours), "everything-else").at("/route/retry_policy/retry_on");
    if (oursRetry.isMissingNode() || !tokens(oursRetry.asString()).equals(tokens(retry.get("retry_on").asString()))) {
      expectedConfigLines.add("route rds_egress_http_8080 / virtual host catalog.shop / route everything-else: "
          + "route.retry_policy.retry_on: running \"unavailable,reset,connect-failure,refused-stream,retriable-status-codes\" ≠ ours "
          + (oursRetry.isMissingNode() ? "(not set)" : "\"" + oursRetry.asString() + "\""));
    }
    payments.put("ignore_health_on_host_removal", true);
    if (!Dumps.cluster(ours, PAYMENTS).path("ignore_health_on_host_removal").asBoolean(false)) {
      expectedConfigLines.add("cluster " + PAYMENTS + ": ignore_health_on_host_removal: running true ≠ ours (not set)");
    }
    String local = "cds_ingress_shop_frontend_shop_http_8443";
    Dumps.cluster(appMesh, local).put("connect_timeout", "0.25s");
    String oursLocal = Dumps.cluster(ours, local).get("connect_timeout").asString();
    if (seconds(oursLocal).compareTo(new BigDecimal("0.25")) != 0) {
      expectedConfigLines.add("cluster " + local + ": connect_timeout: running \"0.250s\" ≠ ours \"" + oursLocal + "\"");
    }
    ObjectNode paymentsHost = Dumps.virtualHost(Dumps.routeConfig(appMesh, "rds_egress_http_9090"), "payments.shop");
    paymentsHost.putArray("domains").add("payments.shop").add("payments.shop:9090");
    Set<String> oursDomains = new TreeSet<>();
    Dumps.virtualHost(Dumps.routeConfig(ours, "rds_egress_http_9090"), "payments.shop").get("domains")
        .forEach(d -> oursDomains.add(d.asString()));
    assertThat(oursDomains).contains("payments.shop", "payments.shop:9090");
    if (oursDomains.size() > 2) {
      List<String> extra = new ArrayList<>();
      Dumps.virtualHost(Dumps.routeConfig(ours, "rds_egress_http_9090"), "payments.shop").get("domains").forEach(d -> {
        if (!d.asString().equals("payments.shop") && !d.asString().equals("payments.shop:9090")) {
          extra.add("\"" + d.asString() + "\"");
        }
      });
      expectedConfigLines.add("route rds_egress_http_9090 / virtual host payments.shop: domains: only in ours [" + String.join(", ", extra) + "]");
    }
  }

  static ObjectNode hcm(JsonNode dump) {
    ObjectNode listener = Dumps.listener(dump, INGRESS_LISTENER);
    return (ObjectNode) listener.get("filter_chains").get(0).get("filters").get(0).get("typed_config");
  }

  static Set<String> tokens(String csv) {
    return new TreeSet<>(Arrays.asList(csv.split(",")));
  }

  static BigDecimal seconds(String duration) {
    return new BigDecimal(duration.substring(0, duration.length() - 1));
  }

  List<String> extensionLines() {
    String chain = Dumps.listener(ours, INGRESS_LISTENER).get("filter_chains").get(0).get("name").asString();
    String filter = "listener " + INGRESS_LISTENER + " / filter chain " + chain + " / filter envoy.filters.network.http_connection_manager";
    return List.of(
        EXT + "cluster " + PAYMENTS + ": metadata.filter_metadata[\"aws.appmesh.aggregate_stats\"]: running "
            + "{\"TargetVirtualNode\":\"payments_shop\",\"TargetVirtualService\":\"payments.shop\"} ≠ ours (not set)",
        EXT + filter + ": typed_config.appmesh_listener_port_tag: running 8443 ≠ ours (not set)",
        EXT + filter + " / http filter envoy.filters.http.aws_appmesh_stats: missing in ours (" + STATS_TYPE
            + " is not a type upstream Envoy has)");
  }

  CliRun.Result diff(String... extra) throws Exception {
    Path file = Files.writeString(dir.resolve("appmesh-config_dump.json"), Dumps.write(appMesh));
    List<String> args = new ArrayList<>(List.of("diff", "--config-dump", file.toString(), "--manifests", SHOP));
    args.addAll(List.of(extra));
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void itReadsTheNodeFromTheArnAndReportsBothClassesWithoutCrashing() throws Exception {
    CliRun.Result r = diff();
    assertThat(r.err()).isEqualTo("note: ignored a configs entry of type aws.appmesh.admin.v1.AgentStatsDump\n");
    assertThat(r.lines().stream().filter(l -> l.startsWith(EXT)).toList()).containsExactlyInAnyOrderElementsOf(extensionLines());
    assertThat(r.lines().stream().filter(l -> !l.startsWith(EXT)).toList()).containsExactlyInAnyOrderElementsOf(expectedConfigLines);
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void ignoringAppMeshExtensionsLeavesTheConfigurationDifferences() throws Exception {
    CliRun.Result r = diff("--ignore", "app-mesh-extensions");
    assertThat(r.lines()).containsExactlyInAnyOrderElementsOf(expectedConfigLines);
    assertThat(r.code()).isEqualTo(expectedConfigLines.isEmpty() ? 0 : 1);
  }

  @Test
  void anIgnoredFieldIsLeftOutWhereverItOccurs() throws Exception {
    Dumps.cluster(appMesh, PAYMENTS).put("connect_timeout", "3s");
    CliRun.Result all = diff("--ignore", "app-mesh-extensions");
    assertThat(all.lines()).anyMatch(l -> l.startsWith("cluster " + PAYMENTS + ": connect_timeout: running \"3s\""));
    CliRun.Result r = diff("--ignore", "app-mesh-extensions,connect_timeout");
    assertThat(r.lines()).containsExactlyInAnyOrderElementsOf(
        expectedConfigLines.stream().filter(l -> !l.contains("connect_timeout")).toList());
  }
}
