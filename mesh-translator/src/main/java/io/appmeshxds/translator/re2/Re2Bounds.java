package io.appmeshxds.translator.re2;

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
import java.util.List;
import java.util.Map;

/**
 * A lower and an upper bound of the number of instructions RE2 compiles a parsed pattern into,
 * from a walk over the tree (each shared subtree once, saturating arithmetic, so a count in the
 * billions costs nothing).
 *
 * <p>The model, in our own terms: RE2 runs a pattern as an automaton over UTF-8 bytes. Each byte a
 * literal needs is one instruction (an ASCII letter matched case-insensitively too); a class is one
 * instruction per byte position of each UTF-8 byte-range sequence that spells it, fewer where
 * sequences share leading or trailing ranges; a group adds two instructions (its two capture
 * points), an assertion one; {@code x{n,m}} is {@code n} copies of {@code x} and {@code m - n}
 * optional ones. Where the branches of an alternation or a loop meet, RE2's final form may add a
 * jump, so the upper bound allows two per branch or loop. The program adds its match and fail
 * instructions and, unless anchored, a loop over any byte in front. What can only make RE2's
 * program smaller is left out of the lower bound: anchors it takes out of the program, repetitions
 * of one character that it merges with their neighbours ({@code a*a} is one {@code a+}), shared
 * UTF-8 suffixes, upper and lower case letters it folds into one range.
 *
 * <p>Both bounds are checked against RE2 itself over a corpus ({@code Re2PeerTest}); they are
 * equal for the common shapes (literals, ASCII classes, groups, counted repetitions without
 * alternatives), and apart by the jumps and the UTF-8 sharing elsewhere.
 */
final class Re2Bounds {
  private Re2Bounds() {}

  /** Bounds of a whole program. */
  record Bounds(long lower, long upper) {}

  /**
   * Bounds of a subtree; {@code matchable} false when it can match nothing (an empty class in it);
   * {@code branches} whether it holds an alternation or a loop (where RE2 may add a jump).
   */
  private record Cost(long lower, long upper, boolean matchable, boolean branches) {
    Cost(long lower, long upper, boolean matchable) {
      this(lower, upper, matchable, false);
    }
  }

  static final long SATURATED = Long.MAX_VALUE / 4;

  /** The bounds for {@code root}, the tree of a whole pattern. */
  static Bounds of(Re2Node root) {
    Map<Re2Node, Cost> memo = new IdentityHashMap<>();
    Cost c = cost(root, memo);
    // A literal right after a leading ^ is matched outside the program (RE2's "required prefix").
    long prefix = 0;
    if (root instanceof Concat cat && cat.subs().size() > 1 && cat.subs().get(0) instanceof EmptyWidth w
        && w.kind() == EmptyWidth.Kind.BEGIN_TEXT && cat.subs().get(1) instanceof Literal l) {
      prefix = cost(l, memo).lower();
    }
    // Match and fail, and unless anchored at the start the loop over any byte in front (two more).
    boolean anchored = startsAnchored(root);
    long overhead = anchored ? 2 : 4;
    long lower = c.matchable() ? add(c.lower() - prefix, overhead) : 1;
    long upper = add(c.upper(), overhead + (c.branches() ? 2 : 0));
    return new Bounds(lower, Math.max(lower, upper));
  }

  /** Whether every way through the pattern starts with {@code ^} (RE2 then needs no loop in front). */
  private static boolean startsAnchored(Re2Node root) {
    Re2Node first = leading(root);
    if (first instanceof Alternate a) {
      return !a.subs().isEmpty() && a.subs().stream().allMatch(Re2Bounds::startsAnchored);
    }
    if (first instanceof Capture c) {
      return startsAnchored(c.sub());
    }
    return first instanceof EmptyWidth w && w.kind() == EmptyWidth.Kind.BEGIN_TEXT;
  }

  private static Cost cost(Re2Node re, Map<Re2Node, Cost> memo) {
    Cost known = memo.get(re);
    if (known != null) {
      return known;
    }
    Cost out;
    if (re instanceof NoMatch) {
      out = new Cost(0, 0, false);
    } else if (re instanceof Literal l) {
      long bytes = 0;
      for (int r : l.runes()) {
        bytes += Re2Utf8.encode(r).length;
      }
      out = new Cost(bytes, bytes, true);
    } else if (re instanceof CharClass c) {
      out = classCost(c.ranges());
    } else if (re instanceof AnyChar) {
      out = classCost(new int[] {0, Re2Utf8.MAX_RUNE});
    } else if (re instanceof EmptyWidth) {
      out = new Cost(0, 1, true);
    } else if (re instanceof Capture c) {
      Cost s = cost(c.sub(), memo);
      out = new Cost(add(s.lower(), 2), add(s.upper(), 2), s.matchable(), s.branches());
    } else if (re instanceof Repetition r) {
      Cost s = cost(r.sub(), memo);
      out = new Cost(s.matchable() ? s.lower() : 0, add(s.upper(), 2), s.matchable() || r.op() != Repetition.Op.PLUS, true);
    } else if (re instanceof Repeat r) {
      out = repeat(r, cost(r.sub(), memo));
    } else if (re instanceof Concat c) {
      out = sum(c.subs(), memo, 0);
    } else if (re instanceof Alternate a) {
      out = sum(a.subs(), memo, 2);
    } else {
      out = new Cost(0, 1, true); // the empty string
    }
    memo.put(re, out);
    return out;
  }

  /**
   * A concatenation ({@code perBranch} 0: all must match) or an alternation (one must). RE2 takes a
   * leading assertion shared by alternatives out ({@code ^a|^b} is {@code ^(?:a|b)}) and then what
   * they share after it, which re2j's tree does not show: an alternation with such a branch is at
   * least its largest branch.
   */
  private static Cost sum(List<Re2Node> subs, Map<Re2Node, Cost> memo, long perBranch) {
    boolean alternation = perBranch > 0;
    long lower = 0;
    long largest = 0;
    long upper = 0;
    boolean matchable = !alternation;
    boolean branches = alternation;
    boolean leadingAssertion = false;
    for (int i = 0; i < subs.size(); i++) {
      Re2Node s = subs.get(i);
      Cost c = cost(s, memo);
      if (!alternation && (i > 0 && mayMerge(subs.get(i - 1), s) || i + 1 < subs.size() && mayMerge(s, subs.get(i + 1)))) {
        c = new Cost(mergedLower(s, c, memo), c.upper(), c.matchable(), c.branches());
      }
      branches |= c.branches();
      if (alternation && !c.matchable()) {
        continue;
      }
      matchable = alternation ? true : matchable && c.matchable();
      leadingAssertion |= leading(s) instanceof EmptyWidth;
      lower = add(lower, c.lower());
      largest = Math.max(largest, c.lower());
      upper = add(upper, add(c.upper(), perBranch));
    }
    if (alternation && leadingAssertion) {
      lower = largest;
    }
    return matchable ? new Cost(lower, upper, true, branches) : new Cost(0, upper, false, branches);
  }

  private static Re2Node leading(Re2Node n) {
    while (n instanceof Concat c && !c.subs().isEmpty()) {
      n = c.subs().get(0);
    }
    return n;
  }

  /** {@code x{min,max}} ({@code max} -1: unbounded) from the cost of {@code x}. */
  private static Cost repeat(Repeat r, Cost x) {
    if (!x.matchable()) {
      return new Cost(0, 1, r.min() == 0, false);
    }
    long lower;
    long upper;
    if (r.max() < 0) {
      // x{0,} is x*, x{1,} is x+, x{n,} is n-1 copies and x+.
      lower = times(x.lower(), Math.max(r.min(), 1));
      upper = add(times(x.upper(), Math.max(r.min(), 1)), 2);
    } else {
      lower = times(x.lower(), r.max());
      upper = add(times(x.upper(), r.max()), times(2, r.max() - r.min()));
    }
    return new Cost(lower, upper, true, r.max() != r.min() || x.branches());
  }

  /** A literal character, a class or any character: what RE2 merges with an equal neighbour's repetition. */
  private static boolean oneCharacter(Re2Node n) {
    return n instanceof CharClass || n instanceof AnyChar || n instanceof Literal l && l.runes().length == 1;
  }

  /**
   * Whether RE2 may merge neighbours {@code a} and {@code b} of a concatenation into one repetition
   * ({@code a*a} is {@code a+}, {@code a{2}a*} is {@code a{2,}}): a repetition of one character
   * next to a repetition of, or a literal with, the same character.
   */
  private static boolean mayMerge(Re2Node a, Re2Node b) {
    boolean ra = repeatedCharacter(a) != null;
    boolean rb = repeatedCharacter(b) != null;
    if (!ra && !rb) {
      return false;
    }
    java.util.Set<String> left = characters(a);
    for (String k : characters(b)) {
      if (left.contains(k)) {
        return true;
      }
    }
    return false;
  }

  /** The character a repetition of one character repeats, or null. */
  private static Re2Node repeatedCharacter(Re2Node n) {
    Re2Node sub = n instanceof Repetition r ? r.sub() : n instanceof Repeat r ? r.sub() : null;
    return sub != null && oneCharacter(sub) ? sub : null;
  }

  /** Keys of the characters a node may merge on: its repeated character, or a literal's runes. */
  private static java.util.Set<String> characters(Re2Node n) {
    Re2Node c = repeatedCharacter(n);
    java.util.Set<String> out = new java.util.HashSet<>();
    if (c != null) {
      out.add(key(c));
    } else if (n instanceof Literal l) {
      for (int r : l.runes()) {
        out.add("L" + r + l.fold());
      }
    } else if (oneCharacter(n)) {
      out.add(key(n));
    }
    return out;
  }

  private static String key(Re2Node c) {
    if (c instanceof Literal l) {
      return "L" + l.runes()[0] + l.fold();
    }
    return c instanceof CharClass cc ? "C" + java.util.Arrays.toString(cc.ranges()) : "A";
  }

  /**
   * The lower bound of a node that may merge with a neighbour: its mandatory copies only (a merged
   * {@code x*} or {@code x?} may vanish into the neighbour's repetition).
   */
  private static long mergedLower(Re2Node n, Cost c, Map<Re2Node, Cost> memo) {
    if (n instanceof Repetition r) {
      return r.op() == Repetition.Op.PLUS ? c.lower() : 0;
    }
    if (n instanceof Repeat r && c.matchable()) {
      return times(cost(r.sub(), memo).lower(), r.min());
    }
    return c.lower();
  }

  /**
   * A class: the upper bound spells each UTF-8 byte-range sequence of each range out (an ASCII
   * range is one instruction); the lower bound allows RE2's sharing: ASCII ranges folded in pairs,
   * and for the longer encodings one lead instruction per encoding length present plus the
   * trailing bytes of the longest, which the others may share.
   */
  private static Cost classCost(int[] ranges) {
    if (ranges.length == 0) {
      return new Cost(0, 0, false);
    }
    long ascii = 0;
    long upper = 0;
    boolean[] lengths = new boolean[5];
    for (int i = 0; i < ranges.length; i += 2) {
      int lo = ranges[i];
      int hi = ranges[i + 1];
      if (lo <= 0x7F) {
        ascii++;
        upper++;
        if (hi <= 0x7F) {
          continue;
        }
        lo = 0x80;
      }
      for (int n = 2; n <= 4 && lo <= hi; n++) {
        int top = n == 4 ? Re2Utf8.MAX_RUNE : Re2Utf8.maxRune(n);
        if (lo > top) {
          continue;
        }
        int end = Math.min(hi, top);
        lengths[n] = true;
        upper = add(upper, times(n, Re2Utf8.sequences(lo, end, n)));
        lo = end + 1;
      }
    }
    long lower = Math.max(0, ascii - foldPairs(ranges));
    int multi = 0;
    int longest = 1;
    for (int n = 2; n <= 4; n++) {
      if (lengths[n]) {
        multi++;
        longest = n;
      }
    }
    // A lead byte range per encoding length, and the trailing bytes of the longest encoding: a
    // character of n bytes passes n distinct instructions, whatever is shared.
    lower += multi == 0 ? 0 : multi + longest - 1;
    return new Cost(Math.max(1, lower), upper, true);
  }

  /**
   * Lower-case ASCII letter ranges whose upper-case image overlaps another range of the class: RE2
   * may match such a pair with one case-folding instruction (a single range holding both cases is
   * one instruction already).
   */
  private static int foldPairs(int[] ranges) {
    int pairs = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      int lo = Math.max(ranges[i], 'a');
      int hi = Math.min(ranges[i + 1], 'z');
      if (lo > hi) {
        continue;
      }
      for (int j = 0; j < ranges.length; j += 2) {
        if (j != i && ranges[j] <= hi - 32 && ranges[j + 1] >= lo - 32) {
          pairs++;
          break;
        }
      }
    }
    return pairs;
  }

  static long add(long a, long b) {
    return Math.min(SATURATED, a + b);
  }

  static long times(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > SATURATED / b ? SATURATED : Math.min(SATURATED, a * b);
  }
}
