/**
 * Stage 2: validation and reference resolution. {@link io.appmeshxds.translator.model.MeshModelBuilder}
 * turns {@link io.appmeshxds.translator.input.MeshResources} into a resolved
 * {@link io.appmeshxds.translator.model.MeshModel} plus a
 * {@link io.appmeshxds.translator.status.StatusReport}: every rule App Mesh enforced (CRD schema,
 * webhooks, AWS API) is checked here, per object, and a bad object only invalidates itself.
 *
 * <p>Pure: no I/O, no clock, no threads; must not depend on the plan or xds stages.
 */
package io.appmeshxds.translator.model;
