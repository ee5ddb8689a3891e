package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;

/**
 * An accepted VirtualGateway and the GatewayRoutes associated with it (by awsName, sorted).
 *
 * @param ref the object
 * @param awsName App Mesh name
 * @param gateway the object
 * @param routes awsNames of its accepted gateway routes
 */
public record ResolvedGateway(ObjectRef ref, String awsName, VirtualGateway gateway, List<String> routes) {
  public ResolvedGateway {
    routes = List.copyOf(routes);
  }
}
