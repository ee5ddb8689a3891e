/**
 * Stage 4: plans become Envoy v3 resources. {@link io.appmeshxds.translator.xds.XdsTranslator} is the
 * only code that builds Envoy protos (one factory per Envoy type: {@code ListenerFactory},
 * {@code ClusterFactory}, {@code RouteFactory}, {@code EndpointFactory}, {@code TlsFactory},
 * {@code BootstrapFactory}; plug-ins add {@link io.appmeshxds.translator.xds.ExtensionFactory}s);
 * {@link io.appmeshxds.translator.xds.Names} is the only place that mints resource names;
 * {@link io.appmeshxds.translator.xds.XdsChecks} checks the result (consistency, and Envoy's own
 * rules through {@code xds.rules}).
 *
 * <p>Pure: equal plans give byte-identical resources (deterministic serialization, sorted output).
 * Reads plans (and input values they carry), never the model: it does not learn where a route came
 * from.
 */
package io.appmeshxds.translator.xds;
