package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.input.Severity;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one object while rules run. */
final class Findings {
  private final ObjectRef ref;
  private final List<Problem> problems = new ArrayList<>();

  Findings(ObjectRef ref) {
    this.ref = ref;
  }

  ObjectRef ref() {
    return ref;
  }

  void error(String field, String message) {
    error(Reason.InvalidSpec, field, message);
  }

  void error(Reason reason, String field, String message) {
    problems.add(new Problem(Severity.ERROR, reason, ref, field, message, null));
  }

  void warn(String field, String message) {
    problems.add(new Problem(Severity.WARNING, Reason.Accepted, ref, field, message, null));
  }

  void addAll(List<Problem> ps) {
    problems.addAll(ps);
  }

  boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }

  List<Problem> list() {
    return List.copyOf(problems);
  }

  /**
   * Checks a union: exactly one of the named members is non-null. Reports "required" when none is
   * set and {@code required} is true.
   */
  boolean exactlyOne(String field, boolean required, Object... namesAndValues) {
    List<String> all = new ArrayList<>();
    List<String> set = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      Object value = namesAndValues[i + 1];
      all.add(name);
      if (value != null && !(value instanceof List<?> l && l.isEmpty())) {
        set.add(name);
      }
    }
    if (set.size() == 1) {
      return true;
    }
    if (set.isEmpty() && !required) {
      return true;
    }
    error(
        field,
        "exactly one of " + String.join(", ", all) + " must be set (found "
            + (set.isEmpty() ? "none" : String.join(", ", set)) + ")");
    return false;
  }
}
