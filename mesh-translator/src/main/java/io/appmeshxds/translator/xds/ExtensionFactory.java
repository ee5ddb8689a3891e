package io.appmeshxds.translator.xds;

import com.google.protobuf.Descriptors.Descriptor;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;

/**
 * Builds the protos of an {@link ExtensionPlan} contributed by another module (tracing, access-log
 * export). Registered with the {@link XdsTranslator}, so protos are still built in this stage.
 */
public interface ExtensionFactory {

  /** Whether this factory builds {@code plan}. */
  boolean handles(ExtensionPlan plan);

  /** Adds the extension to an HTTP connection manager (Envoy proxies only). */
  default void applyHttp(ExtensionPlan plan, HttpConnectionManager.Builder hcm, Dialect dialect) {}

  /** Adds the extension to a TCP proxy. */
  default void applyTcp(ExtensionPlan plan, TcpProxy.Builder tcp) {}

  /** Types this extension packs into {@code Any} (for JSON output). */
  default List<Descriptor> types() {
    return List.of();
  }
}
