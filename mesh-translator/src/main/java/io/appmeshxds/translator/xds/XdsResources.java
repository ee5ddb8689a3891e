package io.appmeshxds.translator.xds;

import com.google.protobuf.Message;
import io.appmeshxds.translator.plan.NodeKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Envoy resources of one proxy, per type, sorted by name, each with a content hash; the version
 * of a type is the hash of its resources' hashes in name order. Equal plans give equal versions in every process,
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
    this(key, byType, null);
  }

  /**
   * As {@link #XdsResources(NodeKey, Map)}, taking each type's list and version from {@code
   * previous} (the same key's last set, or null) when the type holds the very same resource
   * instances. Why: a change usually replaces one type of a proxy's resources (a route
   * configuration); the translator hands back cached instances for the rest, and hashing their
   * hashes again per proxy was a tenth of re-translating it.
   */
  public XdsResources(NodeKey key, Map<Type, List<Resource>> byType, XdsResources previous) {
    this.key = key;
    for (Type t : Type.values()) {
      List<Resource> kept = previous == null ? null : previous.get(t);
      List<Resource> given = byType.getOrDefault(t, List.of());
      // The previous set's own list (the translator kept the type) is sorted already.
      List<Resource> list = given == kept ? given : new ArrayList<>(given);
      if (list != kept) {
        list.sort(BY_NAME);
      }
      if (kept != null && sameInstances(list, kept)) {
        resources.put(t, kept);
        versions.put(t, previous.versions.get(t));
        continue;
      }
      resources.put(t, Collections.unmodifiableList(list));
      // Each resource's hash covers its name (every type carries it in its content), so the
      // hashes in name order identify the set.
      StringBuilder sb = new StringBuilder(list.size() * 17);
      for (Resource r : list) {
        sb.append(r.hash()).append('\n');
      }
      versions.put(t, hash(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }
  }

  public NodeKey key() {
    return key;
  }

  /** Whether two lists hold the very same objects in the same order. */
  static boolean sameInstances(List<?> a, List<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
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

  private static final java.util.Comparator<Resource> BY_NAME = java.util.Comparator.comparing(Resource::name);
  private static final HexFormat HEX = HexFormat.of();
  /**
   * Why a prototype that each hash clones: looking the algorithm up costs more than hashing a small
   * resource, and a clone is a fresh digest, so no state is shared between calls or threads (the
   * prototype itself is never updated).
   */
  private static final MessageDigest SHA256;

  static {
    try {
      SHA256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** First 8 bytes of the SHA-256 of {@code data}, in hex. */
  static String hash(byte[] data) {
    MessageDigest md;
    try {
      md = (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException unreachable) {
        throw new IllegalStateException(unreachable);
      }
    }
    return HEX.formatHex(md.digest(data), 0, 8);
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
