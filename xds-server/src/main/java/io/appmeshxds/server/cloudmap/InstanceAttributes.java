package io.appmeshxds.server.cloudmap;

import io.appmeshxds.translator.api.VirtualNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Cloud Map attributes of a pod's instance, with the keys App Mesh's controller wrote
 * ({@code pkg/cloudmap/instances_reconciler.go}), so clients outside the cluster and other
 * clusters keep finding the same instances: every pod label, then the VirtualNode's {@code
 * awsCloudMap.attributes}, then {@code AWS_INSTANCE_IPV4} (or {@code AWS_INSTANCE_IPV6} for an
 * IPv6 pod IP), {@code AWS_INSTANCE_PORT} (the first listener's port), {@code k8s.io/pod}, {@code
 * k8s.io/namespace}, {@code appmesh.k8s.aws/mesh} and {@code appmesh.k8s.aws/virtualNode} (App
 * Mesh names), {@code REGION} and {@code AVAILABILITY_ZONE} (from the pod's node, when known). Later
 * keys win, as in the controller. The instance id is the pod IP.
 */
final class InstanceAttributes {
  private InstanceAttributes() {}

  static final String IPV4 = "AWS_INSTANCE_IPV4";
  static final String IPV6 = "AWS_INSTANCE_IPV6";
  static final String PORT = "AWS_INSTANCE_PORT";
  static final String POD = "k8s.io/pod";
  static final String NAMESPACE = "k8s.io/namespace";
  static final String MESH = "appmesh.k8s.aws/mesh";
  static final String VIRTUAL_NODE = "appmesh.k8s.aws/virtualNode";
  static final String REGION = "REGION";
  static final String ZONE = "AVAILABILITY_ZONE";
  /** Set on registration only (the controller's): the health a custom-health-check service starts an instance with. */
  static final String INIT_HEALTH = "AWS_INIT_HEALTH_STATUS";

  static Map<String, String> of(PodWatch.PodInfo pod, VirtualNode vn, String mesh, String node, PodWatch.NodeAttrs where) {
    Map<String, String> a = new TreeMap<>(pod.labels());
    var cm = vn.spec().serviceDiscovery().awsCloudMap();
    for (VirtualNode.CloudMapAttribute attr : cm.attributes()) {
      if (attr != null && attr.key() != null && attr.value() != null) {
        a.put(attr.key(), attr.value());
      }
    }
    a.put(pod.ip().contains(":") ? IPV6 : IPV4, pod.ip());
    if (!vn.spec().listeners().isEmpty() && vn.spec().listeners().get(0).portMapping() != null
        && vn.spec().listeners().get(0).portMapping().port() != null) {
      a.put(PORT, String.valueOf(vn.spec().listeners().get(0).portMapping().port()));
    }
    a.put(POD, pod.name());
    a.put(NAMESPACE, pod.namespace());
    a.put(MESH, mesh);
    a.put(VIRTUAL_NODE, node);
    if (where != null && where.region() != null) {
      a.put(REGION, where.region());
    }
    if (where != null && where.zone() != null) {
      a.put(ZONE, where.zone());
    }
    return a;
  }

  /** Whether an instance belongs to a VirtualNode's subset of its service (the controller's test). */
  static boolean inSubset(Map<String, String> attrs, String mesh, String node) {
    return mesh.equals(attrs.get(MESH)) && node.equals(attrs.get(VIRTUAL_NODE));
  }

  /** Equal but for {@link #INIT_HEALTH}, which only registration sets. */
  static boolean same(Map<String, String> want, Map<String, String> have) {
    Map<String, String> a = new TreeMap<>(want);
    Map<String, String> b = new TreeMap<>(have);
    a.remove(INIT_HEALTH);
    b.remove(INIT_HEALTH);
    return a.equals(b);
  }
}
