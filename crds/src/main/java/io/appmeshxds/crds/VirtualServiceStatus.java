package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code VirtualServiceStatus}: conditions, observed generation and the ARN the AWS controller wrote (left alone by us). */
public class VirtualServiceStatus extends AppMeshStatus {
  @JsonPropertyDescription("The AppMesh VirtualService object's Amazon Resource Name.")
  public String virtualServiceARN;
}
