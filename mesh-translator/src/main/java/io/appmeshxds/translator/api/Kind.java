package io.appmeshxds.translator.api;

/** The seven App Mesh kinds, with the names Kubernetes and App Mesh use for each. */
public enum Kind {
  Mesh("meshes", false, "MeshActive", "meshARN"),
  VirtualNode("virtualnodes", true, "VirtualNodeActive", "virtualNodeARN"),
  VirtualService("virtualservices", true, "VirtualServiceActive", "virtualServiceARN"),
  VirtualRouter("virtualrouters", true, "VirtualRouterActive", "virtualRouterARN"),
  VirtualGateway("virtualgateways", true, "VirtualGatewayActive", "virtualGatewayARN"),
  GatewayRoute("gatewayroutes", true, "GatewayRouteActive", "gatewayRouteARN"),
  BackendGroup("backendgroups", true, null, null);

  /** API group of every kind. */
  public static final String GROUP = "appmesh.k8s.aws";
  /** The only served version. */
  public static final String VERSION = "v1beta2";
  /** {@code appmesh.k8s.aws/v1beta2}. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  private final String plural;
  private final boolean namespaced;
  private final String conditionType;
  private final String arnField;

  Kind(String plural, boolean namespaced, String conditionType, String arnField) {
    this.plural = plural;
    this.namespaced = namespaced;
    this.conditionType = conditionType;
    this.arnField = arnField;
  }

  public String plural() {
    return plural;
  }

  public boolean namespaced() {
    return namespaced;
  }

  /** App Mesh's Ready-type condition ({@code VirtualNodeActive}, …); null for BackendGroup. */
  public String conditionType() {
    return conditionType;
  }

  /** Status field that held the AWS ARN ({@code virtualNodeARN}, …); null for BackendGroup. */
  public String arnField() {
    return arnField;
  }

  /** Kind by its Kubernetes name, or null. */
  public static Kind byName(String name) {
    for (Kind k : values()) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    return null;
  }
}
