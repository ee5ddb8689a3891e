package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code VirtualNodeStatus}: conditions, observed generation and the ARN the AWS controller wrote (left alone by us). */
public class VirtualNodeStatus extends AppMeshStatus {
  @JsonPropertyDescription("The AppMesh VirtualNode object's Amazon Resource Name.")
  public String virtualNodeARN;
}
