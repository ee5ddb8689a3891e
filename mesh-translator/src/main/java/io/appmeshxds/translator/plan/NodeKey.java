package io.appmeshxds.translator.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which configuration a proxy receives: the snapshot key of a node.
 *
 * @param kind sidecar, gateway or proxyless
 * @param mesh the mesh's App Mesh name
 * @param name the VirtualNode's or VirtualGateway's App Mesh name
 * @param dialect ENVOY for sidecars and gateways; GRPC or GRPC_LEGACY for proxyless clients
 */
public record NodeKey(Kind kind, String mesh, String name, Dialect dialect) implements Comparable<NodeKey> {

  /** Proxy kinds. */
  public enum Kind {
    SIDECAR,
    GATEWAY,
    PROXYLESS
  }

  private static final Pattern ID =
      Pattern.compile("^(?:arn:[^:]+:appmesh:[^:]*:[^:]*:)?mesh/([^/]+)/(virtualNode|virtualGateway)/([^/]+)$");

  public static NodeKey sidecar(String mesh, String node) {
    return new NodeKey(Kind.SIDECAR, mesh, node, Dialect.ENVOY);
  }

  public static NodeKey gateway(String mesh, String gateway) {
    return new NodeKey(Kind.GATEWAY, mesh, gateway, Dialect.ENVOY);
  }

  public static NodeKey proxyless(String mesh, String node, Dialect dialect) {
    return new NodeKey(Kind.PROXYLESS, mesh, node, dialect);
  }

  /**
   * Parses a node identity: {@code node.id}, or {@code node.cluster} when the id is not in App
   * Mesh's form; {@code mesh/<mesh>/virtualNode|virtualGateway/<name>}, optionally as a full ARN.
   * The mesh's {@code @<owner>} suffix (shared meshes) is dropped. Returns null when neither field
   * is in that form.
   */
  public static NodeKey parse(String id, String cluster, String userAgentName, String userAgentVersion) {
    Matcher m = match(id);
    if (m == null) {
      m = match(cluster);
    }
    if (m == null) {
      return null;
    }
    String mesh = m.group(1);
    int at = mesh.indexOf('@');
    if (at >= 0) {
      mesh = mesh.substring(0, at);
    }
    boolean gateway = m.group(2).equals("virtualGateway");
    Dialect d = Dialect.of(userAgentName, userAgentVersion);
    if (gateway) {
      return d.proxyless() ? null : gateway(mesh, m.group(3));
    }
    return d.proxyless() ? proxyless(mesh, m.group(3), d) : sidecar(mesh, m.group(3));
  }

  private static Matcher match(String s) {
    if (s == null) {
      return null;
    }
    Matcher m = ID.matcher(s);
    return m.matches() ? m : null;
  }

  /** The App Mesh node id of this key, {@code mesh/<mesh>/virtualNode/<name>}. */
  public String nodeId() {
    return "mesh/" + mesh + "/" + (kind == Kind.GATEWAY ? "virtualGateway" : "virtualNode") + "/" + name;
  }

  /** Orders by the text form (cheap: {@link #toString()} is a plain concatenation). */
  @Override
  public int compareTo(NodeKey o) {
    return toString().compareTo(o.toString());
  }

  /** Stable text form, also the snapshot cache key: {@code sidecar|mesh|name}, … */
  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + "|" + mesh + "|" + name
        + (kind == Kind.PROXYLESS ? "|" + dialect.name().toLowerCase(java.util.Locale.ROOT) : "");
  }
}
