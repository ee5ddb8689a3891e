/**
 * Sidecar injection as a pure mutation: a pod, the mesh (a {@link io.appmeshxds.server.inject.MeshView}
 * of one build) and the {@code injection} settings in, the patched pod and a verdict out. The
 * admission webhook ({@code server.webhook}) and the {@code inject} command share it; the Envoy
 * bootstrap comes from {@link io.appmeshxds.translator.xds.BootstrapFactory}, as {@code bootstrap}
 * prints it.
 *
 * <p>The facts (annotation keys, container names, environment variables, ports, UIDs, defaults) are
 * App Mesh's controller's, {@code github.com/aws/aws-app-mesh-controller-for-k8s} {@code pkg/inject/}
 * at 7588d122; each is cited where it is used. No I/O, no clock, no Kubernetes client here.
 */
package io.appmeshxds.server.inject;
