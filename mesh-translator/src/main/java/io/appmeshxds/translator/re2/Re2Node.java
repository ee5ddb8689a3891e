package io.appmeshxds.translator.re2;

import java.util.List;

/**
 * A parsed pattern as RE2's own parser leaves it (its rewrites applied: a case-folded letter is an
 * ASCII-folded literal or a class of its fold orbit, a repetition of a repetition is squashed, {@code .}
 * is the class {@code [^\n]}), before RE2's simplification. Built from re2j's parse tree by
 * {@code com.google.re2j.Re2jTrees}; a subtree may be shared (repetitions refer to one sub).
 */
public sealed interface Re2Node {

  /** Matches nothing (an empty class). */
  record NoMatch() implements Re2Node {}

  /** Matches the empty string. */
  record EmptyMatch() implements Re2Node {}

  /**
   * A literal string.
   *
   * @param runes code points, at least one
   * @param fold RE2's FoldCase flag (ASCII letters match either case)
   */
  record Literal(int[] runes, boolean fold) implements Re2Node {}

  /** A character class: sorted, disjoint, non-adjacent {@code [lo, hi]} code point pairs. */
  record CharClass(int[] ranges) implements Re2Node {}

  /** Any code point. */
  record AnyChar() implements Re2Node {}

  /** An empty-width assertion. */
  record EmptyWidth(Kind kind) implements Re2Node {
    /** Which assertion. */
    public enum Kind {
      BEGIN_LINE,
      END_LINE,
      BEGIN_TEXT,
      END_TEXT,
      WORD_BOUNDARY,
      NO_WORD_BOUNDARY
    }
  }

  /** A capturing group. */
  record Capture(Re2Node sub) implements Re2Node {}

  /** {@code x*}, {@code x+}, {@code x?}. */
  record Repetition(Op op, Re2Node sub, boolean nonGreedy) implements Re2Node {
    /** Which. */
    public enum Op {
      STAR,
      PLUS,
      QUEST
    }
  }

  /** {@code x{min,max}}; {@code max} -1 when unbounded. */
  record Repeat(Re2Node sub, int min, int max, boolean nonGreedy) implements Re2Node {}

  /** Concatenation. */
  record Concat(List<Re2Node> subs) implements Re2Node {
    public Concat {
      subs = List.copyOf(subs);
    }
  }

  /** Alternation, in order. */
  record Alternate(List<Re2Node> subs) implements Re2Node {
    public Alternate {
      subs = List.copyOf(subs);
    }
  }
}
