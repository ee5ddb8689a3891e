/**
 * The gateway module's entry point: {@link io.appmeshxds.gateway.GatewayModule} wires what the
 * module plugs into mesh-translator's pipeline, a planner and a check from {@code
 * io.appmeshxds.gateway.plan} and the factories of {@code io.appmeshxds.gateway.xds}.
 *
 * <p>Why the wiring has a package of its own: the planning stage must not depend on the xDS stage
 * (the factories depend on the plan records), so the one class that names both sits above them.
 * ArchitectureTest keeps {@code plan} free of {@code xds} and the module free of package cycles.
 */
package io.appmeshxds.gateway;
