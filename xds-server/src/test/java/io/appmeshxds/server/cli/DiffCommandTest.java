package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code diff} against dumps made from our own output: printed the way Envoy prints it, it is
 * equivalent; changed in one place, that place is named. "Ours" always comes from {@code render},
 * never from a copy of its output, so these tests follow changes to the translation.
 */
class DiffCommandTest {
  static final String SHOP = RenderConfigDumpTest.SHOP;
  static final String FRONTEND = RenderConfigDumpTest.FRONTEND;
  static final String EGRESS_8080 = "rds_egress_http_8080";

  @TempDir Path dir;

  String oursText;
  ObjectNode ours;

  @BeforeEach
  void renderOurs() {
    CliRun.Result r = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "config-dump");
    assertThat(r.code()).as(r.err()).isZero();
    oursText = r.out();
    ours = Dumps.parse(oursText);
  }

  CliRun.Result diff(JsonNode running, String... extra) throws Exception {
    Path file = Files.writeString(dir.resolve("config_dump.json"), Dumps.write(running));
    List<String> args = new ArrayList<>(List.of("diff", "--config-dump", file.toString(), "--manifests", SHOP));
    args.addAll(List.of(extra));
    return CliRun.run(args.toArray(String[]::new));
  }

  ObjectNode running() {
    return Dumps.envoyStyle(oursText, FRONTEND);
  }

  static ObjectNode catalog(JsonNode dump) {
    return Dumps.virtualHost(Dumps.routeConfig(dump, EGRESS_8080), "catalog.shop");
  }

  static List<String> routeNames(JsonNode virtualHost) {
    List<String> names = new ArrayList<>();
    virtualHost.get("routes").forEach(r -> names.add(r.get("name").asString()));
    return names;
  }

  @Test
  void aDumpOfOurOutputAsEnvoyPrintsItIsEquivalent() throws Exception {
    ObjectNode running = running();
    String text = Dumps.write(running);
    // Not our text: Envoy's spellings, versions, timestamps, bootstrap and endpoints.
    assertThat(text).isNotEqualTo(oursText).contains("\"1.000s\"").contains("\"resource_api_version\" : 2")
        .contains("\"host_selection_retry_max_attempts\" : 5").contains("last_updated").contains("xds_cluster")
        .contains("10.1.7.33").contains("\"lb_policy\" : \"ROUND_ROBIN\"");
    // No --node: the dump's bootstrap names it.
    CliRun.Result r = diff(running);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEmpty();
    assertThat(r.code()).isZero();
  }

  @Test
  void aGatewaysDumpIsComparedTheSameWay() {
    String example = RenderConfigDumpTest.EXAMPLE;
    String gateway = RenderConfigDumpTest.GATEWAY;
    CliRun.Result render = CliRun.run("render", "--manifests", example, "--node", gateway, "--format", "config-dump");
    assertThat(render.code()).as(render.err()).isZero();
    ObjectNode running = Dumps.envoyStyle(render.out(), gateway);
    CliRun.Result same = CliRun.withStdin(Dumps.write(running), "diff", "--config-dump", "-", "--manifests", example);
    assertThat(same.out()).isEmpty();
    assertThat(same.code()).isZero();

    JsonNode routeConfig = Dumps.configOf(running, "RoutesConfigDump").get("dynamic_route_configs").get(0).get("route_config");
    ObjectNode host = (ObjectNode) routeConfig.get("virtual_hosts").get(0);
    ObjectNode firstRoute = (ObjectNode) host.get("routes").get(0);
    firstRoute.withObject("match").put("case_sensitive", false);
    CliRun.Result changed = CliRun.withStdin(Dumps.write(running), "diff", "--config-dump", "-", "--manifests", example);
    JsonNode oursRoute = Dumps.route(Dumps.virtualHost(Dumps.routeConfig(Dumps.parse(render.out()),
        routeConfig.get("name").asString()), host.get("name").asString()), firstRoute.get("name").asString());
    assertThat(changed.lines()).containsExactly("route " + routeConfig.get("name").asString() + " / virtual host "
        + host.get("name").asString() + " / route " + firstRoute.get("name").asString() + ": match.case_sensitive: running false ≠ ours "
        + (oursRoute.at("/match/case_sensitive").isMissingNode() ? "(not set)" : oursRoute.at("/match/case_sensitive").toString()));
    assertThat(changed.code()).isEqualTo(1);
  }

  @Test
  void aDumpWithCamelCaseKeysFromStdinIsEquivalent() {
    CliRun.Result plain = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND);
    ObjectNode running = Dumps.camelCaseDump(plain.out());
    assertThat(Dumps.write(running)).contains("dynamicActiveClusters").contains("\"connectTimeout\"");
    CliRun.Result r = CliRun.withStdin(Dumps.write(running), "diff", "--config-dump", "-", "--node", FRONTEND, "--manifests", SHOP);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEmpty();
    assertThat(r.code()).isZero();
  }

  String changeRetryPolicy(ObjectNode running) {
    ObjectNode retry = (ObjectNode) Dumps.route(catalog(running), "api").get("route").get("retry_policy");
    retry.put("retry_on", "gateway-error,connect-failure");
    return "route rds_egress_http_8080 / virtual host catalog.shop / route api: route.retry_policy.retry_on: "
        + "running \"gateway-error,connect-failure\" ≠ ours \""
        + Dumps.route(catalog(ours), "api").at("/route/retry_policy/retry_on").asString() + "\"";
  }

  String dropVirtualHost(ObjectNode running) {
    ArrayNode hosts = (ArrayNode) Dumps.routeConfig(running, EGRESS_8080).get("virtual_hosts");
    for (int i = 0; i < hosts.size(); i++) {
      if (hosts.get(i).get("name").asString().equals("reviews.shop")) {
        hosts.remove(i);
      }
    }
    return "route rds_egress_http_8080 / virtual host reviews.shop: missing in running Envoy";
  }

  String swapFirstTwoRoutes(ObjectNode running) {
    ArrayNode routes = (ArrayNode) catalog(running).get("routes");
    JsonNode first = routes.remove(0);
    routes.insert(1, first);
    List<String> oursOrder = routeNames(catalog(ours));
    assertThat(oursOrder).hasSize(3);
    List<String> runningOrder = List.of(oursOrder.get(1), oursOrder.get(0), oursOrder.get(2));
    assertThat(routeNames(catalog(running))).isEqualTo(runningOrder);
    return "route rds_egress_http_8080 / virtual host catalog.shop: routes in a different order: ours "
        + oursOrder + ", running " + runningOrder;
  }

  @Test
  void oneChangedRetryPolicyIsNamedWithBothValues() throws Exception {
    ObjectNode running = running();
    String expected = changeRetryPolicy(running);
    CliRun.Result r = diff(running);
    assertThat(r.lines()).containsExactly(expected);
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void oneMissingVirtualHostIsNamed() throws Exception {
    ObjectNode running = running();
    String expected = dropVirtualHost(running);
    CliRun.Result r = diff(running);
    assertThat(r.lines()).containsExactly(expected);
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void oneReorderedRouteIsReportedAsAnOrderAndNothingElse() throws Exception {
    ObjectNode running = running();
    String expected = swapFirstTwoRoutes(running);
    CliRun.Result r = diff(running);
    assertThat(r.lines()).containsExactly(expected);
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void allThreeTogetherAreEachNamedOnce() throws Exception {
    ObjectNode running = running();
    String retry = changeRetryPolicy(running);
    String host = dropVirtualHost(running);
    String order = swapFirstTwoRoutes(running);
    CliRun.Result r = diff(running);
    assertThat(r.lines()).containsExactlyInAnyOrder(retry, host, order);
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void aChangedClusterTimeoutAndAnExtraClusterAreNamedInOrder() throws Exception {
    ObjectNode running = running();
    String payments = "cds_egress_shop_payments_shop_http_9090";
    Dumps.cluster(running, payments).put("connect_timeout", "0.250s");
    ObjectNode extra = ((ArrayNode) Dumps.configOf(running, "ClustersConfigDump").get("dynamic_active_clusters")).addObject();
    extra.put("version_info", "17").putObject("cluster").put("@type", "type.googleapis.com/envoy.config.cluster.v3.Cluster")
        .put("name", "cds_egress_shop_mesh-allow-all").put("type", "ORIGINAL_DST").put("lb_policy", "CLUSTER_PROVIDED")
        .put("connect_timeout", "1s");
    CliRun.Result r = diff(running, "--node", FRONTEND);
    assertThat(r.lines()).containsExactly(
        "cluster cds_egress_shop_mesh-allow-all: missing in ours",
        "cluster " + payments + ": connect_timeout: running \"0.250s\" ≠ ours \""
            + Dumps.cluster(ours, payments).get("connect_timeout").asString() + "\"");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void aChangedHealthCheckAndAMissingHttpFilterAreNamedByTheirElements() throws Exception {
    ObjectNode running = running();
    String payments = "cds_egress_shop_payments_shop_http_9090";
    ((ObjectNode) Dumps.cluster(running, payments).get("health_checks").get(0)).put("unhealthy_threshold", 5);
    ObjectNode ingress = Dumps.listener(running, "lds_ingress_0.0.0.0_15000");
    ObjectNode hcm = (ObjectNode) ingress.get("filter_chains").get(0).get("filters").get(0).get("typed_config");
    ((ArrayNode) hcm.get("http_filters")).insertObject(0).put("name", "envoy.filters.http.fault")
        .putObject("typed_config").put("@type", "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault");
    String chain = Dumps.listener(ours, "lds_ingress_0.0.0.0_15000").get("filter_chains").get(0).get("name").asString();
    CliRun.Result r = diff(running);
    assertThat(r.lines()).containsExactly(
        "cluster " + payments + ": health_checks[0].unhealthy_threshold: running 5 ≠ ours "
            + Dumps.cluster(ours, payments).get("health_checks").get(0).get("unhealthy_threshold"),
        "listener lds_ingress_0.0.0.0_15000 / filter chain " + chain
            + " / filter envoy.filters.network.http_connection_manager / http filter envoy.filters.http.fault: missing in ours");
    assertThat(r.code()).isEqualTo(1);
  }
}
