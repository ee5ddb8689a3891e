package io.appmeshxds.translator.plan;

import java.util.List;
import java.util.Map;

/**
 * One route: a match and where it sends traffic.
 *
 * @param name route name (App Mesh route name, or a fixed name)
 * @param match conditions (ANDed)
 * @param action what to do
 */
public record RoutePlan(String name, Match match, Action action) {

  /** Path match kinds. */
  public enum PathKind {
    PREFIX,
    EXACT,
    REGEX
  }

  /** Header match kinds; PRESENT ignores the value. */
  public enum HeaderKind {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEX,
    RANGE,
    PRESENT
  }

  /**
   * Route match.
   *
   * @param pathKind prefix, exact or regex
   * @param path the path, prefix or RE2 pattern
   * @param headers header conditions (pseudo-headers {@code :method}, {@code :scheme}, {@code :authority} included)
   * @param queryParameters query parameter conditions
   */
  public record Match(PathKind pathKind, String path, List<HeaderCondition> headers, List<QueryCondition> queryParameters) {
    public Match {
      headers = List.copyOf(headers);
      queryParameters = List.copyOf(queryParameters);
    }

    public static Match prefix(String p) {
      return new Match(PathKind.PREFIX, p, List.of(), List.of());
    }
  }

  /** A header condition: value for EXACT/PREFIX/SUFFIX/REGEX, start/end (end exclusive) for RANGE. */
  public record HeaderCondition(String name, HeaderKind kind, String value, Long start, Long end, boolean invert) {}

  /**
   * A query parameter condition: exact value (an RE2 pattern when {@code regex} is true), or null
   * for "present". {@code regex} is null unless true (App Mesh plans never have it).
   */
  public record QueryCondition(String name, String exact, Boolean regex) {
    public QueryCondition {
      regex = Boolean.TRUE.equals(regex) ? Boolean.TRUE : null;
    }

    public QueryCondition(String name, String exact) {
      this(name, exact, null);
    }

    public boolean isRegex() {
      return regex != null;
    }
  }

  /**
   * Header edits (Gateway API's header modifier filters): set replaces a header, add appends a
   * value, remove drops it; names are lower case.
   */
  public record HeaderEdits(List<Header> requestSet, List<Header> requestAdd, List<String> requestRemove,
      List<Header> responseSet, List<Header> responseAdd, List<String> responseRemove) {
    public HeaderEdits {
      requestSet = List.copyOf(requestSet);
      requestAdd = List.copyOf(requestAdd);
      requestRemove = List.copyOf(requestRemove);
      responseSet = List.copyOf(responseSet);
      responseAdd = List.copyOf(responseAdd);
      responseRemove = List.copyOf(responseRemove);
    }

    public boolean isEmpty() {
      return requestSet.isEmpty() && requestAdd.isEmpty() && requestRemove.isEmpty() && responseSet.isEmpty()
          && responseAdd.isEmpty() && responseRemove.isEmpty();
    }
  }

  /** A header name and value. */
  public record Header(String name, String value) {}

  /**
   * Route action.
   *
   * @param clusters targets; one entry and {@code weighted} false means a plain cluster route
   * @param weighted whether to use weighted_clusters (routers always do, so Flagger's weights stay visible)
   * @param timeoutMs request timeout (0 disables), or null for Envoy's default
   * @param idleTimeoutMs stream idle timeout (0 disables), or null
   * @param retry retry policy, or null
   * @param rewrite path/host rewrites (gateways), or null
   * @param headers header edits of the route, or null; with no cluster (every weight 0, or no
   *     backend), requests get a 500 response (Gateway API's rule for a rule without a valid backend)
   */
  public record Action(List<WeightedCluster> clusters, boolean weighted, Long timeoutMs, Long idleTimeoutMs, Retry retry,
      Rewrite rewrite, HeaderEdits headers) {
    public Action {
      clusters = List.copyOf(clusters);
      headers = headers == null || headers.isEmpty() ? null : headers;
    }

    /** Without header edits. */
    public Action(List<WeightedCluster> clusters, boolean weighted, Long timeoutMs, Long idleTimeoutMs, Retry retry,
        Rewrite rewrite) {
      this(clusters, weighted, timeoutMs, idleTimeoutMs, retry, rewrite, null);
    }
  }

  /**
   * Retry policy in Envoy's terms.
   *
   * @param retryOn retry_on tokens, in order
   * @param numRetries retries
   * @param perTryTimeoutMs per-try timeout, or null
   * @param retriableStatusCodes status codes for {@code retriable-status-codes}
   * @param previousHosts avoid hosts already tried (App Mesh set this, with 5 selection attempts)
   */
  public record Retry(List<String> retryOn, long numRetries, Long perTryTimeoutMs, List<Integer> retriableStatusCodes,
      boolean previousHosts) {
    public Retry {
      retryOn = List.copyOf(retryOn);
      retriableStatusCodes = List.copyOf(retriableStatusCodes);
    }
  }

  /**
   * Rewrites applied before forwarding.
   *
   * @param prefix replaces the matched prefix, or null
   * @param regexPattern with {@code regexSubstitution}: rewrites the path (whole-path rewrite), or null
   * @param regexSubstitution the replacement
   * @param hostLiteral replaces the Host/:authority, or null
   * @param requestHeadersToAdd headers set on the forwarded request
   */
  public record Rewrite(String prefix, String regexPattern, String regexSubstitution, String hostLiteral,
      Map<String, String> requestHeadersToAdd) {
    public Rewrite {
      requestHeadersToAdd = Map.copyOf(requestHeadersToAdd);
    }
  }
}
