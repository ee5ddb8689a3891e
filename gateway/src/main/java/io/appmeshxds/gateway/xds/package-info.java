/**
 * VirtualGateway translation, xDS stage: the factories that build the Envoy protos of the plan
 * parts the gateway contributes (registered with mesh-translator's {@code XdsTranslator}). The only
 * package of this module that imports Envoy protos; depends on {@code io.appmeshxds.gateway.plan}
 * records and mesh-translator's {@code xds} and {@code plan} packages.
 */
package io.appmeshxds.gateway.xds;
