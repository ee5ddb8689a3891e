/**
 * xDS stage of proxy tracing: {@link io.appmeshxds.tracing.xds.TracingFactory}, registered with the
 * translator, builds {@code HttpConnectionManager.tracing} from a tracing plan. The only Envoy protos
 * of this module are built here. Pure.
 */
package io.appmeshxds.tracing.xds;
