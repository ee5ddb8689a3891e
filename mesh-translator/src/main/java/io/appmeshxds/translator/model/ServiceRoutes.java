package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;

/**
 * The Gateway API routes (GAMMA: a parentRef that is a Kubernetes Service) that govern a
 * VirtualService's traffic, resolved: one {@link Rule} per match of every rule of every route
 * attached, in Gateway API precedence order, with backends resolved to VirtualNode listeners of
 * the same mesh. On the ports they cover they replace the routes of the VirtualService's provider
 * (see {@link GammaResolver}).
 *
 * @param service the VirtualService's awsName
 * @param routes the routes attached, in ref order
 * @param rules every rule match, in precedence order
 */
public record ServiceRoutes(String service, List<ObjectRef> routes, List<Rule> rules) {

  public ServiceRoutes {
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
  }

  /** The rules that apply on {@code port}, in precedence order; empty when none does. */
  public List<Rule> forPort(long port) {
    return rules.stream().filter(r -> r.port() == null || r.port() == port).toList();
  }

  /** Path match kinds (a PathPrefix other than "/" is a REGEX: Gateway API matches whole segments). */
  public enum PathKind {
    PREFIX,
    EXACT,
    REGEX
  }

  /**
   * One match of one rule.
   *
   * @param name {@code <Kind>/<namespace>/<name>/<rule>/<match>}, unique in the service
   * @param route the route it comes from
   * @param port the parentRef's port, or null for every HTTP-family port of the service
   * @param pathKind path match kind
   * @param path the path, prefix or RE2 pattern
   * @param headers header conditions (names lower-cased), in name order
   * @param queryParams query parameter conditions, in name order
   * @param method HTTP method to match, or null
   * @param backends weighted backends that resolved, in spec order; empty: every request gets 500
   * @param edits the rule's header modifiers
   * @param rewrite the rule's URL rewrite, or null
   * @param timeoutMs request timeout (0 disables)
   * @param mirrors the rule's RequestMirror filters whose backend resolved, in spec order
   * @param redirect the rule's RequestRedirect, or null; when set, requests are answered with it and
   *     {@code backends} is empty
   */
  public record Rule(String name, ObjectRef route, Long port, PathKind pathKind, String path, List<Condition> headers,
      List<Condition> queryParams, String method, List<Backend> backends, Edits edits, Rewrite rewrite, long timeoutMs,
      List<Mirror> mirrors, Redirect redirect) {
    public Rule {
      headers = List.copyOf(headers);
      queryParams = List.copyOf(queryParams);
      backends = List.copyOf(backends);
      mirrors = List.copyOf(mirrors);
    }
  }

  /**
   * A request mirror: a copy of each selected request goes to a VirtualNode listener, its answer
   * is dropped.
   *
   * @param node the VirtualNode's awsName
   * @param port its listener port
   * @param protocol that listener's protocol
   * @param numerator with {@code denominator}, the share of requests mirrored ({@code numerator ==
   *     denominator}: all)
   * @param denominator 100, 10000 or 1000000 (the denominators Envoy has)
   */
  public record Mirror(String node, long port, PortProtocol protocol, long numerator, long denominator) {}

  /**
   * A redirect answer (Gateway API RequestRedirect).
   *
   * @param scheme {@code http} or {@code https}, or null to keep the request's
   * @param host the host name, or null to keep the request's
   * @param port the port, or null to keep the request's (a scheme without a port has the scheme's
   *     well-known port here already, as Gateway API says)
   * @param fullPath replaces the path (ReplaceFullPath), or null
   * @param regexPattern with {@code regexSubstitution}, rewrites the path (ReplacePrefixMatch), or null
   * @param regexSubstitution the replacement
   * @param statusCode 301, 302, 303, 307 or 308
   */
  public record Redirect(String scheme, String host, Long port, String fullPath, String regexPattern,
      String regexSubstitution, int statusCode) {}

  /** A header or query parameter condition: exact value, or RE2 pattern when {@code regex}. */
  public record Condition(String name, boolean regex, String value) {}

  /**
   * A weighted backend: a VirtualNode listener.
   *
   * @param node the VirtualNode's awsName
   * @param port its listener port
   * @param protocol that listener's protocol
   * @param weight the backendRef's weight
   * @param edits the backendRef's own header modifiers
   */
  public record Backend(String node, long port, PortProtocol protocol, long weight, Edits edits) {}

  /** Header modifiers for requests and responses; set replaces, add appends. */
  public record Edits(List<Header> requestSet, List<Header> requestAdd, List<String> requestRemove,
      List<Header> responseSet, List<Header> responseAdd, List<String> responseRemove) {
    public static final Edits NONE = new Edits(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public Edits {
      requestSet = List.copyOf(requestSet);
      requestAdd = List.copyOf(requestAdd);
      requestRemove = List.copyOf(requestRemove);
      responseSet = List.copyOf(responseSet);
      responseAdd = List.copyOf(responseAdd);
      responseRemove = List.copyOf(responseRemove);
    }

    public boolean isEmpty() {
      return equals(NONE);
    }
  }

  /** A header name and value. */
  public record Header(String name, String value) {}

  /**
   * A URL rewrite.
   *
   * @param host replaces the Host/:authority, or null
   * @param regexPattern with {@code regexSubstitution}, rewrites the path; or null
   * @param regexSubstitution the replacement
   */
  public record Rewrite(String host, String regexPattern, String regexSubstitution) {}
}
