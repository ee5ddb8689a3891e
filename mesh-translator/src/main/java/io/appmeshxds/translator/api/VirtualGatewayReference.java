package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/**
 * {@code spec.virtualGatewayRef} of a GatewayRoute: written by App Mesh's webhook; read-only. Name
 * and uid are required when it is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualGatewayReference(String namespace, @Required String name, @Required String uid) {}
