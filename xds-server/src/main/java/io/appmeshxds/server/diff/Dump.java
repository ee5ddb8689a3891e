package io.appmeshxds.server.diff;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The xDS resources of one side of a diff, by kind and name, as read (not yet normalized), and
 * the node the dump's bootstrap names.
 *
 * @param nodeId the bootstrap's {@code node.id}, or null
 * @param nodeCluster the bootstrap's {@code node.cluster}, or null
 * @param resources resources by kind, then name
 * @param notes things read but deliberately left out (e.g. a {@code configs} entry of an unknown type)
 */
public record Dump(String nodeId, String nodeCluster, Map<ResourceKind, Map<String, JsonNode>> resources, List<String> notes) {
  public Dump {
    Map<ResourceKind, Map<String, JsonNode>> copy = new EnumMap<>(ResourceKind.class);
    for (ResourceKind k : ResourceKind.values()) {
      copy.put(k, Map.copyOf(resources.getOrDefault(k, Map.of())));
    }
    resources = java.util.Collections.unmodifiableMap(copy);
    notes = List.copyOf(notes);
  }

  /** Resources of one kind by name. */
  public Map<String, JsonNode> of(ResourceKind kind) {
    return resources.get(kind);
  }
}
