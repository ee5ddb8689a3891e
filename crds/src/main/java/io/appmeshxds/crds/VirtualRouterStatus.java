package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code VirtualRouterStatus}: conditions, observed generation and the ARN the AWS controller wrote (left alone by us). */
public class VirtualRouterStatus extends AppMeshStatus {
  @JsonPropertyDescription("The AppMesh VirtualRouter object's Amazon Resource Name.")
  public String virtualRouterARN;

  @JsonPropertyDescription("RouteARNs is a map of AppMesh Route objects' Amazon Resource Names, indexed by route name.")
  public java.util.Map<String, String> routeARNs;
}
