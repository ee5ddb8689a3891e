/**
 * VirtualGateway and GatewayRoute translation, planning stage: the gateway's proxy plan
 * ({@link io.appmeshxds.gateway.plan.GatewayPlanner}) and the check that reports, per GatewayRoute, what
 * of it the gateway can serve ({@link io.appmeshxds.gateway.plan.GatewayComposabilityCheck}). Both use
 * one composition: a GatewayRoute and the routes of the virtual router behind its target become one
 * Envoy route per router route, evaluated in one hop (see docs/gateway.md).
 *
 * <p>Depends on mesh-translator's {@code api}, {@code input}, {@code model}, {@code re2} and
 * {@code plan} packages only; never on its {@code xds} stage, on Envoy protos (those are built in
 * {@code io.appmeshxds.gateway.xds}) or on the server. Pure: no I/O, no clock, no threads.
 */
package io.appmeshxds.gateway.plan;
