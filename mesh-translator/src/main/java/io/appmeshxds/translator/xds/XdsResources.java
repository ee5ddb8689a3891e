package io.appmeshxds.translator.xds;

import com.google.protobuf.Message;
import io.appmeshxds.translator.plan.NodeKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Envoy resources of one proxy, per type, sorted by name, each with a content hash; the version
 * of a type is the hash of its names and hashes. Equal plans give equal versions in every process,
 * so replicas are interchangeable and a restart re-sends nothing a proxy already holds.
 */
public final class XdsResources {

  /** xDS resource types. */
  public enum Type {
    LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", "listeners"),
    ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "routes"),
    CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", "clusters"),
    ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "endpoints"),
    SECRET("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "secrets");

    private final String typeUrl;
    private final String key;

    Type(String typeUrl, String key) {
      this.typeUrl = typeUrl;
      this.key = key;
    }

    public String typeUrl() {
      return typeUrl;
    }

    /** Key in {@code render}'s JSON object. */
    public String key() {
      return key;
    }
  }

  /** One resource: name, proto, hash of its deterministic bytes. */
  public record Resource(String name, Message proto, String hash) {
    public static Resource of(String name, Message proto) {
      return new Resource(name, proto, XdsResources.hash(Protos.bytes(proto)));
    }
  }

  private final NodeKey key;
  private final Map<Type, List<Resource>> resources = new EnumMap<>(Type.class);
  private final Map<Type, String> versions = new EnumMap<>(Type.class);

  public XdsResources(NodeKey key, Map<Type, List<Resource>> byType) {
    this.key = key;
    for (Type t : Type.values()) {
      List<Resource> list = byType.getOrDefault(t, List.of()).stream()
          .sorted(java.util.Comparator.comparing(Resource::name)).toList();
      resources.put(t, list);
      StringBuilder sb = new StringBuilder();
      list.forEach(r -> sb.append(r.name()).append('\u0000').append(r.hash()).append('\n'));
      versions.put(t, hash(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }
  }

  public NodeKey key() {
    return key;
  }

  public List<Resource> get(Type t) {
    return resources.get(t);
  }

  /** Content version of a type. */
  public String version(Type t) {
    return versions.get(t);
  }

  /** Protos of a type, sorted by name. */
  @SuppressWarnings("unchecked")
  public <T extends Message> List<T> protos(Type t) {
    return (List<T>) resources.get(t).stream().map(Resource::proto).toList();
  }

  /** Total resource count. */
  public int size() {
    return resources.values().stream().mapToInt(List::size).sum();
  }

  static String hash(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XdsResources x && x.key.equals(key) && x.versions.equals(versions);
  }

  @Override
  public int hashCode() {
    return versions.hashCode();
  }
}
