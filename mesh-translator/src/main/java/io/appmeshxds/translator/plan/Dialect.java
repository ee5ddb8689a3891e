package io.appmeshxds.translator.plan;

/**
 * What kind of xDS client a proxy is; decides the shapes it accepts.
 *
 * <ul>
 *   <li>{@link #ENVOY}: an Envoy sidecar or gateway.
 *   <li>{@link #GRPC}: a proxyless gRPC client that knows {@code HeaderMatcher.string_match} (gRFC
 *       A63, gRPC 1.56 and later).
 *   <li>{@link #GRPC_LEGACY}: an older proxyless gRPC client: header matchers in the deprecated
 *       per-kind fields (gRPC C-core 1.51 NACKs {@code string_match}).
 * </ul>
 */
public enum Dialect {
  ENVOY,
  GRPC,
  GRPC_LEGACY;

  private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)");

  public boolean proxyless() {
    return this != ENVOY;
  }

  /**
   * The dialect of a client from its node's {@code user_agent_name} and {@code user_agent_version}.
   * Anything not called {@code envoy} is a proxyless gRPC client; versions before 1.56 (grpc-js
   * before 1.9), or unknown ones, get the legacy header fields, which every gRPC version accepts.
   *
   * <p>gRPC C-core reports its core version first, then the wrapping language's gRPC release, e.g.
   * Debian's python3-grpcio 1.51.1: name {@code "gRPC C-core linux Python"}, version {@code "C-core
   * 29.0.0 Python 1.51.1"}. For C-core the release is the last version in the string; a bare core
   * version (C++) is not a gRPC release number and counts as unknown.
   */
  public static Dialect of(String userAgentName, String userAgentVersion) {
    if (userAgentName == null || userAgentName.isEmpty() || userAgentName.equalsIgnoreCase("envoy")) {
      return ENVOY;
    }
    boolean core = userAgentName.toLowerCase(java.util.Locale.ROOT).contains("c-core")
        || userAgentVersion != null && userAgentVersion.toLowerCase(java.util.Locale.ROOT).contains("c-core");
    int[] v = core ? wrappedRelease(userAgentVersion) : version(userAgentVersion);
    if (v == null) {
      return GRPC_LEGACY;
    }
    boolean node = userAgentName.toLowerCase(java.util.Locale.ROOT).contains("node")
        || userAgentName.toLowerCase(java.util.Locale.ROOT).contains("grpc-js");
    int minMinor = node ? 9 : 56;
    return v[0] > 1 || v[0] == 1 && v[1] >= minMinor ? GRPC : GRPC_LEGACY;
  }

  /** The last of at least two versions in {@code s} (C-core's wrapper release), else null. */
  private static int[] wrappedRelease(String s) {
    if (s == null) {
      return null;
    }
    java.util.regex.Matcher m = VERSION.matcher(s);
    int[] last = null;
    int found = 0;
    while (m.find()) {
      last = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
      found++;
    }
    return found >= 2 ? last : null;
  }

  private static int[] version(String s) {
    if (s == null) {
      return null;
    }
    java.util.regex.Matcher m = VERSION.matcher(s);
    return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
  }
}
