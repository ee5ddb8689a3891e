/**
 * The reconcile loop: sources write into the {@link io.appmeshxds.server.reconcile.ResourceStore};
 * one thread ({@link io.appmeshxds.server.reconcile.Reconciler}) debounces changes and runs
 * validate → plan → translate → publish, never before every source has synced. Its clock and
 * thread come from a {@link io.appmeshxds.server.reconcile.Scheduler}, so tests drive the debounce
 * by hand instead of sleeping.
 */
package io.appmeshxds.server.reconcile;
