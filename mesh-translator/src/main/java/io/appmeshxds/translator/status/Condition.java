package io.appmeshxds.translator.status;

import io.appmeshxds.translator.input.Reason;

/**
 * An App Mesh style condition. {@code lastTransitionTime} is not here: it is the status writer's
 * job to keep it unless {@code status} changes (translation is pure and has no clock).
 *
 * @param type App Mesh's type, e.g. {@code VirtualNodeActive}
 * @param status "True" or "False"
 * @param reason our reason
 * @param message problems joined, or a short acceptance note
 */
public record Condition(String type, String status, Reason reason, String message) {

  public boolean isTrue() {
    return "True".equals(status);
  }
}
