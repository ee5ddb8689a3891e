/**
 * The Kubernetes source ({@code serve --kubernetes}): fabric8 informers for the seven App Mesh
 * kinds, Namespaces, Services and {@code discovery.k8s.io/v1} EndpointSlices, converted at the
 * boundary into the translator's records and written into the
 * {@link io.appmeshxds.server.reconcile.ResourceStore}. Nothing of fabric8 crosses that boundary.
 */
package io.appmeshxds.server.source.kubernetes;
