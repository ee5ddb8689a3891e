package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.xds.rules.ProtoRules;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bootstrap carries what App Mesh's Envoy agent wrote: RE2's program size limit 1000 in the
 * runtime's static layer plus an admin layer, LDS and CDS that wait for their first answer
 * ({@code initial_fetch_timeout: 0s}, not on {@code ads_config}), and the three ingress stats tags,
 * next to our fixed tags; read from the proto and from its JSON, for a sidecar and a gateway, and
 * within Envoy's proto rules. The tags' regexes, applied as Envoy applies a custom tag, extract the
 * protocol, port and route configuration of {@code ingress.<protocol>.<port>} stat names.
 */
class BootstrapFactoryTest {
  static final String SIDECAR = "mesh/appmesh/virtualNode/podinfo-primary_demo";
  static final String GATEWAY = "mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway";

  static Bootstrap build(String node) {
    return BootstrapFactory.build(new BootstrapFactory.Settings(node, "appmesh-xds.appmesh-system", 18000, 9901, null, null));
  }

  /** The bootstrap a sidecar or gateway is started with, as JSON (Envoy reads it so). */
  static JsonNode json(Bootstrap b) throws Exception {
    return JsonMapper.builder().build().readTree(JsonFormat.printer().usingTypeRegistry(new XdsJson().registry()).print(b));
  }

  @ParameterizedTest
  @ValueSource(strings = {SIDECAR, GATEWAY})
  void passesEnvoysProtoRules(String node) {
    assertThat(ProtoRules.check(build(node), true)).isEmpty();
  }

  /** AG, D2: the static runtime layer raises RE2's program size limit to 1000 (Envoy's default is 100); an admin layer follows. */
  @ParameterizedTest
  @ValueSource(strings = {SIDECAR, GATEWAY})
  void runtimeRaisesRe2ProgramSizeLimitToAThousand_fact10(String node) throws Exception {
    Bootstrap b = build(node);
    assertThat(b.getLayeredRuntime().getLayersList()).extracting(RuntimeLayer::getName).containsExactly("static_layer_0", "admin_layer");
    RuntimeLayer stat = b.getLayeredRuntime().getLayers(0);
    assertThat(stat.getStaticLayer().getFieldsMap()).containsOnlyKeys("re2.max_program_size.error_level");
    assertThat(stat.getStaticLayer().getFieldsOrThrow("re2.max_program_size.error_level").getNumberValue()).isEqualTo(1000);
    assertThat(b.getLayeredRuntime().getLayers(1).hasAdminLayer()).isTrue();

    JsonNode json = json(b);
    assertThat(json.at("/layeredRuntime/layers/0/staticLayer").get("re2.max_program_size.error_level").asInt()).isEqualTo(1000);
    assertThat(json.at("/layeredRuntime/layers/1/name").asText()).isEqualTo("admin_layer");
  }

  /** AG, D2: LDS and CDS from ADS wait for their first answer ({@code initial_fetch_timeout: 0s}); ads_config has no such field. */
  @ParameterizedTest
  @ValueSource(strings = {SIDECAR, GATEWAY})
  void ldsAndCdsWaitForTheirFirstAnswer_fact11(String node) throws Exception {
    Bootstrap b = build(node);
    for (ConfigSource c : List.of(b.getDynamicResources().getLdsConfig(), b.getDynamicResources().getCdsConfig())) {
      assertThat(c.hasAds()).isTrue();
      assertThat(c.hasInitialFetchTimeout()).isTrue();
      assertThat(c.getInitialFetchTimeout().getSeconds()).isZero();
      assertThat(c.getInitialFetchTimeout().getNanos()).isZero();
      assertThat(c.getResourceApiVersion().name()).isEqualTo("V3");
    }

    JsonNode json = json(b);
    assertThat(json.at("/dynamicResources/ldsConfig/initialFetchTimeout").asText()).isEqualTo("0s");
    assertThat(json.at("/dynamicResources/cdsConfig/initialFetchTimeout").asText()).isEqualTo("0s");
    assertThat(json.at("/dynamicResources/adsConfig").has("initialFetchTimeout")).isFalse();
  }

  /**
   * UG metrics, AG: the agent's three regex tags for {@code ingress.<protocol>.<port>} stat names,
   * next to our fixed mesh and node tags, with Envoy's default tags kept on.
   */
  @ParameterizedTest
  @ValueSource(strings = {SIDECAR, GATEWAY})
  void ingressStatsTagsAsTheAgentWroteThem_fact14(String node) throws Exception {
    Bootstrap b = build(node);
    Map<String, String> regexTags = new LinkedHashMap<>();
    Map<String, String> fixedTags = new LinkedHashMap<>();
    for (TagSpecifier t : b.getStatsConfig().getStatsTagsList()) {
      (t.hasFixedValue() ? fixedTags : regexTags).put(t.getTagName(), t.hasFixedValue() ? t.getFixedValue() : t.getRegex());
    }
    assertThat(b.getStatsConfig().getUseAllDefaultTags().getValue()).isTrue();
    assertThat(fixedTags).containsEntry("appmesh.mesh", "appmesh")
        .containsEntry(node.equals(GATEWAY) ? "appmesh.virtual_gateway" : "appmesh.virtual_node",
            node.substring(node.lastIndexOf('/') + 1));
    assertThat(regexTags).containsExactly(
        Map.entry("appmesh.listener_protocol", ".*?\\.ingress\\.((\\w+?)\\.)[0-9]+?\\.(.+?)$"),
        Map.entry("appmesh.listener_port", ".*?\\.ingress\\.\\w+?\\.(([0-9]+?)\\.)(.+?)$"),
        Map.entry("envoy_rds_route_config", ".*?\\.ingress\\.\\w+?\\.[0-9]+?\\.rds\\.((.*?)\\.)(.+?)$"));

    assertThat(json(b).at("/statsConfig/statsTags").findValuesAsString("tagName"))
        .contains("appmesh.listener_protocol", "appmesh.listener_port", "envoy_rds_route_config");
  }

  /** Tags of one stat name as Envoy's regex tag extractor makes them, and the name left once every match is cut out. */
  record Extracted(Map<String, String> tags, String name) {}

  /**
   * Envoy's custom regex tag (TagExtractorStdRegexImpl): {@code regex_search} on the full stat
   * name; group 1 is the part removed from the name, group 2 (else group 1) the tag's value. Every
   * extractor sees the original name; the removals are merged.
   */
  static Extracted extract(String stat) {
    Map<String, String> tags = new LinkedHashMap<>();
    boolean[] removed = new boolean[stat.length()];
    for (Map.Entry<String, String> t : BootstrapFactory.INGRESS_STATS_TAGS.entrySet()) {
      Matcher m = Pattern.compile(t.getValue()).matcher(stat);
      if (m.find() && m.groupCount() >= 1) {
        tags.put(t.getKey(), m.groupCount() >= 2 ? m.group(2) : m.group(1));
        for (int i = m.start(1); i < m.end(1); i++) {
          removed[i] = true;
        }
      }
    }
    StringBuilder rest = new StringBuilder();
    for (int i = 0; i < stat.length(); i++) {
      if (!removed[i]) {
        rest.append(stat.charAt(i));
      }
    }
    return new Extracted(tags, rest.toString());
  }

  @Test
  void theIngressTagsTakeProtocolPortAndRouteConfigurationOutOfTheStatName_fact14() {
    Extracted rds = extract("http.ingress.http.8080.rds.rds_ingress_http_8080.rq_total");
    assertThat(rds.tags()).containsExactly(Map.entry("appmesh.listener_protocol", "http"),
        Map.entry("appmesh.listener_port", "8080"), Map.entry("envoy_rds_route_config", "rds_ingress_http_8080"));
    // What is left is what Envoy's default tags see: http.<prefix>.…, prefix "ingress".
    assertThat(rds.name()).isEqualTo("http.ingress.rds.rq_total");

    Extracted rq = extract("http.ingress.grpc.9090.downstream_rq_2xx");
    assertThat(rq.tags()).containsExactly(Map.entry("appmesh.listener_protocol", "grpc"),
        Map.entry("appmesh.listener_port", "9090"));
    assertThat(rq.name()).isEqualTo("http.ingress.downstream_rq_2xx");

    Extracted tcp = extract("tcp.ingress.tcp.5432.downstream_cx_total");
    assertThat(tcp.tags()).containsExactly(Map.entry("appmesh.listener_protocol", "tcp"),
        Map.entry("appmesh.listener_port", "5432"));
    assertThat(tcp.name()).isEqualTo("tcp.ingress.downstream_cx_total");

    // Names without a protocol and port after "ingress" (a single-listener prefix, egress) keep everything.
    List<String> untouched = new ArrayList<>();
    for (String s : List.of("http.ingress.downstream_rq_total", "http.egress.rq_total", "cluster.cds_ingress_m_a_http_8080.upstream_rq_200")) {
      Extracted e = extract(s);
      if (e.tags().isEmpty() && e.name().equals(s)) {
        untouched.add(s);
      }
    }
    assertThat(untouched).hasSize(3);
  }

  /**
   * Admin on loopback with a stats listener (what injected sidecars get): the admin interface binds
   * 127.0.0.1 only, and 0.0.0.0:9901 serves exactly {@code /stats/prometheus} and {@code /ready},
   * proxied to it, so App Mesh's scrape address and a kubelet probe keep working; within Envoy's
   * proto rules.
   */
  @Test
  void adminOnLoopbackWithAStatsListenerThatServesOnlyScrapesAndReadiness() throws Exception {
    Bootstrap b = BootstrapFactory.build(new BootstrapFactory.Settings(SIDECAR, "appmesh-xds.appmesh-system", 18000, 9902,
        null, null, "127.0.0.1", 9901));
    assertThat(ProtoRules.check(b, true)).isEmpty();
    assertThat(b.getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    assertThat(b.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(9902);
    var listener = b.getStaticResources().getListenersList();
    assertThat(listener).hasSize(1);
    assertThat(listener.get(0).getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(listener.get(0).getAddress().getSocketAddress().getPortValue()).isEqualTo(9901);
    var admin = b.getStaticResources().getClustersList().stream().filter(c -> c.getName().equals(BootstrapFactory.ADMIN_CLUSTER))
        .findFirst().orElseThrow();
    var ep = admin.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertThat(ep.getAddress() + ":" + ep.getPortValue()).isEqualTo("127.0.0.1:9902");
    var hcm = listener.get(0).getFilterChains(0).getFilters(0).getTypedConfig()
        .unpack(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.class);
    assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutesList())
        .extracting(r -> r.getMatch().getPath() + " -> " + r.getRoute().getCluster())
        .containsExactly("/stats/prometheus -> envoy_admin", "/ready -> envoy_admin");
    // What `bootstrap` prints keeps its admin on every address and has no stats listener.
    assertThat(build(SIDECAR).getStaticResources().getListenersCount()).isZero();
    assertThat(build(SIDECAR).getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
  }
}
