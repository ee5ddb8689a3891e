package io.appmeshxds.translator.re2;

import com.google.re2j.PatternSyntaxException;
import com.google.re2j.Re2jTrees;
import io.appmeshxds.translator.re2.Re2Node.AnyChar;
import io.appmeshxds.translator.re2.Re2Node.Alternate;
import io.appmeshxds.translator.re2.Re2Node.Capture;
import io.appmeshxds.translator.re2.Re2Node.CharClass;
import io.appmeshxds.translator.re2.Re2Node.Concat;
import io.appmeshxds.translator.re2.Re2Node.EmptyWidth;
import io.appmeshxds.translator.re2.Re2Node.Literal;
import io.appmeshxds.translator.re2.Re2Node.NoMatch;
import io.appmeshxds.translator.re2.Re2Node.Repeat;
import io.appmeshxds.translator.re2.Re2Node.Repetition;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The size of the program RE2 compiles a pattern into ({@code RE2::ProgramSize()}), which Envoy
 * compares with its runtime limit {@code re2.max_program_size.error_level} ({@link Re2Limit}) before
 * it accepts a {@code safe_regex}; computed without compiling the pattern, so that a hostile
 * pattern costs microseconds and no memory.
 *
 * <p>How: re2j's parser (which accepts the syntax RE2 accepts, Perl flavour) gives the tree; it is
 * turned into the tree RE2's parser would build ({@code com.google.re2j.Re2jTrees}), checked for
 * what RE2 rejects at parse time and re2j does not (nested counted repetitions whose counts multiply
 * beyond 1000), simplified as RE2 simplifies it ({@link Re2Simplifier}), bounded from below with
 * saturating arithmetic (a tree walk: byte ranges, captures, assertions; a counted repetition
 * multiplies), and when that bound is small, built as a model of RE2's automaton and counted the way
 * RE2 flattens it ({@link Re2Program}).
 *
 * <p>Calibrated against RE2 2022-06-01 (Debian bookworm's libre2-9) over a corpus of header, path and
 * hostname patterns, classes, Unicode classes and repetitions ({@code Re2ProgramSizeTest}, with RE2
 * itself as a test peer): exact wherever no Unicode property class ({@code \pL}, {@code
 * \p{Greek}}) is involved. Those are spelled out from Java's Unicode tables ({@link
 * Re2UnicodeClasses}), which trail RE2's by a Unicode version or two, so their classes come out up
 * to 6% small; a pattern with one is therefore counted with a 10% margin ({@link Result#approximate}):
 * never below RE2 on the corpus, at most that much above. Envoy links a newer RE2 than Debian's (its
 * {@code bazel/repository_locations.bzl} pins one per release): RE2's compiler has kept these shapes
 * for years, but a release that changes them can move a size by a few instructions, and its newer
 * Unicode tables can add to a property class. What RE2 builds and this model does not know (the
 * any-byte escape {@code \C}, which re2j rejects anyway) is not counted.
 */
public final class Re2ProgramSize {
  private Re2ProgramSize() {}

  /**
   * Above this many byte ranges, captures and assertions, the lower bound is the answer: far past
   * any limit Envoy is given, and not worth building.
   */
  static final int BUILD_BOUND = 20_000;

  /** Most instructions the model builds (alternations and no-ops included). */
  static final int BUILD_CAP = 200_000;

  /** Longest pattern measured. Why: re2j's parser is quadratic in a literal's length (100,000 characters take seconds). */
  static final int MAX_PATTERN_LENGTH = 4096;

  /** Most RE2 allows for the product of nested counted repetitions (its parser's own limit). */
  static final int MAX_REPEAT = 1000;

  /**
   * What RE2 makes of a pattern.
   *
   * @param size the program size, or a lower bound of it when {@code atLeast}; 0 with an error
   * @param atLeast the pattern is far larger than any limit; {@code size} is a lower bound
   * @param error why RE2 rejects the pattern at parse time, or null
   * @param approximate Unicode property classes were counted with Java's tables and a 10% margin
   */
  public record Result(int size, boolean atLeast, String error, boolean approximate) {
    Result(int size, boolean atLeast, String error) {
      this(size, atLeast, error, false);
    }

    /** Whether Envoy would accept it under a limit of {@code limit}. */
    public boolean fits(int limit) {
      return error == null && !atLeast && size <= limit;
    }

    /** The size as a phrase: {@code 1342}, {@code at least 25000}, {@code about 1242}. */
    public String describe() {
      return atLeast ? "at least " + size : approximate ? "about " + size : Integer.toString(size);
    }
  }

  /**
   * Why Envoy would refuse {@code regex} in a {@code safe_regex} under our bootstrap's limit, as a
   * phrase following the pattern ({@code "<regex>" is not a valid RE2 regular expression: …}), or null.
   * Run it before anything compiles the pattern.
   */
  public static String whyRejected(String regex) {
    Result r = of(regex);
    if (r.error() != null) {
      return "is not a valid RE2 regular expression: " + r.error();
    }
    return r.fits(Re2Limit.MAX_PROGRAM_SIZE) ? null : "is too large: " + tooLarge(r);
  }

  /**
   * {@code RE2 program size 1342 exceeds 1000, the limit our bootstrap sets
   * (re2.max_program_size.error_level); Envoy would reject the whole route table}.
   */
  public static String tooLarge(Result r) {
    return "RE2 program size " + r.describe() + " exceeds " + Re2Limit.MAX_PROGRAM_SIZE + ", the limit our bootstrap sets ("
        + Re2Limit.RUNTIME_KEY + "); Envoy would reject the whole route table"
        + (r.approximate() ? " (Unicode property classes counted with a 10% margin)" : "");
  }

  /** RE2's program size of {@code pattern}, or why RE2 rejects it. Never compiles the pattern. */
  public static Result of(String pattern) {
    if (pattern.length() > MAX_PATTERN_LENGTH) {
      return new Result(0, false, "longer than " + MAX_PATTERN_LENGTH + " characters; not measured (App Mesh took at most 255)");
    }
    Re2Node parsed;
    try {
      parsed = Re2jTrees.parse(pattern);
    } catch (PatternSyntaxException e) {
      return new Result(0, false, e.getDescription());
    }
    Re2UnicodeClasses.Expanded expanded = Re2UnicodeClasses.expand(pattern);
    if (expanded.unicode()) {
      try {
        parsed = Re2jTrees.parse(expanded.pattern());
      } catch (PatternSyntaxException e) {
        // keep re2j's own tables for this one
      }
    }
    Result r = measure(parsed);
    if (!expanded.unicode() || r.error() != null || r.atLeast()) {
      return r; // a lower bound stays one: Java's classes are no larger than RE2's
    }
    return new Result((int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(r.size() * (1 + UNICODE_MARGIN))), r.atLeast(),
        null, !r.atLeast());
  }

  /** The margin on a pattern with a Unicode property class (see the class comment). */
  static final double UNICODE_MARGIN = 0.10;

  private static Result measure(Re2Node parsed) {
    String repeat = nestedRepeat(parsed);
    if (repeat != null) {
      return new Result(0, false, repeat);
    }
    Re2Simplifier.Prepared p = Re2Simplifier.prepare(parsed);
    Bound b = bound(p.node(), new IdentityHashMap<>());
    long lower = b.matchable() ? saturated(b.count() + 2) : 1;
    if (lower > BUILD_BOUND) {
      return new Result((int) Math.min(lower, Integer.MAX_VALUE), true, null);
    }
    try {
      return new Result(Re2Program.size(p, BUILD_CAP), false, null);
    } catch (Re2Program.TooLarge e) {
      return new Result((int) Math.max(lower, BUILD_BOUND), true, null);
    }
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

  /** Byte ranges, captures and assertions the program holds at least; whether it can match at all. */
  private record Bound(long count, boolean matchable) {}

  private static final long SATURATED = Long.MAX_VALUE / 4;

  private static long saturated(long v) {
    return Math.min(v, SATURATED);
  }

  private static long times(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > SATURATED / b ? SATURATED : a * b;
  }

  private static Bound bound(Re2Node re, Map<Re2Node, Bound> memo) {
    Bound known = memo.get(re);
    if (known != null) {
      return known;
    }
    Bound out;
    if (re instanceof NoMatch) {
      out = new Bound(0, false);
    } else if (re instanceof Literal l) {
      long bytes = 0;
      for (int r : l.runes()) {
        bytes += Re2Utf8.encode(r).length;
      }
      out = new Bound(bytes, true);
    } else if (re instanceof CharClass || re instanceof AnyChar) {
      out = new Bound(Re2Program.classRanges(re), true);
    } else if (re instanceof EmptyWidth) {
      out = new Bound(1, true);
    } else if (re instanceof Capture c) {
      Bound s = bound(c.sub(), memo);
      out = s.matchable() ? new Bound(saturated(s.count() + 2), true) : s;
    } else if (re instanceof Repetition r) {
      Bound s = bound(r.sub(), memo);
      out = r.op() == Repetition.Op.PLUS ? s : new Bound(s.count(), true);
    } else if (re instanceof Repeat r) {
      Bound s = bound(r.sub(), memo);
      long copies = r.max() < 0 ? Math.max(r.min(), 1) : r.max();
      out = s.matchable() ? new Bound(times(s.count(), copies), true) : new Bound(0, r.min() == 0);
    } else if (re instanceof Concat c) {
      long sum = 0;
      boolean matchable = true;
      for (Re2Node s : c.subs()) {
        Bound b = bound(s, memo);
        matchable &= b.matchable();
        sum = saturated(sum + b.count());
      }
      out = matchable ? new Bound(sum, true) : new Bound(0, false);
    } else if (re instanceof Alternate a) {
      long sum = 0;
      boolean matchable = false;
      for (Re2Node s : a.subs()) {
        Bound b = bound(s, memo);
        if (b.matchable()) {
          matchable = true;
          sum = saturated(sum + b.count());
        }
      }
      out = new Bound(sum, matchable);
    } else {
      out = new Bound(0, true); // the empty string
    }
    memo.put(re, out);
    return out;
  }
}
