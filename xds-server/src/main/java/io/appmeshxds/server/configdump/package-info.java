/**
 * Read-only view: a node's resources in the shape of Envoy's admin {@code /config_dump}
 * ({@code envoy.admin.v3.ConfigDump}, proto field names), with sensitive fields redacted as Envoy
 * redacts them. Depends on the translator's output types only; changes no state.
 */
package io.appmeshxds.server.configdump;
