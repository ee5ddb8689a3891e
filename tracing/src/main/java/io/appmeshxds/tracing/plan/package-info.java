/**
 * Plan stage of proxy tracing: the {@link io.appmeshxds.tracing.plan.TracingPlan} record a
 * {@link io.appmeshxds.tracing.plan.TracingDecorator} adds to Envoy proxies' HTTP connection
 * managers, and the per-object annotation overrides. Pure; no Envoy protos here (those are built by
 * {@code io.appmeshxds.tracing.xds}).
 */
package io.appmeshxds.tracing.plan;
