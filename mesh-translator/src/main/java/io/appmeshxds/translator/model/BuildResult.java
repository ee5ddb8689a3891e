package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.StatusReport;
import java.util.Map;

/**
 * The output of one build.
 *
 * @param model the resolved graph of what is served
 * @param status every object's condition and problems
 * @param accepted the object versions actually served (pass them as {@code lastGood} to the next
 *     build so a bad edit keeps the previous version served)
 */
public record BuildResult(MeshModel model, StatusReport status, Map<ObjectRef, MeshObject> accepted) {
  public BuildResult {
    accepted = Map.copyOf(accepted);
  }
}
