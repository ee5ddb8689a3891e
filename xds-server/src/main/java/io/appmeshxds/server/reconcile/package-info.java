/**
 * The reconcile loop: sources write into the {@link io.appmeshxds.server.reconcile.ResourceStore};
 * one thread ({@link io.appmeshxds.server.reconcile.Reconciler}) debounces changes and runs
 * validate → plan → translate → publish, never before every source has synced.
 */
package io.appmeshxds.server.reconcile;
