package io.appmeshxds.translator.xds.rules;

/**
 * Length and size rules: string/bytes {@code len}/{@code min_len}/{@code max_len} (and the byte
 * variants), repeated {@code min_items}/{@code max_items}, map {@code min_pairs}/{@code max_pairs}.
 * Limits are uint64 in the rules and compared unsigned; {@link #UNSET} marks a missing one.
 */
final class Lengths {

  static final long UNSET = -1;

  private Lengths() {}

  /**
   * String and bytes lengths. {@code exact} wins; a min equal to the max also means "exactly".
   *
   * @param unit {@code characters} or {@code bytes}
   * @param rules the rule names for exact, min and max, e.g. {@code len}, {@code min_len}, {@code max_len}
   */
  static boolean check(Walker w, String kind, long actual, long exact, long min, long max,
      String unit, String... rules) {
    String failed = null;
    String message = null;
    if (exact != UNSET || (min != UNSET && min == max)) {
      long n = exact != UNSET ? exact : min;
      if (actual != n) {
        failed = exact != UNSET ? rules[0] : below(actual, n) ? rules[1] : rules[2];
        message = "value length must be " + u(n) + " " + unit;
      }
    } else if (min != UNSET && max != UNSET) {
      if (below(actual, min) || above(actual, max)) {
        failed = below(actual, min) ? rules[1] : rules[2];
        message = "value length must be between " + u(min) + " and " + u(max) + " " + unit + ", inclusive";
      }
    } else if (min != UNSET && below(actual, min)) {
      failed = rules[1];
      message = "value length must be at least " + u(min) + " " + unit;
    } else if (max != UNSET && above(actual, max)) {
      failed = rules[2];
      message = "value length must be at most " + u(max) + " " + unit;
    }
    if (failed == null) {
      return true;
    }
    w.report(kind + "." + failed, message);
    return false;
  }

  /**
   * Repeated and map sizes. As in Envoy's validators a zero minimum is no rule, while an explicit
   * maximum of zero is.
   *
   * @param noun {@code item} or {@code pair}
   */
  static boolean checkCount(Walker w, String kind, long actual, long min, long max, String noun,
      String minRule, String maxRule) {
    String failed = null;
    String message = null;
    if (min != UNSET && min != 0) {
      if (min == max) {
        if (actual != min) {
          failed = below(actual, min) ? minRule : maxRule;
          message = "value must contain exactly " + u(min) + " " + noun + "(s)";
        }
      } else if (max != UNSET) {
        if (below(actual, min) || above(actual, max)) {
          failed = below(actual, min) ? minRule : maxRule;
          message = "value must contain between " + u(min) + " and " + u(max) + " " + noun
              + "s, inclusive";
        }
      } else if (below(actual, min)) {
        failed = minRule;
        message = "value must contain at least " + u(min) + " " + noun + "(s)";
      }
    } else if (max != UNSET && above(actual, max)) {
      failed = maxRule;
      message = "value must contain no more than " + u(max) + " " + noun + "(s)";
    }
    if (failed == null) {
      return true;
    }
    w.report(kind + "." + failed, message);
    return false;
  }

  private static boolean below(long actual, long limit) {
    return Long.compareUnsigned(actual, limit) < 0;
  }

  private static boolean above(long actual, long limit) {
    return Long.compareUnsigned(actual, limit) > 0;
  }

  private static String u(long n) {
    return Long.toUnsignedString(n);
  }
}
