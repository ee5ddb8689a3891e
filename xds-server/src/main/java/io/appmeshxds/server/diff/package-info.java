/**
 * Read-only view: the semantic differences between a running Envoy's admin {@code /config_dump}
 * and what appmesh-xds would push to that node. Dumps are read generically (Jackson trees), then
 * normalized against Envoy's descriptors where the types are known, so an unknown {@code @type}
 * (App Mesh's own Envoy build) is reported, never fatal. Changes no state; no I/O beyond the
 * bytes it is given.
 */
package io.appmeshxds.server.diff;
