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
 * @param more further conditions (a Gateway API route's ResolvedRefs, a Gateway's Programmed); empty
 *     for App Mesh objects
 * @param listeners a Gateway's listeners (Gateway API's {@code status.listeners[]}); empty for
 *     every other kind
 * @param gatewayParents a Gateway API route's {@code spec.parentRefs} indexes that are Gateways of
 *     ours (their {@code status.parents[]} entries are the Gateway controller's, not the mesh's),
 *     ascending; empty for every other kind
 */
public record ObjectStatus(
    ObjectRef object, long observedGeneration, Condition condition, List<Problem> problems, Long servedGeneration,
    List<Condition> more, List<ListenerStatus> listeners, List<Integer> gatewayParents) {

  public ObjectStatus {
    problems = List.copyOf(problems);
    more = more == null ? List.of() : List.copyOf(more);
    listeners = listeners == null ? List.of() : List.copyOf(listeners);
    gatewayParents = gatewayParents == null ? List.of() : List.copyOf(gatewayParents);
  }

  /** Without Gateway API listeners or parents. */
  public ObjectStatus(ObjectRef object, long observedGeneration, Condition condition, List<Problem> problems,
      Long servedGeneration, List<Condition> more) {
    this(object, observedGeneration, condition, problems, servedGeneration, more, List.of(), List.of());
  }

  /** With no further conditions (App Mesh objects). */
  public ObjectStatus(ObjectRef object, long observedGeneration, Condition condition, List<Problem> problems,
      Long servedGeneration) {
    this(object, observedGeneration, condition, problems, servedGeneration, List.of());
  }

  /** This status with a Gateway's listeners. */
  public ObjectStatus withListeners(List<ListenerStatus> ls) {
    return new ObjectStatus(object, observedGeneration, condition, problems, servedGeneration, more, ls, gatewayParents);
  }

  /** This status with a route's parentRef indexes that are Gateways of ours. */
  public ObjectStatus withGatewayParents(List<Integer> indexes) {
    return new ObjectStatus(object, observedGeneration, condition, problems, servedGeneration, more, listeners, indexes);
  }

  public boolean accepted() {
    return problems.stream().noneMatch(Problem::isError);
  }
}
