/**
 * The mutating admission webhook of {@code serve --kubernetes}: AdmissionReview v1 over HTTPS on
 * its own port ({@code /mutate-v1-pod}, App Mesh's path), answered with the pure mutation of
 * {@code server.inject} as a JSON patch; the serving certificate (generated and rotated by the lease
 * holder, with the CA bundle of the MutatingWebhookConfiguration, or read from files cert-manager
 * writes). Pod contents are never logged: a pod spec may carry secrets in plain environment values.
 */
package io.appmeshxds.server.webhook;
