package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.input.ObjectRef;

/**
 * An accepted GatewayRoute.
 *
 * @param ref the object
 * @param awsName App Mesh name
 * @param route the object
 * @param gateway awsName of its VirtualGateway
 * @param targetService awsName of the target VirtualService
 * @param priority effective priority (1000 when unset)
 */
public record ResolvedGatewayRoute(
    ObjectRef ref, String awsName, GatewayRoute route, String gateway, String targetService, long priority) {}
