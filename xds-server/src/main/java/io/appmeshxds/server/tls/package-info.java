/**
 * Serving TLS from PEM files for the control plane's ports (xDS, access-log receiver, webhook):
 * certificate, key and client CA bundle are re-read when the files change, so a rotated
 * certificate (cert-manager, SPIRE, a Secret volume update) is used by the next connection without
 * a restart while open streams keep their session. Runtime edge code: no translation here.
 */
package io.appmeshxds.server.tls;
