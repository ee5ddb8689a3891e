package io.appmeshxds.translator.status;

import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import io.appmeshxds.translator.input.SortedMaps;
import org.pcollections.PSortedMap;

/**
 * Every object's status after a build, plus problems that belong to no object (unreadable
 * documents). Equal when both are equal; a report may also know which refs can differ from the
 * report before it ({@link #after}), so that {@link #changes} costs what a build touched.
 */
public final class StatusReport {
  private final Map<ObjectRef, ObjectStatus> objects;
  private final List<Problem> unattached;
  /**
   * This report's identity, for {@link #follows}. Why a token and not a global counter: the
   * translator keeps no state between calls; an object's identity is unique without one.
   */
  private final Object token = new Object();
  /**
   * The token of the report this one follows, or null when unknown. Why the token and not the
   * report: each report would hold its predecessor, and the chain every report since start.
   */
  private final Object previous;
  /** Refs whose status may differ from the previous report's; null when unknown. */
  private final Set<ObjectRef> touched;

  public StatusReport(Map<ObjectRef, ObjectStatus> objects, List<Problem> unattached) {
    this(objects, unattached, null, null);
  }

  private StatusReport(Map<ObjectRef, ObjectStatus> objects, List<Problem> unattached, StatusReport previous,
      Set<ObjectRef> touched) {
    // Why: the model builder hands out a persistent sorted map, immutable already; copying it is O(n) per build.
    this.objects = objects instanceof PSortedMap ? objects : Collections.unmodifiableSortedMap(new TreeMap<>(objects));
    this.unattached = List.copyOf(unattached);
    boolean known = previous != null && touched != null;
    this.previous = known ? previous.token : null;
    this.touched = known ? touched : null;
  }

  /**
   * A report whose objects equal {@code previous}'s except, possibly, at {@code touched} (null:
   * anywhere). Why: a build evaluates a few objects of tens of thousands, and every status sink
   * asks what changed after every build.
   */
  public static StatusReport after(StatusReport previous, Map<ObjectRef, ObjectStatus> objects, List<Problem> unattached,
      Set<ObjectRef> touched) {
    return new StatusReport(objects, unattached, previous, touched == null ? null : Set.copyOf(touched));
  }

  public Map<ObjectRef, ObjectStatus> objects() {
    return objects;
  }

  public List<Problem> unattached() {
    return unattached;
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
   * or changed). When {@code after} follows {@code before} directly ({@link #after}) only the refs
   * it touched are compared; else both are merged in ref order (reports the builder made in
   * sequence share structure, but the merge still walks every ref).
   */
  public static void changes(StatusReport before, StatusReport after, java.util.function.Consumer<ObjectRef> changed) {
    if (after.follows(before)) {
      for (ObjectRef ref : new TreeSet<>(after.touched)) {
        if (!Objects.equals(before.objects.get(ref), after.objects.get(ref))) {
          changed.accept(ref);
        }
      }
      return;
    }
    SortedMaps.diff(sorted(before.objects()), sorted(after.objects()), changed);
  }

  /** Whether this report directly follows {@code before} and knows which refs it touched. */
  public boolean follows(StatusReport before) {
    return touched != null && before.token == previous;
  }

  @SuppressWarnings("unchecked")
  private static java.util.SortedMap<ObjectRef, ObjectStatus> sorted(Map<ObjectRef, ObjectStatus> m) {
    return m instanceof java.util.SortedMap<?, ?> s ? (java.util.SortedMap<ObjectRef, ObjectStatus>) s : new TreeMap<>(m);
  }

  public ObjectStatus get(ObjectRef ref) {
    return objects.get(ref);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusReport r && r.objects.equals(objects) && r.unattached.equals(unattached);
  }

  @Override
  public int hashCode() {
    return objects.hashCode() * 31 + unattached.hashCode();
  }

  @Override
  public String toString() {
    return "StatusReport[objects=" + objects + ", unattached=" + unattached + "]";
  }
}
