/**
 * AWS Cloud Map, as App Mesh used it: a source ({@link io.appmeshxds.server.cloudmap.CloudMapDiscovery})
 * that asks DiscoverInstances for every question Cloud Map VirtualNodes ask and records the answers
 * in the store, where translation reads them as endpoints; and a status-like sink ({@link
 * io.appmeshxds.server.cloudmap.CloudMapRegistrar}) that, on the lease holder only, registers the
 * ready pods of those VirtualNodes as App Mesh's controller did. AWS is called only here (through
 * the SDK client {@link io.appmeshxds.server.aws.AwsClients} builds); {@code mesh-translator} never
 * calls it.
 */
package io.appmeshxds.server.cloudmap;
