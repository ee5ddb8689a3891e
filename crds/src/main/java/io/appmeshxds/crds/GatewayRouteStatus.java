package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code GatewayRouteStatus}: conditions, observed generation and the ARN the AWS controller wrote (left alone by us). */
public class GatewayRouteStatus extends AppMeshStatus {
  @JsonPropertyDescription("The AppMesh GatewayRoute object's Amazon Resource Name.")
  public String gatewayRouteARN;
}
