package io.appmeshxds.server.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What proto3 JSON allows to be written several ways compares equal; what Envoy reads differently does not. */
class DiffNormalizationTest {

  static Dump dump(String clustersJson, String routesJson) throws DumpException {
    String json = "{\"configs\": ["
        + "{\"@type\": \"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\", \"dynamic_active_clusters\": ["
        + clustersJson + "]},"
        + "{\"@type\": \"type.googleapis.com/envoy.admin.v3.RoutesConfigDump\", \"dynamic_route_configs\": [" + routesJson + "]}]}";
    return ConfigDiff.read(json.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> lines(Dump ours, Dump running) {
    return ConfigDiff.compare(ours, running, ConfigDiff.Options.defaults()).stream().map(Difference::line).toList();
  }

  static String cluster(String body) {
    return "{\"cluster\": {\"@type\": \"type.googleapis.com/envoy.config.cluster.v3.Cluster\", \"name\": \"c\", " + body + "}}";
  }

  static String routes(String... routes) {
    return "{\"route_config\": {\"@type\": \"type.googleapis.com/envoy.config.route.v3.RouteConfiguration\", \"name\": \"rc\", "
        + "\"virtual_hosts\": [{\"name\": \"vh\", \"domains\": [\"a\", \"a:80\"], \"routes\": [" + String.join(",", routes) + "]}]}}";
  }

  static String route(String name, String prefix, String retryOn) {
    return "{\"name\": \"" + name + "\", \"match\": {\"prefix\": \"" + prefix + "\"}, \"route\": {\"cluster\": \"c\", "
        + "\"retry_policy\": {\"retry_on\": \"" + retryOn + "\", \"num_retries\": 2}}}";
  }

  @Test
  void spellingsOfTheSameValueAreEqual() throws Exception {
    Dump ours = dump(cluster("\"type\": \"EDS\", \"connect_timeout\": \"0.250s\", \"per_connection_buffer_limit_bytes\": 32768, "
            + "\"circuit_breakers\": {\"thresholds\": [{\"max_requests\": 2147483647}]}, \"dns_refresh_rate\": \"5s\", "
            + "\"lb_policy\": \"LEAST_REQUEST\", \"max_requests_per_connection\": 1"),
        routes(route("r", "/", "reset,connect-failure")));
    Dump running = dump("{\"versionInfo\": \"x\", \"lastUpdated\": \"2026-11-30T08:15:00Z\", \"cluster\": {"
            + "\"@type\": \"type.googleapis.com/envoy.config.cluster.v3.Cluster\", \"name\": \"c\", \"type\": 3, "
            + "\"connectTimeout\": \"0.25s\", \"perConnectionBufferLimitBytes\": \"32768\", "
            + "\"circuitBreakers\": {\"thresholds\": [{\"maxRequests\": \"2147483647\", \"priority\": \"DEFAULT\"}]}, "
            + "\"dnsRefreshRate\": \"5.000000000s\", \"lbPolicy\": 1, \"maxRequestsPerConnection\": 1, \"respectDnsTtl\": false, "
            + "\"altStatName\": \"\"}}",
        routes(route("r", "/", "connect-failure, reset")));
    assertThat(lines(ours, running)).isEmpty();
  }

  @Test
  void presenceOfAWrapperAtZeroIsADifference() throws Exception {
    Dump ours = dump(cluster("\"connect_timeout\": \"1s\""), "");
    Dump running = dump(cluster("\"connect_timeout\": \"1s\", \"per_connection_buffer_limit_bytes\": 0"), "");
    assertThat(lines(ours, running)).containsExactly("cluster c: per_connection_buffer_limit_bytes: running 0 ≠ ours (not set)");
  }

  @Test
  void routesAreMatchedByNameAndTheirOrderCountsWhileDomainsAreASet() throws Exception {
    Dump ours = dump("", routes(route("a", "/a", "reset"), route("b", "/b", "reset"), route("c", "/", "reset")));
    Dump running = dump("", routes(route("b", "/b", "reset"), route("a", "/a", "5xx"), route("c", "/", "reset"))
        .replace("[\"a\", \"a:80\"]", "[\"a:80\", \"a\"]"));
    assertThat(lines(ours, running)).containsExactly(
        "route rc / virtual host vh: routes in a different order: ours [a, b, c], running [b, a, c]",
        "route rc / virtual host vh / route a: route.retry_policy.retry_on: running \"5xx\" ≠ ours \"reset\"");
  }

  @Test
  void unnamedRoutesAreMatchedByTheirMatch() throws Exception {
    String a = route("", "/a", "reset").replace("\"name\": \"\", ", "");
    String b = route("", "/b", "reset").replace("\"name\": \"\", ", "");
    Dump ours = dump("", routes(a, b));
    Dump running = dump("", routes(b.replace("\"num_retries\": 2", "\"num_retries\": 4"), a));
    assertThat(lines(ours, running)).containsExactly(
        "route rc / virtual host vh: routes in a different order: ours [(match {\"prefix\":\"/a\"}), (match {\"prefix\":\"/b\"})], "
            + "running [(match {\"prefix\":\"/b\"}), (match {\"prefix\":\"/a\"})]",
        "route rc / virtual host vh / route (match {\"prefix\":\"/b\"}): route.retry_policy.num_retries: running 4 ≠ ours 2");
  }

  @Test
  void secretMaterialInTheRunningDumpNeverReachesALine() throws Exception {
    String tls = "\"transport_socket\": {\"name\": \"envoy.transport_sockets.tls\", \"typed_config\": {"
        + "\"@type\": \"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext\", "
        + "\"common_tls_context\": {\"tls_certificates\": [{\"certificate_chain\": {\"filename\": \"/certs/chain.pem\"}, "
        + "\"private_key\": %s}]}}}";
    Dump ours = dump(cluster(String.format(tls, "{\"filename\": \"[redacted]\"}")), "");
    Dump running = dump(cluster(String.format(tls, "{\"inline_string\": \"-----BEGIN PRIVATE KEY-----MIIEvQIBADAN\"}")
        .replace("/certs/chain.pem", "/certs/other.pem")), "");
    List<String> lines = lines(ours, running);
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("MIIEvQIBADAN").doesNotContain("BEGIN PRIVATE KEY"));
    assertThat(lines).containsExactly(
        "cluster c: transport_socket.typed_config.common_tls_context.tls_certificates[0].certificate_chain.filename: "
            + "running \"/certs/other.pem\" ≠ ours \"/certs/chain.pem\"",
        "cluster c: transport_socket.typed_config.common_tls_context.tls_certificates[0].private_key.filename: "
            + "running (not set) ≠ ours \"[redacted]\"",
        "cluster c: transport_socket.typed_config.common_tls_context.tls_certificates[0].private_key.inline_string: "
            + "running \"[redacted]\" ≠ ours (not set)");
  }

  @Test
  void anUnknownTypeIsComparedAsWrittenAndLabelled() throws Exception {
    String unknown = "\"typed_extension_protocol_options\": {\"aws.appmesh.x\": {\"@type\": \"type.googleapis.com/aws.appmesh.v1.X\", "
        + "\"limitRps\": %d}}";
    Dump ours = dump(cluster(String.format(unknown, 10)), "");
    Dump running = dump(cluster(String.format(unknown, 20)), "");
    List<Difference> d = ConfigDiff.compare(ours, running, ConfigDiff.Options.defaults());
    assertThat(d).extracting(Difference::line).containsExactly(
        "[not in upstream Envoy] cluster c: typed_extension_protocol_options[\"aws.appmesh.x\"].limitRps: running 20 ≠ ours 10");
    assertThat(ConfigDiff.compare(ours, running, new ConfigDiff.Options(true, Set.of()))).isEmpty();
  }

  @Test
  void thousandsOfRoutesWithOneSwapGiveOneLine() throws Exception {
    List<String> oursRoutes = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      oursRoutes.add(route("r" + i, "/p" + i, "reset"));
    }
    List<String> runningRoutes = new ArrayList<>(oursRoutes);
    runningRoutes.set(10_000, oursRoutes.get(10_001));
    runningRoutes.set(10_001, oursRoutes.get(10_000));
    List<String> lines = lines(dump("", routes(oursRoutes.toArray(String[]::new))), dump("", routes(runningRoutes.toArray(String[]::new))));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("route rc / virtual host vh: routes in a different order: ours [r0, r1, ")
        .contains("r9999, r10000, r10001, r10002").contains("running [r0, r1, ").contains("r9999, r10001, r10000, r10002");
  }

  @Test
  void durationsHaveOneSpelling() {
    assertThat(Durations.canonical("15s")).isEqualTo("15s");
    assertThat(Durations.canonical("15.000s")).isEqualTo("15s");
    assertThat(Durations.canonical("0.25s")).isEqualTo("0.250s");
    assertThat(Durations.canonical("0.000001s")).isEqualTo("0.000001s");
    assertThat(Durations.canonical("1.000000001s")).isEqualTo("1.000000001s");
    assertThat(Durations.canonical("-1.5s")).isEqualTo("-1.500s");
    assertThat(Durations.canonical("soon")).isEqualTo("soon");
  }

  @Test
  void aVirtualHostRetryPolicyIsThePolicyOfEachRouteWithoutOne() throws Exception {
    String policy = "{\"retry_on\": \"reset\", \"num_retries\": 2}";
    String hoisted = routes(route("a", "/a", "reset").replace(", \"retry_policy\": {\"retry_on\": \"reset\", \"num_retries\": 2}", ""),
            route("b", "/b", "5xx"))
        .replace("\"routes\": [", "\"retry_policy\": " + policy + ", \"routes\": [");
    Dump ours = dump("", hoisted);
    // App Mesh's form: the policy on each route; b keeps its own, which replaces the virtual host's.
    assertThat(lines(ours, dump("", routes(route("a", "/a", "reset"), route("b", "/b", "5xx"))))).isEmpty();
    // Not the same: b loses its own policy to the virtual host's, a gets another one.
    assertThat(lines(ours, dump("", routes(route("a", "/a", "gateway-error"), route("b", "/b", "reset"))))).containsExactly(
        "route rc / virtual host vh / route a: route.retry_policy.retry_on: running \"gateway-error\" ≠ ours \"reset\"",
        "route rc / virtual host vh / route b: route.retry_policy.retry_on: running \"reset\" ≠ ours \"5xx\"");
  }
}
