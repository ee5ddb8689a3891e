package io.appmeshxds.translator.xds;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resources as proto3 JSON ({@code Any} fields carry {@code @type}): the {@code render} and
 * {@code config_dump} output, and the form of golden files.
 */
public final class XdsJson {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final JsonFormat.TypeRegistry registry;
  private final JsonFormat.Printer printer;

  /** Types the core factories pack into {@code Any}. */
  public static List<Descriptor> coreTypes() {
    return List.of(HttpConnectionManager.getDescriptor(), Router.getDescriptor(), TcpProxy.getDescriptor(),
        OriginalDst.getDescriptor(), TlsInspector.getDescriptor(), FileAccessLog.getDescriptor(),
        DownstreamTlsContext.getDescriptor(), UpstreamTlsContext.getDescriptor(), HttpProtocolOptions.getDescriptor(),
        PreviousHostsPredicate.getDescriptor(), Listener.getDescriptor(), RouteConfiguration.getDescriptor(),
        Cluster.getDescriptor(), ClusterLoadAssignment.getDescriptor(), Secret.getDescriptor(),
        io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.getDescriptor());
  }

  public XdsJson() {
    this(List.of());
  }

  /** With the {@code Any} types of extension factories too. */
  public XdsJson(List<ExtensionFactory> extensions) {
    JsonFormat.TypeRegistry.Builder b = JsonFormat.TypeRegistry.newBuilder().add(coreTypes());
    extensions.forEach(e -> b.add(e.types()));
    registry = b.build();
    printer = JsonFormat.printer().usingTypeRegistry(registry).sortingMapKeys();
  }

  public JsonFormat.TypeRegistry registry() {
    return registry;
  }

  /** One message as a JSON tree. */
  public JsonNode tree(Message m) {
    try {
      return JSON.readTree(printer.print(m));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getFullName(), e);
    }
  }

  /** {@code {"listeners":[…],"routes":[…],"clusters":[…],"endpoints":[…],"secrets":[…]}}. */
  public ObjectNode tree(XdsResources r) {
    ObjectNode root = JSON.createObjectNode();
    for (XdsResources.Type t : XdsResources.Type.values()) {
      List<JsonNode> items = new ArrayList<>();
      r.get(t).forEach(x -> items.add(tree(x.proto())));
      root.putArray(t.key()).addAll(items);
    }
    return root;
  }

  /** Pretty JSON text of {@link #tree(XdsResources)}. */
  public String render(XdsResources r) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree(r));
  }
}
