/**
 * Cluster mode's status writer: App Mesh conditions and {@code observedGeneration} written through
 * the status subresource by the elected leader only, asynchronously, coalesced per object and
 * diffed before writing. Depends on fabric8's client; nothing in translation does.
 */
package io.appmeshxds.server.status.kubernetes;
