package io.appmeshxds.gateway.plan;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.appmeshxds.translator.plan.RoutePlan;
import io.appmeshxds.translator.re2.Re2Limit;
import io.appmeshxds.translator.re2.Re2ProgramSize;

/**
 * Route conditions evaluated on values known when planning: a path the gateway rewrites to a
 * constant, a host it rewrites to a literal. Same semantics as Envoy's matchers: case-sensitive
 * paths (our routes set {@code case_sensitive: true}), RE2 patterns matching the whole value, ranges
 * with an exclusive end.
 */
final class Conditions {
  private Conditions() {}

  /** Whether a route's path condition accepts {@code path} (a path without query string). */
  static boolean acceptsPath(RoutePlan.PathKind kind, String condition, String path) {
    return switch (kind) {
      case PREFIX -> path.startsWith(condition);
      case EXACT -> path.equals(condition);
      case REGEX -> fullMatch(condition, path);
    };
  }

  /** Whether a header condition holds for a request whose header has {@code value} (present). */
  static boolean holds(RoutePlan.HeaderCondition c, String value) {
    boolean m = c.match(new RoutePlan.HeaderCondition.Cases<Boolean>() {
      @Override
      public Boolean present(RoutePlan.HeaderCondition.Present p) {
        return true;
      }

      @Override
      public Boolean exact(RoutePlan.HeaderCondition.Exact e) {
        return value.equals(e.value());
      }

      @Override
      public Boolean prefix(RoutePlan.HeaderCondition.Prefix p) {
        return value.startsWith(p.value());
      }

      @Override
      public Boolean suffix(RoutePlan.HeaderCondition.Suffix s) {
        return value.endsWith(s.value());
      }

      @Override
      public Boolean regex(RoutePlan.HeaderCondition.Regex r) {
        return fullMatch(r.value(), value);
      }

      @Override
      public Boolean range(RoutePlan.HeaderCondition.Range r) {
        return inRange(value, r.start(), r.end());
      }
    });
    return m != c.invert();
  }

  /** Largest upper bound of a pattern compiled here. Why: re2j's memory grows with the program. */
  private static final long COMPILE_CAP = 100_000;

  static boolean fullMatch(String regex, String value) {
    // Measured before compiling: the model rejects invalid and oversized patterns, and nothing
    // matches one here; a pattern that may be over the limit (a warning) is small enough to compile.
    Re2ProgramSize.Result size = Re2ProgramSize.of(regex);
    if (size.error() != null || size.exceeds(Re2Limit.MAX_PROGRAM_SIZE) || size.upper() > COMPILE_CAP) {
      return false;
    }
    try {
      return Pattern.compile(regex).matcher(value).matches();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  private static boolean inRange(String value, long start, long end) {
    if (!value.matches("[+-]?[0-9]+")) {
      return false;
    }
    try {
      long v = Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
      return v >= start && v < end;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
