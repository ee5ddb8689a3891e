package io.appmeshxds.server.diff;

/**
 * One semantic difference.
 *
 * @param location the resource and the named elements inside it, e.g.
 *     {@code route rds_egress_http_9898 / virtual host podinfo.demo / route podinfo}
 * @param detail what differs there, e.g. {@code route.timeout: running "15s" ≠ ours "10s"} or {@code missing in ours}
 * @param extension whether it lies in something upstream Envoy's API (as this build knows it) does not
 *     define: an unknown {@code @type}, field or enum value, or {@code aws.appmesh*} metadata
 */
public record Difference(String location, String detail, boolean extension) {
  /** Prefix of the lines of {@link #extension()} differences. */
  public static final String EXTENSION_PREFIX = "[not in upstream Envoy] ";

  /** The line printed for it. */
  public String line() {
    return (extension ? EXTENSION_PREFIX : "") + location + ": " + detail;
  }
}
