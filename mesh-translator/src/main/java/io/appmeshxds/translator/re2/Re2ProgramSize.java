package io.appmeshxds.translator.re2;

import com.google.re2j.PatternSyntaxException;
import com.google.re2j.Re2jTrees;
import io.appmeshxds.translator.re2.Re2Node.Alternate;
import io.appmeshxds.translator.re2.Re2Node.Capture;
import io.appmeshxds.translator.re2.Re2Node.Concat;
import io.appmeshxds.translator.re2.Re2Node.Repeat;
import io.appmeshxds.translator.re2.Re2Node.Repetition;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The size of the program RE2 compiles a pattern into ({@code RE2::ProgramSize()}), which Envoy
 * compares with its runtime limit {@code re2.max_program_size.error_level} ({@link Re2Limit}) before
 * it accepts a {@code safe_regex}: bounded from below and from above without compiling the
 * pattern, so that a hostile pattern costs microseconds and no memory.
 *
 * <p>How: re2j's parser (which accepts the syntax RE2 accepts, Perl flavour) gives the tree; it is
 * turned into the tree RE2's parser would build ({@code com.google.re2j.Re2jTrees}), checked for
 * what RE2 rejects at parse time and re2j does not (nested counted repetitions whose counts multiply
 * beyond 1000), and walked once for a lower and an upper bound ({@link Re2Bounds}).
 *
 * <p>Checked against RE2 itself (Debian bookworm's libre2-9, RE2 2022-06-01) over a corpus of
 * header, path and hostname patterns, classes, Unicode classes and repetitions ({@code
 * Re2PeerTest}): RE2's size is never outside the bounds. Unicode property classes ({@code \pL},
 * {@code \p{Greek}}) are spelled out from Java's Unicode tables ({@link Re2UnicodeClasses}), which
 * trail RE2's by a Unicode version or two: only new characters are missing, so the lower bound
 * holds, and the upper bound gets a 10% margin ({@link Result#approximate}). Envoy links a newer RE2
 * than Debian's; its newer Unicode tables can add to a property class.
 */
public final class Re2ProgramSize {
  private Re2ProgramSize() {}

  /** Longest pattern measured. Why: re2j's parser is quadratic in a literal's length (100,000 characters take seconds). */
  static final int MAX_PATTERN_LENGTH = 4096;

  /** Most RE2 allows for the product of nested counted repetitions (its parser's own limit). */
  static final int MAX_REPEAT = 1000;

  /** The margin on the upper bound of a pattern with a Unicode property class (see the class comment). */
  static final double UNICODE_MARGIN = 0.10;

  /**
   * What RE2 makes of a pattern.
   *
   * @param lower RE2's program is at least this large (0 with an error)
   * @param upper and at most this large
   * @param error why RE2 rejects the pattern at parse time, or null
   * @param approximate Unicode property classes were counted with Java's tables (a margin on {@code upper})
   */
  public record Result(long lower, long upper, String error, boolean approximate) {
    /** Envoy accepts it under {@code limit}, whatever the exact size within the bounds. */
    public boolean fits(int limit) {
      return error == null && upper <= limit;
    }

    /** Envoy rejects it under {@code limit}: even the lower bound is over. */
    public boolean exceeds(int limit) {
      return error == null && lower > limit;
    }

    /** Neither: the limit lies within the bounds. */
    public boolean mayExceed(int limit) {
      return error == null && lower <= limit && upper > limit;
    }

    /** The size as a phrase: {@code 1342}, or {@code between 890 and 1180}. */
    public String describe() {
      return lower == upper ? Long.toString(lower) : "between " + lower + " and " + upper;
    }
  }

  /**
   * Why Envoy would refuse {@code regex} in a {@code safe_regex} under our bootstrap's limit, as a
   * phrase following the pattern ({@code "<regex>" is not a valid RE2 regular expression: …}), or
   * null. Run it before anything compiles the pattern.
   */
  public static String whyRejected(String regex) {
    Result r = of(regex);
    if (r.error() != null) {
      return "is not a valid RE2 regular expression: " + r.error();
    }
    return r.exceeds(Re2Limit.MAX_PROGRAM_SIZE) ? "is too large: " + tooLarge(r) : null;
  }

  /** Why Envoy might refuse {@code regex} (the limit lies within the bounds), or null: a warning, not an error. */
  public static String whyDoubtful(String regex) {
    Result r = of(regex);
    return r.mayExceed(Re2Limit.MAX_PROGRAM_SIZE) ? mayBeTooLarge(r) : null;
  }

  /**
   * {@code RE2 program size 1342 exceeds 1000, the limit our bootstrap sets
   * (re2.max_program_size.error_level); Envoy would reject the whole route table}.
   */
  public static String tooLarge(Result r) {
    return "RE2 program size " + (r.lower() == r.upper() ? r.describe() : "at least " + r.lower()) + " exceeds "
        + Re2Limit.MAX_PROGRAM_SIZE + ", the limit our bootstrap sets (" + Re2Limit.RUNTIME_KEY
        + "); Envoy would reject the whole route table";
  }

  /** The warning for a pattern whose bounds straddle the limit. */
  public static String mayBeTooLarge(Result r) {
    return "RE2 program size " + r.describe() + " may exceed " + Re2Limit.MAX_PROGRAM_SIZE + ", the limit our bootstrap sets ("
        + Re2Limit.RUNTIME_KEY + "); if it does, Envoy rejects the whole route table (a simpler pattern is safer)";
  }

  /** Longest part of a pattern quoted in a message. */
  static final int QUOTE_LENGTH = 120;

  /**
   * {@code pattern} in double quotes for a message, cut after {@value #QUOTE_LENGTH} characters
   * ({@code "aaaa…" (204800 characters)}). Why: a status condition or a log line must not carry a
   * 200 KB pattern.
   */
  public static String quote(String pattern) {
    return pattern.length() <= QUOTE_LENGTH ? "\"" + pattern + "\""
        : "\"" + pattern.substring(0, QUOTE_LENGTH) + "\u2026\" (" + pattern.length() + " characters)";
  }

  /** Bounds of RE2's program size for {@code pattern}, or why RE2 rejects it. Never compiles the pattern. */
  public static Result of(String pattern) {
    if (pattern.length() > MAX_PATTERN_LENGTH) {
      return new Result(0, 0, "longer than " + MAX_PATTERN_LENGTH + " characters; not measured (App Mesh took at most 255)",
          false);
    }
    Re2Node parsed;
    try {
      parsed = Re2jTrees.parse(pattern);
    } catch (PatternSyntaxException e) {
      return new Result(0, 0, e.getDescription(), false);
    }
    String repeat = nestedRepeat(parsed);
    if (repeat != null) {
      return new Result(0, 0, repeat, false);
    }
    Re2UnicodeClasses.Expanded expanded = Re2UnicodeClasses.expand(pattern);
    if (expanded.unicode()) {
      try {
        parsed = Re2jTrees.parse(expanded.pattern());
      } catch (PatternSyntaxException e) {
        // keep re2j's own tables for this one
      }
    }
    Re2Bounds.Bounds b = Re2Bounds.of(parsed);
    long upper = expanded.unicode() ? (long) Math.ceil(b.upper() * (1 + UNICODE_MARGIN)) : b.upper();
    return new Result(b.lower(), Math.max(b.lower(), upper), null, expanded.unicode());
  }

  /**
   * RE2's parser rejects a counted repetition whose count (the maximum, or the minimum when
   * unbounded) multiplied by the counts of the counted repetitions inside it exceeds 1000 ("invalid
   * repetition size"); re2j checks each count alone. RE2 checks each repetition as it parses it,
   * operands first, so the message names the first one, in that order, that goes over. Null when
   * none does.
   */
  private static String nestedRepeat(Re2Node re) {
    String[] error = new String[1];
    copies(re, new IdentityHashMap<>(), error);
    return error[0];
  }

  /** The largest product of nested counts below and at {@code re} (saturated past the limit). */
  private static long copies(Re2Node re, Map<Re2Node, Long> memo, String[] error) {
    Long known = memo.get(re);
    if (known != null || error[0] != null) {
      return known == null ? 0 : known;
    }
    long below = 1;
    if (re instanceof Repeat r) {
      below = copies(r.sub(), memo, error);
    } else if (re instanceof Capture c) {
      below = copies(c.sub(), memo, error);
    } else if (re instanceof Repetition r) {
      below = copies(r.sub(), memo, error);
    } else if (re instanceof Concat || re instanceof Alternate) {
      for (Re2Node s : re instanceof Concat c ? c.subs() : ((Alternate) re).subs()) {
        below = Math.max(below, copies(s, memo, error));
      }
    }
    long out = below;
    if (re instanceof Repeat r) {
      int m = r.max() >= 0 ? r.max() : r.min();
      out = m > 0 ? Math.min(below * m, MAX_REPEAT + 1L) : below;
      if (out > MAX_REPEAT && error[0] == null) {
        error[0] = "invalid repetition size: {" + r.min() + (r.max() == r.min() ? "" : "," + (r.max() < 0 ? "" : r.max()))
            + "} with the counted repetitions inside it makes more than " + MAX_REPEAT + " copies (RE2 rejects it)";
      }
    }
    memo.put(re, out);
    return out;
  }
}
