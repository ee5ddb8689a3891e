package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.StatusReport;
import java.util.Map;
import org.pcollections.PMap;

/**
 * The output of one build.
 *
 * @param model the resolved graph of what is served
 * @param status every object's condition and problems
 * @param accepted the object versions actually served (pass them as {@code lastGood} to the next
 *     build so a bad edit keeps the previous version served)
 * @param changes what changed since the previous build of the same builder ({@code all} for a
 *     build from scratch)
 */
public record BuildResult(MeshModel model, StatusReport status, Map<ObjectRef, MeshObject> accepted, ModelChanges changes) {
  public BuildResult {
    // Why: the builder hands out persistent maps, immutable already; copying them is O(n) per build.
    accepted = accepted instanceof PMap ? accepted : Map.copyOf(accepted);
  }

  public BuildResult(MeshModel model, StatusReport status, Map<ObjectRef, MeshObject> accepted) {
    this(model, status, accepted, ModelChanges.everything());
  }
}
