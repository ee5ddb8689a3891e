package io.appmeshxds.gateway.plan;

import io.appmeshxds.translator.plan.RoutePlan;

/**
 * One path condition of a gateway route on the original request, and what the route does to the
 * path of a request it matches.
 *
 * @param kind prefix, exact or regex
 * @param path the prefix, path or RE2 pattern
 * @param transform the path rewrite
 * @param slashless true for the second of two variants {@code /chapter/}, {@code /chapter} (a
 *     rewritten prefix without a trailing slash, or the twin of a prefix with one under the default
 *     rewrite): it serves the requests the {@code /chapter/} variant does not, so composed
 *     conditions that require {@code /chapter/} are left to that variant
 */
record PathVariant(RoutePlan.PathKind kind, String path, Transform transform, boolean slashless) {

  /** How the path of a matched request changes. */
  sealed interface Transform permits Identity, ReplacePrefix, Constant {}

  /** The path is forwarded unchanged. */
  record Identity() implements Transform {}

  /** The leading {@code from} (the matched prefix) becomes {@code to}. */
  record ReplacePrefix(String from, String to) implements Transform {}

  /** The whole path becomes {@code path} (the query string is kept). */
  record Constant(String path) implements Transform {}

  boolean identity() {
    return transform instanceof Identity;
  }
}
