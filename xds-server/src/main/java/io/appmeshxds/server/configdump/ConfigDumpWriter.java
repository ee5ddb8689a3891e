package io.appmeshxds.server.configdump;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's resources as Envoy's admin {@code /config_dump?include_eds} would print them once it
 * had accepted them: one {@code configs[]} entry per resource type in Envoy's order (clusters,
 * endpoints, listeners, routes, secrets), every resource a {@code dynamic_*} entry carrying our
 * version of its type, sensitive fields redacted, proto field names. No bootstrap entry (the
 * bootstrap is not pushed over xDS) and no {@code last_updated}: translation has no clock, and the
 * same resources always print the same bytes.
 */
public final class ConfigDumpWriter {
  private ConfigDumpWriter() {}

  /** A dump and the types its printer needs. */
  record Built(ConfigDump dump, JsonFormat.TypeRegistry registry) {}

  /**
   * {@code r} with every sensitive field (a secret's private key and password, …) redacted as
   * Envoy's admin handler does: what {@code render} and the admin {@code /config_dump} print as
   * JSON. Versions and hashes are kept.
   */
  public static XdsResources redacted(XdsResources r) {
    Redaction redaction = new Redaction();
    java.util.Map<XdsResources.Type, List<XdsResources.Resource>> out = new java.util.EnumMap<>(XdsResources.Type.class);
    for (XdsResources.Type t : XdsResources.Type.values()) {
      List<XdsResources.Resource> list = new ArrayList<>();
      for (XdsResources.Resource x : r.get(t)) {
        Message m = redaction.redact(x.proto());
        list.add(m == x.proto() ? x : new XdsResources.Resource(x.name(), m, x.hash()));
      }
      out.put(t, list);
    }
    return new XdsResources(r.key(), out);
  }

  /** The dump as a proto. */
  public static ConfigDump dump(XdsResources resources) {
    return build(resources).dump();
  }

  /** The dump as Envoy prints it: proto3 JSON with the proto field names, {@code Any} carrying {@code @type}. */
  public static String json(XdsResources resources) {
    Built b = build(resources);
    try {
      return JsonFormat.printer().usingTypeRegistry(b.registry()).preservingProtoFieldNames().sortingMapKeys()
          .print(b.dump());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print the config dump", e);
    }
  }

  static Built build(XdsResources r) {
    Redaction redaction = new Redaction();

    ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder()
        .setVersionInfo(r.version(XdsResources.Type.CLUSTER));
    for (Message m : redacted(r, XdsResources.Type.CLUSTER, redaction)) {
      clusters.addDynamicActiveClusters(ClustersConfigDump.DynamicCluster.newBuilder()
          .setVersionInfo(r.version(XdsResources.Type.CLUSTER)).setCluster(Any.pack(m)));
    }
    EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
    for (Message m : redacted(r, XdsResources.Type.ENDPOINT, redaction)) {
      endpoints.addDynamicEndpointConfigs(EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
          .setVersionInfo(r.version(XdsResources.Type.ENDPOINT)).setEndpointConfig(Any.pack(m)));
    }
    ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder()
        .setVersionInfo(r.version(XdsResources.Type.LISTENER));
    List<XdsResources.Resource> ls = r.get(XdsResources.Type.LISTENER);
    List<Message> lm = redacted(r, XdsResources.Type.LISTENER, redaction);
    for (int i = 0; i < ls.size(); i++) {
      listeners.addDynamicListeners(ListenersConfigDump.DynamicListener.newBuilder()
          .setName(ls.get(i).name())
          .setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder()
              .setVersionInfo(r.version(XdsResources.Type.LISTENER)).setListener(Any.pack(lm.get(i)))));
    }
    RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
    for (Message m : redacted(r, XdsResources.Type.ROUTE, redaction)) {
      routes.addDynamicRouteConfigs(RoutesConfigDump.DynamicRouteConfig.newBuilder()
          .setVersionInfo(r.version(XdsResources.Type.ROUTE)).setRouteConfig(Any.pack(m)));
    }
    SecretsConfigDump.Builder secrets = SecretsConfigDump.newBuilder();
    List<XdsResources.Resource> ss = r.get(XdsResources.Type.SECRET);
    List<Message> sm = redacted(r, XdsResources.Type.SECRET, redaction);
    for (int i = 0; i < ss.size(); i++) {
      secrets.addDynamicActiveSecrets(SecretsConfigDump.DynamicSecret.newBuilder()
          .setName(ss.get(i).name()).setVersionInfo(r.version(XdsResources.Type.SECRET)).setSecret(Any.pack(sm.get(i))));
    }

    ConfigDump dump = ConfigDump.newBuilder()
        .addConfigs(Any.pack(clusters.build()))
        .addConfigs(Any.pack(endpoints.build()))
        .addConfigs(Any.pack(listeners.build()))
        .addConfigs(Any.pack(routes.build()))
        .addConfigs(Any.pack(secrets.build()))
        .build();
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder()
        .add(ConfigDump.getDescriptor())
        .add(ClustersConfigDump.getDescriptor())
        .add(EndpointsConfigDump.getDescriptor());
    for (XdsResources.Type t : XdsResources.Type.values()) {
      types.add(EnvoyTypes.find(t.typeUrl()));
    }
    types.add(redaction.anyTypes());
    return new Built(dump, types.build());
  }

  private static List<Message> redacted(XdsResources r, XdsResources.Type t, Redaction redaction) {
    List<Message> out = new ArrayList<>();
    for (XdsResources.Resource res : r.get(t)) {
      out.add(redaction.redact(res.proto()));
    }
    return out;
  }
}
