package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code spec.virtualGatewayRef} of a GatewayRoute: written by App Mesh's webhook; read-only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualGatewayReference(String namespace, String name, String uid) {}
