package io.appmeshxds.translator.fidelity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.XdsChecks;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What each node receives for a set of manifests, rendered through the whole pipeline (load,
 * validate, plan, translate) as the server serves it, with lookups into the Envoy resources. Every
 * node's resources also pass our consistency check and Envoy's proto rules.
 */
public final class Rendered {
  private final Map<NodeKey, XdsResources> nodes;

  private Rendered(Map<NodeKey, XdsResources> nodes) {
    this.nodes = nodes;
    nodes.forEach((k, r) -> assertThat(XdsChecks.check(r)).as("consistency and Envoy rules of %s", k).isEmpty());
  }

  /**
   * Sidecars and proxyless clients (the {@code # golden: proxyless=} directive adds the latter;
   * {@code # golden: perPod=<mesh>} gives a mesh per-pod endpoints).
   */
  public static Rendered sidecars(String yaml) {
    return with(GoldenRunner.withOptions(Path.of("."), o -> new Planner(o, List.of(), List.of()), List.of()), yaml);
  }

  /** With a runner wired as another module wires the pipeline (e.g. gateways). */
  public static Rendered with(GoldenRunner runner, String yaml) {
    return new Rendered(runner.render("fidelity", yaml).resources());
  }

  public XdsResources node(NodeKey key) {
    assertThat(nodes).as("rendered nodes").containsKey(key);
    return nodes.get(key);
  }

  public Cluster cluster(NodeKey key, String name) {
    return (Cluster) find(key, XdsResources.Type.CLUSTER, name);
  }

  /** Names of the clusters {@code key} receives. */
  public List<String> clusterNames(NodeKey key) {
    return node(key).get(XdsResources.Type.CLUSTER).stream().map(XdsResources.Resource::name).toList();
  }

  public RouteConfiguration routeConfig(NodeKey key, String name) {
    return (RouteConfiguration) find(key, XdsResources.Type.ROUTE, name);
  }

  public Listener listener(NodeKey key, String name) {
    return (Listener) find(key, XdsResources.Type.LISTENER, name);
  }

  private Message find(NodeKey key, XdsResources.Type type, String name) {
    Message m = XdsTranslator.find(node(key), type, name);
    assertThat(m).as("%s %s of %s", type, name, key).isNotNull();
    return m;
  }

  public static FilterChain chain(Listener l, String name) {
    return l.getFilterChainsList().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no filter chain " + name + " in " + l.getName() + ": "
            + l.getFilterChainsList().stream().map(FilterChain::getName).toList()));
  }

  public static HttpConnectionManager hcm(FilterChain c) {
    return unpack(c, HttpConnectionManager.class);
  }

  public static TcpProxy tcpProxy(FilterChain c) {
    return unpack(c, TcpProxy.class);
  }

  private static <T extends Message> T unpack(FilterChain c, Class<T> type) {
    assertThat(c.getFiltersList()).as("filters of chain %s", c.getName()).isNotEmpty();
    var any = c.getFilters(c.getFiltersCount() - 1).getTypedConfig();
    assertThat(any.is(type)).as("the terminal filter of chain %s is a %s", c.getName(), type.getSimpleName()).isTrue();
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  public static VirtualHost virtualHost(RouteConfiguration rc, String name) {
    return rc.getVirtualHostsList().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no virtual host " + name + " in " + rc.getName() + ": "
            + rc.getVirtualHostsList().stream().map(VirtualHost::getName).toList()));
  }

  public static Route route(VirtualHost vh, String name) {
    return vh.getRoutesList().stream().filter(r -> r.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no route " + name + " in " + vh.getName() + ": "
            + vh.getRoutesList().stream().map(Route::getName).toList()));
  }

  /** The retry policy Envoy applies to {@code r}: its own, else its virtual host's. */
  public static RetryPolicy effectiveRetry(VirtualHost vh, Route r) {
    return r.getRoute().hasRetryPolicy() ? r.getRoute().getRetryPolicy() : vh.getRetryPolicy();
  }
}
