package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code VirtualGatewayStatus}: conditions, observed generation and the ARN the AWS controller wrote (left alone by us). */
public class VirtualGatewayStatus extends AppMeshStatus {
  @JsonPropertyDescription("The AppMesh VirtualGateway object's Amazon Resource Name.")
  public String virtualGatewayARN;
}
