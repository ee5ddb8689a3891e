/**
 * Sources of input objects: manifest files (watched) and Kubernetes (informers). Each writes its
 * objects into the {@link io.appmeshxds.server.reconcile.ResourceStore} and reports when it has
 * synced.
 */
package io.appmeshxds.server.source;
