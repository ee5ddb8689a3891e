package io.appmeshxds.server.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTPRoute Flagger's {@code gatewayapi:v1} router (pkg/router/gateway_api.go) writes for a
 * Canary {@code podinfo} in namespace {@code demo} whose {@code spec.service} has {@code port: 9898}
 * and {@code gatewayRefs: [{group: "", kind: Service, name: podinfo, port: 9898}]} (GAMMA): named
 * like the apex Service, one weighted rule to {@code podinfo-primary} and {@code podinfo-canary}
 * (group "", kind Service, the service port, explicit weights) matching PathPrefix "/" when the
 * Canary has no {@code service.match}; for A/B testing the analysis matches replace the headers of
 * that rule's match and a second rule sends everything else to the primary; with session affinity
 * a sticky rule matching the canary cookie comes first and the canary backendRef of the weighted
 * rule adds {@code Set-Cookie}; with Blue/Green mirroring the weighted rule has a RequestMirror
 * filter to the canary.
 */
public final class FlaggerGatewayApi {
  private FlaggerGatewayApi() {}

  private static List<String> head() {
    return new ArrayList<>(List.of(
        "apiVersion: gateway.networking.k8s.io/v1",
        "kind: HTTPRoute",
        "metadata:",
        "  name: podinfo",
        "  namespace: demo",
        "spec:",
        "  parentRefs:",
        "    - group: \"\"",
        "      kind: Service",
        "      name: podinfo",
        "      port: 9898",
        "  rules:"));
  }

  private static void backend(List<String> out, String name, int weight, List<String> filters) {
    out.addAll(List.of(
        "        - group: \"\"",
        "          kind: Service",
        "          name: " + name,
        "          port: 9898",
        "          weight: " + weight));
    out.addAll(filters);
  }

  private static void prefixRule(List<String> out) {
    out.addAll(List.of(
        "    - matches:",
        "        - path:",
        "            type: PathPrefix",
        "            value: /",
        "      backendRefs:"));
  }

  /** Progressive traffic shifting (initialized: 100/0; a step; promoted or rolled back: 100/0). */
  public static String weights(int primary, int canary) {
    List<String> out = head();
    prefixRule(out);
    backend(out, "podinfo-primary", primary, List.of());
    backend(out, "podinfo-canary", canary, List.of());
    return String.join("\n", out) + "\n";
  }

  /**
   * Blue/Green with traffic mirroring ({@code analysis.mirror: true}) while the analysis runs: all
   * traffic to the primary ({@code 100/0}) and the weighted rule gets a RequestMirror filter to the
   * canary Service (group "", kind Service, the service port; no percent or fraction: Flagger's
   * {@code mirrorWeight} is Istio's, its Gateway API router mirrors every request).
   */
  public static String mirrored(int primary, int canary) {
    List<String> out = head();
    out.addAll(List.of(
        "    - matches:",
        "        - path:",
        "            type: PathPrefix",
        "            value: /",
        "      filters:",
        "        - type: RequestMirror",
        "          requestMirror:",
        "            backendRef:",
        "              group: \"\"",
        "              kind: Service",
        "              name: podinfo-canary",
        "              port: 9898",
        "      backendRefs:"));
    backend(out, "podinfo-primary", primary, List.of());
    backend(out, "podinfo-canary", canary, List.of());
    return String.join("\n", out) + "\n";
  }

  /** With {@code spec.service.timeout}: Flagger adds {@code timeouts.request} to the rule. */
  public static String weightsWithTimeout(int primary, int canary, String timeout) {
    return weights(primary, canary) + "      timeouts:\n        request: " + timeout + "\n";
  }

  /**
   * A/B testing with one analysis match on a header ({@code type} Exact or RegularExpression): the
   * first rule carries it (the service's PathPrefix "/" kept, headers from the analysis), the
   * second sends the rest to the primary.
   */
  public static String abTest(String header, String type, String value, int canaryWeight) {
    List<String> out = head();
    out.addAll(List.of(
        "    - matches:",
        "        - path:",
        "            type: PathPrefix",
        "            value: /",
        "          headers:",
        "            - name: " + header,
        "              type: " + type,
        "              value: \"" + value + "\"",
        "      backendRefs:"));
    backend(out, "podinfo-primary", 100 - canaryWeight, List.of());
    backend(out, "podinfo-canary", canaryWeight, List.of());
    prefixRule(out);
    backend(out, "podinfo-primary", 100, List.of());
    return String.join("\n", out) + "\n";
  }

  /**
   * Session affinity during a step: the sticky rule (Cookie regex {@code .*<name>.*<value>.*} to the
   * canary, primary weight 0) first, then the weighted rule whose canary backendRef sets the cookie.
   */
  public static String sessionAffinity(String cookieName, String cookieValue, int canaryWeight) {
    List<String> out = head();
    out.addAll(List.of(
        "    - matches:",
        "        - headers:",
        "            - name: Cookie",
        "              type: RegularExpression",
        "              value: \".*" + cookieName + ".*" + cookieValue + ".*\"",
        "      backendRefs:"));
    backend(out, "podinfo-primary", 0, List.of());
    backend(out, "podinfo-canary", 100, List.of());
    prefixRule(out);
    backend(out, "podinfo-primary", 100 - canaryWeight, List.of());
    backend(out, "podinfo-canary", canaryWeight, List.of(
        "          filters:",
        "            - type: ResponseHeaderModifier",
        "              responseHeaderModifier:",
        "                add:",
        "                  - name: Set-Cookie",
        "                    value: \"" + cookieName + "=" + cookieValue + "; Max-Age=120\""));
    return String.join("\n", out) + "\n";
  }

  /** The Canary itself, switched to the Gateway API provider: it derives no App Mesh objects. */
  public static String canary() {
    return String.join("\n",
        "apiVersion: flagger.app/v1beta1",
        "kind: Canary",
        "metadata:",
        "  name: podinfo",
        "  namespace: demo",
        "spec:",
        "  provider: gatewayapi:v1",
        "  targetRef:",
        "    apiVersion: apps/v1",
        "    kind: Deployment",
        "    name: podinfo",
        "  service:",
        "    port: 9898",
        "    gatewayRefs:",
        "      - group: \"\"",
        "        kind: Service",
        "        name: podinfo",
        "        port: 9898",
        "  analysis:",
        "    interval: 10s",
        "    threshold: 2",
        "    maxWeight: 50",
        "    stepWeight: 10") + "\n";
  }
}
