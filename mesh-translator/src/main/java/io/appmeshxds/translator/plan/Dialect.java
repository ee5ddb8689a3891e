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

  public boolean proxyless() {
    return this != ENVOY;
  }

  /**
   * The dialect of a client from its node's {@code user_agent_name} and {@code user_agent_version}.
   * Anything not called {@code envoy} is a proxyless gRPC client; versions before 1.56 (grpc-js
   * before 1.9), or unknown ones, get the legacy header fields, which every gRPC version accepts.
   */
  public static Dialect of(String userAgentName, String userAgentVersion) {
    if (userAgentName == null || userAgentName.isEmpty() || userAgentName.equalsIgnoreCase("envoy")) {
      return ENVOY;
    }
    int[] v = version(userAgentVersion);
    if (v == null) {
      return GRPC_LEGACY;
    }
    boolean node = userAgentName.toLowerCase(java.util.Locale.ROOT).contains("node")
        || userAgentName.toLowerCase(java.util.Locale.ROOT).contains("grpc-js");
    int minMinor = node ? 9 : 56;
    return v[0] > 1 || v[0] == 1 && v[1] >= minMinor ? GRPC : GRPC_LEGACY;
  }

  private static int[] version(String s) {
    if (s == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(s);
    return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
  }
}
