package com.google.re2j;

import io.appmeshxds.translator.re2.Re2Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * re2j's parse tree, as RE2's parser would have left it ({@link Re2Node}), without compiling
 * anything.
 *
 * <p>Why this class lives in re2j's package: re2j's parser ({@code Parser.parse}) and its tree
 * ({@code Regexp}: {@code op}, {@code subs}, {@code runes}, {@code min}, {@code max}, {@code flags})
 * are package-private, and {@code Pattern.compile} would build the whole program, which is what a
 * hostile pattern must not get to do. re2j's jar is neither sealed nor a named module, so a class
 * of ours in its package is allowed on the class path; it only reads.
 *
 * <p>Where RE2's parser (C++) builds a different tree than re2j's (Go's design), this follows
 * RE2's: a case-folded rune whose fold orbit is more than an ASCII letter pair becomes a class of
 * its orbit; a repetition operator applied to a repetition ({@code (?:a+)?}) is squashed as RE2
 * does ({@code a*}); {@code .} is the class {@code [^\n]}.
 */
public final class Re2jTrees {
  private Re2jTrees() {}

  /** Perl syntax with Unicode groups: what RE2 (and so Envoy) accepts by default. */
  private static final int FLAGS = RE2.PERL;

  /**
   * The tree of {@code pattern}.
   *
   * @throws PatternSyntaxException when re2j rejects it
   */
  public static Re2Node parse(String pattern) {
    return convert(Parser.parse(pattern, FLAGS));
  }

  private static Re2Node convert(Regexp re) {
    switch (re.op) {
      case NO_MATCH:
        return new Re2Node.NoMatch();
      case EMPTY_MATCH:
        return new Re2Node.EmptyMatch();
      case LITERAL:
        return literal(re.runes, (re.flags & RE2.FOLD_CASE) != 0);
      case CHAR_CLASS:
        return charClass(re.runes);
      case ANY_CHAR_NOT_NL:
        return new Re2Node.CharClass(new int[] {0, '\n' - 1, '\n' + 1, Unicode.MAX_RUNE});
      case ANY_CHAR:
        return new Re2Node.AnyChar();
      case BEGIN_LINE:
        return new Re2Node.EmptyWidth(Re2Node.EmptyWidth.Kind.BEGIN_LINE);
      case END_LINE:
        return new Re2Node.EmptyWidth(Re2Node.EmptyWidth.Kind.END_LINE);
      case BEGIN_TEXT:
        return new Re2Node.EmptyWidth(Re2Node.EmptyWidth.Kind.BEGIN_TEXT);
      case END_TEXT:
        return new Re2Node.EmptyWidth(Re2Node.EmptyWidth.Kind.END_TEXT);
      case WORD_BOUNDARY:
        return new Re2Node.EmptyWidth(Re2Node.EmptyWidth.Kind.WORD_BOUNDARY);
      case NO_WORD_BOUNDARY:
        return new Re2Node.EmptyWidth(Re2Node.EmptyWidth.Kind.NO_WORD_BOUNDARY);
      case CAPTURE:
        return new Re2Node.Capture(convert(re.subs[0]));
      case STAR:
        return repetition(Re2Node.Repetition.Op.STAR, re);
      case PLUS:
        return repetition(Re2Node.Repetition.Op.PLUS, re);
      case QUEST:
        return repetition(Re2Node.Repetition.Op.QUEST, re);
      case REPEAT:
        return new Re2Node.Repeat(convert(re.subs[0]), re.min, re.max, (re.flags & RE2.NON_GREEDY) != 0);
      case CONCAT: {
        List<Re2Node> subs = new ArrayList<>();
        for (Regexp s : re.subs) {
          subs.add(convert(s));
        }
        return new Re2Node.Concat(mergeLiterals(subs));
      }
      case ALTERNATE: {
        List<Re2Node> subs = new ArrayList<>();
        for (Regexp s : re.subs) {
          subs.add(convert(s));
        }
        return new Re2Node.Alternate(subs);
      }
      default:
        throw new IllegalStateException("unexpected re2j op " + re.op);
    }
  }

  /**
   * RE2's parser squashes a repetition operator applied to a repetition: the same operator and
   * greediness is the sub itself, any other mix of {@code * + ?} is {@code *}.
   */
  private static Re2Node repetition(Re2Node.Repetition.Op op, Regexp re) {
    boolean nonGreedy = (re.flags & RE2.NON_GREEDY) != 0;
    Re2Node sub = convert(re.subs[0]);
    if (sub instanceof Re2Node.Repetition r && r.nonGreedy() == nonGreedy) {
      return r.op() == op ? r : new Re2Node.Repetition(Re2Node.Repetition.Op.STAR, r.sub(), nonGreedy);
    }
    return new Re2Node.Repetition(op, sub, nonGreedy);
  }

  /**
   * Literal runes as RE2's parser pushes them: with case folding, a rune whose fold orbit is just
   * itself or an ASCII letter pair stays a (folded) literal, any other becomes a class of its orbit.
   */
  private static Re2Node literal(int[] runes, boolean fold) {
    if (!fold) {
      return new Re2Node.Literal(runes.clone(), false);
    }
    List<Re2Node> parts = new ArrayList<>();
    List<Integer> run = new ArrayList<>();
    for (int r : runes) {
      TreeSet<Integer> orbit = orbit(r);
      if (orbit.size() == 1 || orbit.size() == 2 && orbit.first() >= 'A' && orbit.first() <= 'Z'
          && orbit.last() == orbit.first() + ('a' - 'A')) {
        run.add(orbit.size() == 1 ? r : orbit.last());
        continue;
      }
      if (!run.isEmpty()) {
        parts.add(new Re2Node.Literal(run.stream().mapToInt(Integer::intValue).toArray(), true));
        run.clear();
      }
      int[] ranges = new int[orbit.size() * 2];
      int i = 0;
      for (int o : orbit) {
        ranges[i++] = o;
        ranges[i++] = o;
      }
      parts.add(charClass(ranges));
    }
    if (!run.isEmpty()) {
      parts.add(new Re2Node.Literal(run.stream().mapToInt(Integer::intValue).toArray(), true));
    }
    return parts.size() == 1 ? parts.get(0) : new Re2Node.Concat(parts);
  }

  private static TreeSet<Integer> orbit(int r) {
    TreeSet<Integer> out = new TreeSet<>();
    out.add(r);
    for (int f = Unicode.simpleFold(r); f != r && out.add(f); f = Unicode.simpleFold(f)) {
      // follow the orbit
    }
    return out;
  }

  /**
   * A class as RE2's parser pushes it: one code point is a literal, an ASCII letter and its other
   * case a folded literal; ranges sorted and merged.
   */
  private static Re2Node charClass(int[] pairs) {
    int[] ranges = normalize(pairs);
    long count = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      count += ranges[i + 1] - ranges[i] + 1L;
    }
    if (count == 1) {
      return new Re2Node.Literal(new int[] {ranges[0]}, false);
    }
    if (count == 2 && ranges.length == 4 && ranges[0] == ranges[1] && ranges[0] >= 'A' && ranges[0] <= 'Z'
        && ranges[2] == ranges[0] + ('a' - 'A')) {
      return new Re2Node.Literal(new int[] {ranges[2]}, true);
    }
    return new Re2Node.CharClass(ranges);
  }

  private static int[] normalize(int[] pairs) {
    int n = pairs.length / 2;
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = ((long) pairs[2 * i] << 32) | (pairs[2 * i + 1] & 0xffffffffL);
    }
    Arrays.sort(packed);
    int[] out = new int[pairs.length];
    int k = 0;
    for (long p : packed) {
      int lo = (int) (p >> 32);
      int hi = (int) p;
      if (k > 0 && lo <= out[k - 1] + 1) {
        out[k - 1] = Math.max(out[k - 1], hi);
      } else {
        out[k++] = lo;
        out[k++] = hi;
      }
    }
    return Arrays.copyOf(out, k);
  }

  /** Adjacent literals with the same folding are one literal string, as in RE2's parser. */
  private static List<Re2Node> mergeLiterals(List<Re2Node> subs) {
    List<Re2Node> flat = new ArrayList<>();
    for (Re2Node s : subs) {
      if (s instanceof Re2Node.Concat c && c.subs().stream().allMatch(x -> x instanceof Re2Node.Literal
          || x instanceof Re2Node.CharClass)) {
        flat.addAll(c.subs()); // the pieces of one folded literal
      } else {
        flat.add(s);
      }
    }
    List<Re2Node> out = new ArrayList<>();
    for (Re2Node s : flat) {
      if (s instanceof Re2Node.Literal b && !out.isEmpty() && out.get(out.size() - 1) instanceof Re2Node.Literal a
          && a.fold() == b.fold()) {
        int[] runes = Arrays.copyOf(a.runes(), a.runes().length + b.runes().length);
        System.arraycopy(b.runes(), 0, runes, a.runes().length, b.runes().length);
        out.set(out.size() - 1, new Re2Node.Literal(runes, a.fold()));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
