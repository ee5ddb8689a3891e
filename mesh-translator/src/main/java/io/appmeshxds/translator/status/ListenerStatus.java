package io.appmeshxds.translator.status;

import java.util.List;

/**
 * One listener of a Gateway of ours, as Gateway API's {@code status.listeners[]} has it.
 *
 * @param name the listener's {@code name}
 * @param supportedKinds the route kinds served on it ({@code HTTPRoute}, or none when the listener
 *     is not served or its {@code allowedRoutes.kinds} names none we serve)
 * @param attachedRoutes routes whose parentRef selects this listener, which its {@code
 *     allowedRoutes} admits, and which are Accepted for that parent
 * @param conditions {@code Accepted}, {@code Programmed}, {@code ResolvedRefs}, {@code Conflicted}
 *     with Gateway API's reasons (a True condition's reason is {@code Accepted} or {@code
 *     Programmed}: the writer names it after the type)
 */
public record ListenerStatus(String name, List<String> supportedKinds, int attachedRoutes, List<Condition> conditions) {
  public ListenerStatus {
    supportedKinds = List.copyOf(supportedKinds);
    conditions = List.copyOf(conditions);
  }

  /** This listener with another route count. */
  public ListenerStatus withAttachedRoutes(int n) {
    return new ListenerStatus(name, supportedKinds, n, conditions);
  }
}
