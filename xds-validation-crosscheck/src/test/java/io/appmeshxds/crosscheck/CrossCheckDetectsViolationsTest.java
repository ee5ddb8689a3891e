package io.appmeshxds.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cross-check is not vacuous: deliberately broken resources (built here from YAML strings) are
 * reported with their node, kind, name, {@code Any} path and the validator's message, all problems of
 * one file are reported together, and the valid sample really has its {@code Any}s unpacked.
 */
class CrossCheckDetectsViolationsTest {

  static final String HCM = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  static final String ROUTER = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";

  static final String HCM_WITHOUT_STAT_PREFIX = """
      - name: lds_ingress_0.0.0.0_15000
        address: {socket_address: {address: 0.0.0.0, port_value: 15000}}
        filter_chains:
          - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": %s
                  stat_prefix: ""
                  rds: {route_config_name: rds_ingress_http_9898, config_source: {ads: {}}}
                  http_filters:
                    - {name: envoy.filters.http.router, typed_config: {"@type": %s}}
      """.formatted(HCM, ROUTER);

  static final String NEGATIVE_CONNECT_TIMEOUT = """
      - name: cds_ingress_demo
        type: EDS
        eds_cluster_config: {eds_config: {ads: {}}}
        connect_timeout: -1s
      """;

  static final String EMPTY_WEIGHTED_CLUSTERS = """
      - name: rds_weighted
        virtual_hosts:
          - name: vh
            domains: ["*"]
            routes:
              - match: {prefix: /}
                route: {weighted_clusters: {clusters: []}}
      """;

  static final String VIRTUAL_HOST_WITHOUT_DOMAINS = """
      - name: rds_no_domains
        virtual_hosts:
          - name: vh
            routes:
              - match: {prefix: /}
                route: {cluster: cds_ingress_demo}
      """;

  static final String UNKNOWN_ANY_TYPE = """
      - name: cds_unknown_type
        type: EDS
        eds_cluster_config: {eds_config: {ads: {}}}
        connect_timeout: 1s
        typed_extension_protocol_options:
          x: {"@type": type.googleapis.com/example.NotAnEnvoyType}
      """;

  private final CrossChecker checker = new CrossChecker();

  /** A resource list of a node entry: {@code kind:} followed by the given items. */
  static String list(String kind, String... items) {
    StringBuilder yaml = new StringBuilder(kind + ":\n");
    for (String item : items) {
      yaml.append(item.indent(2));
    }
    return yaml.toString();
  }

  /** One node entry in the snapshot format, holding the given resource lists. */
  static String snapshot(String... resourceLists) {
    StringBuilder yaml = new StringBuilder("nodes:\n  - node: mesh/appmesh/virtualNode/podinfo-primary_demo\n");
    yaml.append("    proxyless: false\n");
    for (String lists : resourceLists) {
      yaml.append(lists.indent(4));
    }
    return yaml.toString();
  }

  static Stream<Arguments> brokenResources() {
    return Stream.of(
        Arguments.of("HCM in an Any with empty stat_prefix", list("listeners", HCM_WITHOUT_STAT_PREFIX),
            "listeners", "lds_ingress_0.0.0.0_15000",
            "filter_chains[0].filters[0].typed_config(envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager)",
            "HttpConnectionManager.stat_prefix: length must be at least 1"),
        Arguments.of("Cluster with negative connect_timeout", list("clusters", NEGATIVE_CONNECT_TIMEOUT),
            "clusters", "cds_ingress_demo", null, "Cluster.connect_timeout: must be greater than"),
        Arguments.of("weighted_clusters without clusters", list("routes", EMPTY_WEIGHTED_CLUSTERS),
            "routes", "rds_weighted", null, "WeightedCluster.clusters: must have at least 1 items"),
        Arguments.of("VirtualHost without domains", list("routes", VIRTUAL_HOST_WITHOUT_DOMAINS),
            "routes", "rds_no_domains", null, "VirtualHost.domains: must have at least 1 items"),
        Arguments.of("Any of an unknown type", list("clusters", UNKNOWN_ANY_TYPE),
            "clusters", "cds_unknown_type", null, "unknown \"@type\" type.googleapis.com/example.NotAnEnvoyType"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenResources")
  void reportsTheBrokenRule(String title, String resources, String kind, String name, String anyPath, String inMessage) {
    CrossChecker.Result result = checker.check("broken.xds.yaml", snapshot(resources));

    assertThat(result.violations()).singleElement().satisfies(v -> {
      assertThat(v.file()).isEqualTo("broken.xds.yaml");
      assertThat(v.node()).isEqualTo("mesh/appmesh/virtualNode/podinfo-primary_demo");
      assertThat(v.kind()).isEqualTo(kind);
      assertThat(v.resource()).isEqualTo(name);
      assertThat(v.anyPath()).isEqualTo(anyPath);
      assertThat(v.message()).contains(inMessage);
    });
  }

  @Test
  void reportsEveryViolationOfAFileAtOnce() {
    CrossChecker.Result result = checker.check("all.xds.yaml", snapshot(
        list("listeners", HCM_WITHOUT_STAT_PREFIX),
        list("clusters", NEGATIVE_CONNECT_TIMEOUT),
        list("routes", EMPTY_WEIGHTED_CLUSTERS, VIRTUAL_HOST_WITHOUT_DOMAINS)));

    assertThat(result.violations()).extracting(Violation::resource)
        .containsExactlyInAnyOrder("lds_ingress_0.0.0.0_15000", "cds_ingress_demo", "rds_weighted", "rds_no_domains");
  }

  @Test
  void rejectsWhatIsNotASnapshot() {
    assertThat(checker.check("x", "just: text\n").violations()).extracting(Violation::message)
        .containsExactly("expected a top-level 'nodes' list");
    assertThat(checker.check("x", snapshot("listner: []\n")).violations()).extracting(Violation::kind)
        .containsExactly("listner");
  }

  @Test
  void validSampleIsCheckedDownToEveryAny() throws IOException {
    CrossChecker.Result result = checker.check(Path.of("src/test/resources/samples/valid-sidecar.xds.yaml"));

    assertThat(result.violations()).isEmpty();
    assertThat(result.resources()).isEqualTo(4);
    // original_dst, HCM, router, stdout access log, previous_hosts predicate, HttpProtocolOptions
    assertThat(result.unpackedAnys()).isEqualTo(6);
  }
}
