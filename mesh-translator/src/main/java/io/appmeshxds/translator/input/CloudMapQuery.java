package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.VirtualNode;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One question to AWS Cloud Map: the instances of {@code serviceName} in the namespace {@code
 * namespaceName} that carry every attribute in {@code attributes} (DiscoverInstances'
 * {@code QueryParameters}). Every VirtualNode with the same {@code serviceDiscovery.awsCloudMap}
 * asks the same question and shares one answer, whatever its mesh, listeners or IP preference
 * (the IP family is picked from each answer by the planner, per mesh).
 *
 * @param namespaceName Cloud Map namespace name
 * @param serviceName Cloud Map service name
 * @param attributes attribute filter, sorted by key
 */
public record CloudMapQuery(String namespaceName, String serviceName, SortedMap<String, String> attributes)
    implements Comparable<CloudMapQuery> {

  public CloudMapQuery {
    attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes == null ? Map.of() : attributes));
  }

  /**
   * The question a VirtualNode's {@code serviceDiscovery.awsCloudMap} asks, or null when it has
   * none (or the block is incomplete). A key listed twice keeps its last value (a map cannot say
   * both; the model warns about it).
   */
  public static CloudMapQuery of(VirtualNode vn) {
    var sd = vn == null || vn.spec() == null ? null : vn.spec().serviceDiscovery();
    VirtualNode.CloudMap cm = sd == null ? null : sd.awsCloudMap();
    if (cm == null || cm.namespaceName() == null || cm.serviceName() == null) {
      return null;
    }
    TreeMap<String, String> attrs = new TreeMap<>();
    for (VirtualNode.CloudMapAttribute a : cm.attributes()) {
      if (a != null && a.key() != null && a.value() != null) {
        attrs.put(a.key(), a.value());
      }
    }
    return new CloudMapQuery(cm.namespaceName(), cm.serviceName(), attrs);
  }

  /** {@code service.namespace}: the name Cloud Map gives the service, and what App Mesh matched TLS SANs against. */
  public String serviceFqdn() {
    return serviceName + "." + namespaceName;
  }

  @Override
  public int compareTo(CloudMapQuery o) {
    int c = namespaceName.compareTo(o.namespaceName);
    if (c == 0) {
      c = serviceName.compareTo(o.serviceName);
    }
    return c != 0 ? c : attributes.toString().compareTo(o.attributes.toString());
  }

  /** {@code namespace/service} with the attribute filter, for logs and status messages. */
  @Override
  public String toString() {
    return namespaceName + "/" + serviceName + (attributes.isEmpty() ? "" : attributes.toString());
  }
}
