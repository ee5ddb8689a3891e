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
   */
  public record Rule(String name, ObjectRef route, Long port, PathKind pathKind, String path, List<Condition> headers,
      List<Condition> queryParams, String method, List<Backend> backends, Edits edits, Rewrite rewrite, long timeoutMs) {
    public Rule {
      headers = List.copyOf(headers);
      queryParams = List.copyOf(queryParams);
      backends = List.copyOf(backends);
    }
  }

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
