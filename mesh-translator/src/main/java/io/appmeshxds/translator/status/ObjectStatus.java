package io.appmeshxds.translator.status;

import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;

/**
 * Status of one object after a build.
 *
 * @param object the object
 * @param observedGeneration {@code metadata.generation} of the spec that was judged
 * @param condition the Ready-type condition; null for BackendGroup (App Mesh gave it none)
 * @param problems every problem found (errors and warnings)
 * @param servedGeneration when the current spec is rejected but an earlier accepted one is still
 *     served (last-good), that earlier generation; else null
 * @param more further conditions (a Gateway API route's ResolvedRefs); empty for App Mesh objects
 */
public record ObjectStatus(
    ObjectRef object, long observedGeneration, Condition condition, List<Problem> problems, Long servedGeneration,
    List<Condition> more) {

  public ObjectStatus {
    problems = List.copyOf(problems);
    more = more == null ? List.of() : List.copyOf(more);
  }

  /** With no further conditions (App Mesh objects). */
  public ObjectStatus(ObjectRef object, long observedGeneration, Condition condition, List<Problem> problems,
      Long servedGeneration) {
    this(object, observedGeneration, condition, problems, servedGeneration, List.of());
  }

  public boolean accepted() {
    return problems.stream().noneMatch(Problem::isError);
  }
}
