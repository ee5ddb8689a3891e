/**
 * Where statuses go: the latest report for {@code /status}, NACK conditions, and sinks (the log in
 * file mode; the Kubernetes status writer in cluster mode).
 */
package io.appmeshxds.server.status;
