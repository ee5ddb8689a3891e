/**
 * Envoy's proto rules: {@link io.appmeshxds.translator.xds.rules.ProtoRules} checks any protobuf
 * message against the protoc-gen-validate {@code validate.rules} options declared in Envoy's API
 * protos, the constraints Envoy itself applies before accepting a resource. One check kind per
 * rule family ({@code StringCheck}, {@code NumberCheck}, {@code BytesCheck}, {@code EnumCheck},
 * {@code TimeChecks}), planned once per message type ({@code MessagePlan}, {@code FieldPlan}) and
 * run by a {@code Walker} over one message tree; {@code TypeRegistry} resolves {@code Any} payloads.
 *
 * <p>Why a package apart from the factories: it is a general validator of Envoy's API, most of the
 * xDS stage's code, and changes for Envoy's rules, not for a feature we translate. It depends on
 * nothing of ours (ArchitectureTest); a check's result depends only on its arguments and the
 * registered payload types.
 */
package io.appmeshxds.translator.xds.rules;
