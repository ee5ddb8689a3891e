package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What every App Mesh kind but BackendGroup keeps in {@code status}: conditions and the observed generation. */
public class AppMeshStatus {
  @JsonPropertyDescription("The current status.")
  public List<AppMeshCondition> conditions;

  @JsonPropertyDescription("The generation observed by the controller.")
  public Long observedGeneration;
}
