package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code MeshStatus}: conditions, observed generation and the ARN the AWS controller wrote (left alone by us). */
public class MeshStatus extends AppMeshStatus {
  @JsonPropertyDescription("The AppMesh Mesh object's Amazon Resource Name.")
  public String meshARN;
}
