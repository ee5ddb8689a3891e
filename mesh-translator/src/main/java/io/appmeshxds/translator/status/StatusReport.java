package io.appmeshxds.translator.status;

import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.appmeshxds.translator.input.SortedMaps;
import org.pcollections.PSortedMap;

/**
 * Every object's status after a build, plus problems that belong to no object (unreadable
 * documents).
 */
public record StatusReport(Map<ObjectRef, ObjectStatus> objects, List<Problem> unattached) {

  public StatusReport {
    // Why: the model builder hands out a persistent sorted map, immutable already; copying it is O(n) per build.
    objects = objects instanceof PSortedMap ? objects : Collections.unmodifiableSortedMap(new TreeMap<>(objects));
    unattached = List.copyOf(unattached);
  }

  public static StatusReport empty() {
    return new StatusReport(Map.of(), List.of());
  }

  /** Every problem, attached or not, in object order. */
  public List<Problem> allProblems() {
    List<Problem> all = new ArrayList<>(unattached);
    objects.values().forEach(s -> all.addAll(s.problems()));
    return all;
  }

  public boolean hasErrors() {
    return allProblems().stream().anyMatch(Problem::isError);
  }

  /**
   * Reports each ref whose status differs between {@code before} and {@code after} (added, removed
   * or changed). Reports the builder made in sequence share structure, so this costs about what
   * changed, not the size of the mesh.
   */
  public static void changes(StatusReport before, StatusReport after, java.util.function.Consumer<ObjectRef> changed) {
    SortedMaps.diff(sorted(before.objects()), sorted(after.objects()), changed);
  }

  @SuppressWarnings("unchecked")
  private static java.util.SortedMap<ObjectRef, ObjectStatus> sorted(Map<ObjectRef, ObjectStatus> m) {
    return m instanceof java.util.SortedMap<?, ?> s ? (java.util.SortedMap<ObjectRef, ObjectStatus>) s : new TreeMap<>(m);
  }

  public ObjectStatus get(ObjectRef ref) {
    return objects.get(ref);
  }
}
