package io.appmeshxds.tracing.logs;

import com.google.protobuf.Value;
import io.appmeshxds.translator.plan.NodeKey;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Who sent an access-log stream, from its first message's {@code identifier}.
 *
 * @param mesh the mesh's App Mesh name ({@code unknown} when the node id is not App Mesh's form)
 * @param name the VirtualNode's or VirtualGateway's App Mesh name (else the {@code log_name})
 * @param gateway whether it is a VirtualGateway
 * @param instance which proxy instance: the pod name from node metadata ({@code POD_NAME},
 *     {@code pod_name} or Istio-style {@code NAME}), else the peer's IP address (a pod IP in
 *     Kubernetes), else a per-exporter stream number
 */
public record ProxyIdentity(String mesh, String name, boolean gateway, String instance) {

  static final String[] POD_KEYS = {"POD_NAME", "pod_name", "NAME"};

  public static ProxyIdentity of(Node node, String logName, String peerIp, long streamNumber) {
    NodeKey k = NodeKey.parse(node.getId(), node.getCluster(), "envoy", "");
    String mesh = k == null ? "unknown" : k.mesh();
    String name = k == null ? (logName.isEmpty() ? nonEmpty(node.getId(), "unknown") : logName) : k.name();
    String instance = null;
    for (String key : POD_KEYS) {
      Value v = node.getMetadata().getFieldsMap().get(key);
      if (v != null && v.hasStringValue() && !v.getStringValue().isEmpty()) {
        instance = v.getStringValue();
        break;
      }
    }
    if (instance == null && peerIp != null && !peerIp.isEmpty()) {
      instance = peerIp;
    }
    if (instance == null) {
      instance = "stream-" + streamNumber;
    }
    return new ProxyIdentity(mesh, name, k != null && k.kind() == NodeKey.Kind.GATEWAY, instance);
  }

  private static String nonEmpty(String s, String dflt) {
    return s == null || s.isEmpty() ? dflt : s;
  }

  /**
   * The log group ({@code pattern} with {@code {mesh}} and {@code {virtualNode}}) and the stream
   * {@code <name>/<instance>}, both made acceptable to CloudWatch.
   */
  public LogTarget target(String groupPattern) {
    String g = groupPattern.replace("{mesh}", mesh).replace("{virtualNode}", name);
    return new LogTarget(LogTarget.sanitizeGroup(g), LogTarget.sanitizeStream(name + "/" + instance));
  }
}
