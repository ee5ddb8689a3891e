package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.translator.xds.XdsJson;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code render --format config-dump}: Envoy's ConfigDump shape, the same resources as {@code render}, no secret material, deterministic. */
class RenderConfigDumpTest {
  static final String SHOP = Path.of("src", "test", "resources", "diff", "shop.yaml").toString();
  static final String FRONTEND = "mesh/shop/virtualNode/frontend_shop";
  static final String EXAMPLE = Path.of("..", "deploy", "examples", "podinfo").toString();
  static final String GATEWAY = "mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway";
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Every type the dump may pack: ConfigDump's own and every type our factories pack into Any. */
  static JsonFormat.TypeRegistry registry() {
    JsonFormat.TypeRegistry.Builder b = JsonFormat.TypeRegistry.newBuilder().add(XdsJson.coreTypes())
        .add(List.of(ConfigDump.getDescriptor(), ClustersConfigDump.getDescriptor(), EndpointsConfigDump.getDescriptor()));
    Pipelines.standard().extensions().forEach(e -> b.add(e.types()));
    return b.build();
  }

  static ConfigDump parse(String json) throws Exception {
    ConfigDump.Builder b = ConfigDump.newBuilder();
    JsonFormat.parser().usingTypeRegistry(registry()).merge(json, b);
    return b.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "gateway"})
  void parsesBackIntoEnvoysConfigDumpWithTheResourcesOfRenderInEnvoysOrder(String which) throws Exception {
    String manifests = which.equals("sidecar") ? SHOP : EXAMPLE;
    String node = which.equals("sidecar") ? FRONTEND : GATEWAY;
    CliRun.Result dump = CliRun.run("render", "--manifests", manifests, "--node", node, "--format", "config-dump");
    CliRun.Result plain = CliRun.run("render", "--manifests", manifests, "--node", node);
    assertThat(dump.code()).as(dump.err()).isZero();
    assertThat(plain.code()).as(plain.err()).isZero();

    ConfigDump parsed = parse(dump.out());
    // Printed with the proto field names: printing the parsed proto that way gives the same text back.
    assertThat(JsonFormat.printer().usingTypeRegistry(registry()).preservingProtoFieldNames().sortingMapKeys().print(parsed))
        .isEqualTo(dump.out().strip());
    assertThat(parsed.getConfigsList()).extracting(Any::getTypeUrl).containsExactly(
        "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
        "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump",
        "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
        "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
        "type.googleapis.com/envoy.admin.v3.SecretsConfigDump");
    ClustersConfigDump clusters = parsed.getConfigs(0).unpack(ClustersConfigDump.class);
    EndpointsConfigDump endpoints = parsed.getConfigs(1).unpack(EndpointsConfigDump.class);
    ListenersConfigDump listeners = parsed.getConfigs(2).unpack(ListenersConfigDump.class);
    RoutesConfigDump routes = parsed.getConfigs(3).unpack(RoutesConfigDump.class);
    SecretsConfigDump secrets = parsed.getConfigs(4).unpack(SecretsConfigDump.class);

    JsonNode ours = JSON.readTree(plain.out());
    List<Message> dumpedClusters = new ArrayList<>();
    for (ClustersConfigDump.DynamicCluster c : clusters.getDynamicActiveClustersList()) {
      assertThat(c.getVersionInfo()).isNotEmpty().isEqualTo(clusters.getVersionInfo());
      assertThat(c.hasLastUpdated()).isFalse();
      dumpedClusters.add(c.getCluster().unpack(Cluster.class));
    }
    assertThat(clusters.getStaticClustersList()).isEmpty();
    assertThat(dumpedClusters).containsExactlyElementsOf(resources(ours, "clusters", Cluster.newBuilder()));
    List<Message> dumpedListeners = new ArrayList<>();
    for (ListenersConfigDump.DynamicListener l : listeners.getDynamicListenersList()) {
      assertThat(l.getActiveState().getVersionInfo()).isNotEmpty().isEqualTo(listeners.getVersionInfo());
      assertThat(l.getActiveState().hasLastUpdated()).isFalse();
      Listener listener = l.getActiveState().getListener().unpack(Listener.class);
      assertThat(l.getName()).isEqualTo(listener.getName());
      dumpedListeners.add(listener);
    }
    List<Message> dumpedRoutes = new ArrayList<>();
    for (RoutesConfigDump.DynamicRouteConfig r : routes.getDynamicRouteConfigsList()) {
      assertThat(r.getVersionInfo()).isNotEmpty();
      dumpedRoutes.add(r.getRouteConfig().unpack(RouteConfiguration.class));
    }
    assertThat(dumpedRoutes).containsExactlyElementsOf(resources(ours, "routes", RouteConfiguration.newBuilder()));
    List<Message> dumpedEndpoints = new ArrayList<>();
    for (EndpointsConfigDump.DynamicEndpointConfig e : endpoints.getDynamicEndpointConfigsList()) {
      dumpedEndpoints.add(e.getEndpointConfig().unpack(ClusterLoadAssignment.class));
    }
    assertThat(dumpedEndpoints).containsExactlyElementsOf(resources(ours, "endpoints", ClusterLoadAssignment.newBuilder()));
    assertThat(secrets.getDynamicActiveSecretsCount()).isEqualTo(ours.get("secrets").size());
    if (which.equals("gateway")) {
      // Nothing sensitive in the gateway's listeners: identical to render's.
      assertThat(dumpedListeners).containsExactlyElementsOf(resources(ours, "listeners", Listener.newBuilder()));
    } else {
      assertThat(dumpedListeners).extracting(m -> ((Listener) m).getName())
          .containsExactlyElementsOf(ours.get("listeners").findValuesAsString("name").stream()
              .filter(n -> n.startsWith("lds_")).toList());
    }
    assertThat(dump.out()).doesNotContain("last_updated").doesNotContain("lastUpdated");
  }

  private static List<Message> resources(JsonNode ours, String key, Message.Builder prototype) throws Exception {
    List<Message> out = new ArrayList<>();
    for (JsonNode n : ours.get(key)) {
      Message.Builder b = prototype.clone().clear();
      JsonFormat.parser().usingTypeRegistry(registry()).merge(n.toString(), b);
      out.add(b.build());
    }
    return out;
  }

  @Test
  void aPrivateKeyIsRedactedAsEnvoyRedactsItAndTheCertificateChainIsKept() {
    CliRun.Result dump = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "config-dump");
    CliRun.Result plain = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND);
    // render's JSON redacts as the dump does: an ACM secret carries the key itself, not a path.
    assertThat(plain.out()).doesNotContain("/certs/frontend/key.pem").contains("/certs/frontend/cert_chain.pem")
        .contains("\"filename\" : \"[redacted]\"");
    assertThat(dump.out()).doesNotContain("/certs/frontend/key.pem")
        .contains("\"private_key\": {\n                      \"filename\": \"[redacted]\"")
        .contains("/certs/frontend/cert_chain.pem");
  }

  @Test
  void theSameInputPrintsTheSameBytes() {
    CliRun.Result a = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "config-dump");
    CliRun.Result b = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "config-dump");
    assertThat(a.code()).isZero();
    assertThat(a.out()).isEqualTo(b.out());
  }

  @Test
  void theDefaultFormatIsRendersJsonObject() throws Exception {
    CliRun.Result plain = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND);
    CliRun.Result json = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "json");
    assertThat(plain.out()).isEqualTo(json.out());
    assertThat(JSON.readTree(plain.out()).propertyNames()).containsExactly("listeners", "routes", "clusters", "endpoints", "secrets");
  }

  @Test
  void aProxylessClientHasNoConfigDumpAndAnUnknownFormatIsAUsageError() {
    CliRun.Result proxyless = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--proxyless", "--format", "config-dump");
    assertThat(proxyless.code()).isEqualTo(2);
    assertThat(proxyless.err()).contains("a proxyless gRPC client has none").contains("CSDS");
    assertThat(proxyless.out()).isEmpty();
    CliRun.Result bad = CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "yaml");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("expected json or config-dump, not yaml");
  }
}
