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

  /**
   * A header condition on one header (pseudo-headers included), one record per kind; {@code invert}
   * negates it.
   *
   * <p>Why a visitor ({@link Cases}) and not a switch: Java 17 has no switch over a sealed type.
   * Each kind calls its own method of {@link Cases}, so adding a kind breaks the compile of every
   * place that dispatches on conditions (the Envoy translation, the gateway's evaluation and its
   * wording) until each handles it. Where the kind comes from (the API's {@code HeaderMatchMethod})
   * see {@link Routes#headers}.
   */
  public sealed interface HeaderCondition {
    String name();

    boolean invert();

    /** {@code cases}' method for this kind, applied to this condition. */
    <R> R match(Cases<R> cases);

    /** One method per kind: what a dispatch on conditions must say for each. */
    interface Cases<R> {
      R present(Present c);

      R exact(Exact c);

      R prefix(Prefix c);

      R suffix(Suffix c);

      R regex(Regex c);

      R range(Range c);
    }

    /** The header is present (any value). */
    record Present(String name, boolean invert) implements HeaderCondition {
      @Override
      public <R> R match(Cases<R> cases) {
        return cases.present(this);
      }
    }

    /** The value equals {@code value}. */
    record Exact(String name, String value, boolean invert) implements HeaderCondition {
      @Override
      public <R> R match(Cases<R> cases) {
        return cases.exact(this);
      }
    }

    /** The value starts with {@code value}. */
    record Prefix(String name, String value, boolean invert) implements HeaderCondition {
      @Override
      public <R> R match(Cases<R> cases) {
        return cases.prefix(this);
      }
    }

    /** The value ends with {@code value}. */
    record Suffix(String name, String value, boolean invert) implements HeaderCondition {
      @Override
      public <R> R match(Cases<R> cases) {
        return cases.suffix(this);
      }
    }

    /** The whole value matches the RE2 pattern {@code value}. */
    record Regex(String name, String value, boolean invert) implements HeaderCondition {
      @Override
      public <R> R match(Cases<R> cases) {
        return cases.regex(this);
      }
    }

    /** The value is an integer in [{@code start}, {@code end}). */
    record Range(String name, long start, long end, boolean invert) implements HeaderCondition {
      @Override
      public <R> R match(Cases<R> cases) {
        return cases.range(this);
      }
    }

    /**
     * What conditions on one header are sorted by: the kind (exact, prefix, suffix, regex, range,
     * present), then the value, start and end as text ("null" where a kind has none).
     */
    record SortKey(int kind, String value, String start, String end) {}

    /** This condition's {@link SortKey}. */
    default SortKey sortKey() {
      return match(new Cases<SortKey>() {
        @Override
        public SortKey present(Present c) {
          return new SortKey(5, "null", "null", "null");
        }

        @Override
        public SortKey exact(Exact c) {
          return new SortKey(0, c.value(), "null", "null");
        }

        @Override
        public SortKey prefix(Prefix c) {
          return new SortKey(1, c.value(), "null", "null");
        }

        @Override
        public SortKey suffix(Suffix c) {
          return new SortKey(2, c.value(), "null", "null");
        }

        @Override
        public SortKey regex(Regex c) {
          return new SortKey(3, c.value(), "null", "null");
        }

        @Override
        public SortKey range(Range c) {
          return new SortKey(4, "null", String.valueOf(c.start()), String.valueOf(c.end()));
        }
      });
    }
  }

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
   *     backend) and no redirect, requests get a 500 response (Gateway API's rule for a rule without
   *     a valid backend)
   * @param mirrors clusters a copy of requests goes to (Gateway API RequestMirror), in order; their
   *     clusters are used clusters of the proxy as much as {@code clusters}
   * @param redirect when set, requests are answered with this redirect and {@code clusters} is empty
   */
  public record Action(List<WeightedCluster> clusters, boolean weighted, Long timeoutMs, Long idleTimeoutMs, Retry retry,
      Rewrite rewrite, HeaderEdits headers, List<Mirror> mirrors, Redirect redirect) {
    public Action {
      clusters = List.copyOf(clusters);
      headers = headers == null || headers.isEmpty() ? null : headers;
      mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
      if (redirect != null && !clusters.isEmpty()) {
        throw new IllegalArgumentException("a redirect route forwards to no cluster");
      }
    }

    /** Without mirrors or a redirect. */
    public Action(List<WeightedCluster> clusters, boolean weighted, Long timeoutMs, Long idleTimeoutMs, Retry retry,
        Rewrite rewrite, HeaderEdits headers) {
      this(clusters, weighted, timeoutMs, idleTimeoutMs, retry, rewrite, headers, List.of(), null);
    }

    /** Without header edits, mirrors or a redirect. */
    public Action(List<WeightedCluster> clusters, boolean weighted, Long timeoutMs, Long idleTimeoutMs, Retry retry,
        Rewrite rewrite) {
      this(clusters, weighted, timeoutMs, idleTimeoutMs, retry, rewrite, null);
    }

    /** This action with {@code retry} and {@code rewrite} in place of its own. */
    public Action with(Retry retry, Rewrite rewrite) {
      return new Action(clusters, weighted, timeoutMs, idleTimeoutMs, retry, rewrite, headers, mirrors, redirect);
    }

    /**
     * Every cluster this action sends requests to: its weighted clusters, then its mirrors'. Why one
     * place: whatever gathers the clusters a proxy needs (CDS, EDS, checks) must count mirrors too.
     * A visitor rather than a list: it runs per route of every proxy plan, and allocates nothing.
     */
    public void forEachUsedCluster(java.util.function.Consumer<ClusterId> each) {
      clusters.forEach(c -> each.accept(c.cluster()));
      mirrors.forEach(m -> each.accept(m.cluster()));
    }
  }

  /**
   * A request mirror (Envoy's request_mirror_policies): a copy of {@code numerator}/{@code
   * denominator} of the requests goes to {@code cluster}, its answer is dropped.
   *
   * @param denominator 100, 10000 or 1000000; {@code numerator == denominator} mirrors every request
   */
  public record Mirror(ClusterId cluster, long numerator, long denominator) {
    public boolean all() {
      return numerator == denominator;
    }
  }

  /**
   * A redirect answer (Envoy's route {@code redirect}).
   *
   * @param scheme the scheme, or null to keep the request's
   * @param host the host, or null to keep the request's
   * @param port the port, or null to keep the request's
   * @param fullPath replaces the path, or null
   * @param regexPattern with {@code regexSubstitution}, rewrites the path, or null
   * @param regexSubstitution the replacement
   * @param statusCode 301, 302, 303, 307 or 308
   */
  public record Redirect(String scheme, String host, Long port, String fullPath, String regexPattern,
      String regexSubstitution, int statusCode) {}

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
