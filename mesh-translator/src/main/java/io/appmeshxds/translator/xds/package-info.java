/**
 * Envoy-side checks on the xDS resources we build. {@link io.appmeshxds.translator.xds.ProtoRules}
 * enforces the protoc-gen-validate {@code validate.rules} options declared in Envoy's API protos —
 * the constraints Envoy itself applies before accepting a resource — on any protobuf message, by
 * descriptor and reflection, unpacking {@code Any} payloads on the way.
 */
package io.appmeshxds.translator.xds;
