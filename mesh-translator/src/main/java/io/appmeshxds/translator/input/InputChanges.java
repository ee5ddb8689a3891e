package io.appmeshxds.translator.input;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What differs between two input snapshots: refs of App Mesh objects, Services, EndpointSlices
 * and fetched ACM material ({@link AcmMaterial#certificateRef}) that were added, removed or changed
 * (including where they came from), Namespaces by name, and DNS host names and Cloud Map questions
 * whose answers changed. {@link #all()} means "treat everything as changed".
 *
 * @param all everything changed (first build, or the caller does not know)
 * @param refs changed objects, Services and EndpointSlices
 * @param namespaces changed Namespaces
 * @param dnsHosts host names whose resolved addresses changed
 * @param cloudMapQueries Cloud Map questions whose answers changed
 */
public record InputChanges(boolean all, Set<ObjectRef> refs, Set<String> namespaces, Set<String> dnsHosts,
    Set<CloudMapQuery> cloudMapQueries) {

  public InputChanges {
    refs = Set.copyOf(refs);
    namespaces = Set.copyOf(namespaces);
    dnsHosts = Set.copyOf(dnsHosts);
    cloudMapQueries = cloudMapQueries == null ? Set.of() : Set.copyOf(cloudMapQueries);
  }

  /** No Cloud Map answer changed. */
  public InputChanges(boolean all, Set<ObjectRef> refs, Set<String> namespaces, Set<String> dnsHosts) {
    this(all, refs, namespaces, dnsHosts, Set.of());
  }

  public static InputChanges everything() {
    return new InputChanges(true, Set.of(), Set.of(), Set.of());
  }

  public boolean isEmpty() {
    return !all && refs.isEmpty() && namespaces.isEmpty() && dnsHosts.isEmpty() && cloudMapQueries.isEmpty();
  }

  /**
   * The changes from {@code before} to {@code after}. Maps that are the same instance are skipped
   * and values that are the same instance are not compared, so snapshots that share structure (as
   * the store's do) diff in time proportional to what changed in the maps that changed.
   */
  public static InputChanges between(MeshResources before, MeshResources after) {
    if (before == null) {
      return everything();
    }
    Set<ObjectRef> refs = new HashSet<>();
    SortedMaps.diff(before.objects(), after.objects(), refs::add);
    SortedMaps.diff(before.services(), after.services(), refs::add);
    SortedMaps.diff(before.endpointSlices(), after.endpointSlices(), refs::add);
    SortedMaps.diff(before.gatewayApi(), after.gatewayApi(), refs::add);
    AcmMaterial.Fetched.diff(before.acm(), after.acm(), refs::add);
    if (before.sources() != after.sources()) {
      Set<ObjectRef> keys = new HashSet<>(before.sources().keySet());
      keys.addAll(after.sources().keySet());
      for (ObjectRef r : keys) {
        if (!Objects.equals(before.sources().get(r), after.sources().get(r))) {
          refs.add(r);
        }
      }
    }
    Set<String> namespaces = new HashSet<>();
    SortedMaps.diff(before.namespaces(), after.namespaces(), namespaces::add);
    Set<String> hosts = new HashSet<>();
    if (before.dnsAnswers() != after.dnsAnswers()) {
      Set<String> keys = new HashSet<>(before.dnsAnswers().keySet());
      keys.addAll(after.dnsAnswers().keySet());
      for (String h : keys) {
        if (!Objects.equals(before.dnsAnswers().get(h), after.dnsAnswers().get(h))) {
          hosts.add(h);
        }
      }
    }
    Set<CloudMapQuery> queries = new HashSet<>();
    if (before.cloudMap() != after.cloudMap()) {
      Set<CloudMapQuery> keys = new HashSet<>(before.cloudMap().keySet());
      keys.addAll(after.cloudMap().keySet());
      for (CloudMapQuery q : keys) {
        if (!Objects.equals(before.cloudMap().get(q), after.cloudMap().get(q))) {
          queries.add(q);
        }
      }
    }
    return new InputChanges(false, refs, namespaces, hosts, queries);
  }

}
