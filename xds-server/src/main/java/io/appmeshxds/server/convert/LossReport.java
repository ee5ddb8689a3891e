package io.appmeshxds.server.convert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a conversion carried, per source object and field path: exactly, approximated (what
 * differs) or dropped (why).
 */
public final class LossReport {

  /** How a field was carried. */
  public enum Outcome {
    exact,
    approximated,
    dropped
  }

  /**
   * One line of the report.
   *
   * @param object the App Mesh object, {@code Kind namespace/name}
   * @param field the field path in that object
   * @param outcome exact, approximated or dropped
   * @param detail what it became, what differs, or why it was dropped
   */
  public record Entry(String object, String field, Outcome outcome, String detail) {
    /** {@code dropped VirtualRouter apps/r spec.routes[0]...: why}. */
    public String toLine() {
      return outcome + " " + object + " " + field + ": " + detail;
    }
  }

  private final java.util.LinkedHashSet<Entry> entries = new java.util.LinkedHashSet<>();

  void add(String object, String field, Outcome outcome, String detail) {
    entries.add(new Entry(object, field, outcome, detail));
  }

  void exact(String object, String field, String detail) {
    add(object, field, Outcome.exact, detail);
  }

  void approximated(String object, String field, String detail) {
    add(object, field, Outcome.approximated, detail);
  }

  void dropped(String object, String field, String detail) {
    add(object, field, Outcome.dropped, detail);
  }

  /** Entries sorted by object, then field (stable for equal keys). */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>(entries);
    out.sort(Comparator.comparing(Entry::object).thenComparing(Entry::field));
    return List.copyOf(out);
  }

  /** Whether anything was approximated or dropped. */
  public boolean lossy() {
    return entries.stream().anyMatch(e -> e.outcome() != Outcome.exact);
  }

  /** Count of entries per outcome. */
  public Map<Outcome, Long> counts() {
    Map<Outcome, Long> m = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      m.put(o, entries.stream().filter(e -> e.outcome() == o).count());
    }
    return m;
  }
}
