package io.appmeshxds.translator.status;

import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pcollections.PSortedMap;

/**
 * Every object's status after a build, plus problems that belong to no object (unreadable
 * documents).
 */
public record StatusReport(Map<ObjectRef, ObjectStatus> objects, List<Problem> unattached) {

  public StatusReport {
    // Why: the model builder hands out a persistent sorted map, immutable already; copying it is O(n) per build.
    objects = objects instanceof PSortedMap ? objects : Collections.unmodifiableMap(new TreeMap<>(objects));
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

  public ObjectStatus get(ObjectRef ref) {
    return objects.get(ref);
  }
}
