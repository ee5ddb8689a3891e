/**
 * Stage 4: plans become Envoy v3 resources. {@link io.appmeshxds.translator.xds.XdsTranslator} is the
 * only code that builds Envoy protos (one factory per Envoy type); {@link io.appmeshxds.translator.xds.Names}
 * is the only place that mints resource names. {@link io.appmeshxds.translator.xds.ProtoRules}
 * enforces the protoc-gen-validate {@code validate.rules} options declared in Envoy's API protos —
 * the constraints Envoy itself applies before accepting a resource.
 *
 * <p>Pure: equal plans give byte-identical resources (deterministic serialization, sorted output).
 */
package io.appmeshxds.translator.xds;
