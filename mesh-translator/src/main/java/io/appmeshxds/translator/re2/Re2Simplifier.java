package io.appmeshxds.translator.re2;

import io.appmeshxds.translator.re2.Re2Node.AnyChar;
import io.appmeshxds.translator.re2.Re2Node.Alternate;
import io.appmeshxds.translator.re2.Re2Node.Capture;
import io.appmeshxds.translator.re2.Re2Node.CharClass;
import io.appmeshxds.translator.re2.Re2Node.Concat;
import io.appmeshxds.translator.re2.Re2Node.EmptyMatch;
import io.appmeshxds.translator.re2.Re2Node.EmptyWidth;
import io.appmeshxds.translator.re2.Re2Node.Literal;
import io.appmeshxds.translator.re2.Re2Node.NoMatch;
import io.appmeshxds.translator.re2.Re2Node.Repeat;
import io.appmeshxds.translator.re2.Re2Node.Repetition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What RE2 does to a parsed pattern before compiling it, as rules on {@link Re2Node}s:
 *
 * <ul>
 *   <li>the required literal prefix: {@code ^literal…} is matched outside the program, so the
 *       literal (with the {@code ^}) is cut off;
 *   <li>coalescing: in a concatenation, {@code x*}, {@code x+}, {@code x?} or {@code x{n,m}} of a
 *       literal rune, class or any-char followed by another repetition of the same thing, by that
 *       thing itself, or (for a rune) by a literal string starting with it, become one counted
 *       repetition ({@code a*a} is {@code a{1,}});
 *   <li>simplification: {@code x{n,m}} is {@code n} copies of {@code x} followed by {@code m - n}
 *       nested optional copies ({@code x{2,5}} = {@code xx(x(x(x)?)?)?}), {@code x{n,}} is {@code
 *       n - 1} copies and {@code x+}, {@code x{0}} the empty string; a repetition of the empty
 *       string is the empty string; a repetition of the same repetition is itself; an empty class
 *       matches nothing, a full class is any character;
 *   <li>anchors: a leading {@code ^} and a trailing {@code $} (also inside the first and last
 *       pieces, up to four levels deep) are taken out and kept as flags of the program.
 * </ul>
 *
 * Repetitions are expanded lazily by the compiler, so a large count costs nothing here.
 */
final class Re2Simplifier {
  private Re2Simplifier() {}

  /** A pattern ready to compile: its tree and whether it is anchored at the start and at the end. */
  record Prepared(Re2Node node, boolean anchorStart, boolean anchorEnd) {}

  static Prepared prepare(Re2Node parsed) {
    parsed = Re2Alternation.apply(parsed);
    Re2Node suffix = requiredPrefixSuffix(parsed);
    Re2Node n = suffix != null ? suffix : parsed;
    n = simplify(coalesce(n, new IdentityHashMap<>()), new IdentityHashMap<>());
    Re2Node[] box = {n};
    boolean start = anchorStart(box, 0);
    boolean end = anchorEnd(box, 0);
    return new Prepared(box[0], start, end);
  }

  /**
   * RE2 matches a literal after leading {@code ^}s by comparing bytes and compiles only the rest:
   * the rest (the empty string if nothing follows), or null when the pattern has no such prefix.
   */
  static Re2Node requiredPrefixSuffix(Re2Node re) {
    if (!(re instanceof Concat c)) {
      return null;
    }
    int i = 0;
    while (i < c.subs().size() && c.subs().get(i) instanceof EmptyWidth e && e.kind() == EmptyWidth.Kind.BEGIN_TEXT) {
      i++;
    }
    if (i == 0 || i >= c.subs().size() || !(c.subs().get(i) instanceof Literal)) {
      return null;
    }
    List<Re2Node> rest = c.subs().subList(i + 1, c.subs().size());
    return rest.isEmpty() ? new EmptyMatch() : new Concat(rest);
  }

  private static Re2Node coalesce(Re2Node re, Map<Re2Node, Re2Node> done) {
    Re2Node known = done.get(re);
    if (known != null) {
      return known;
    }
    Re2Node out = re;
    if (re instanceof Capture c) {
      out = new Capture(coalesce(c.sub(), done));
    } else if (re instanceof Repetition r) {
      out = new Repetition(r.op(), coalesce(r.sub(), done), r.nonGreedy());
    } else if (re instanceof Repeat r) {
      out = new Repeat(coalesce(r.sub(), done), r.min(), r.max(), r.nonGreedy());
    } else if (re instanceof Alternate a) {
      out = new Alternate(a.subs().stream().map(s -> coalesce(s, done)).toList());
    } else if (re instanceof Concat c) {
      out = coalesceConcat(c.subs().stream().map(s -> coalesce(s, done)).toList());
    }
    done.put(re, out);
    return out;
  }

  private static Re2Node coalesceConcat(List<Re2Node> subs) {
    Re2Node[] s = subs.toArray(Re2Node[]::new);
    boolean any = false;
    for (int i = 0; i + 1 < s.length; i++) {
      if (canCoalesce(s[i], s[i + 1])) {
        any = true;
        Re2Node[] pair = coalescePair(s[i], s[i + 1]);
        s[i] = pair[0];
        s[i + 1] = pair[1];
      }
    }
    if (!any) {
      return new Concat(subs);
    }
    List<Re2Node> out = new ArrayList<>();
    for (Re2Node x : s) {
      if (!(x instanceof EmptyMatch)) {
        out.add(x);
      }
    }
    return new Concat(out);
  }

  /** The repeated piece of a repetition or counted repetition, or null. */
  private static Re2Node repeated(Re2Node r) {
    return r instanceof Repetition p ? p.sub() : r instanceof Repeat p ? p.sub() : null;
  }

  private static boolean nonGreedy(Re2Node r) {
    return r instanceof Repetition p ? p.nonGreedy() : ((Repeat) r).nonGreedy();
  }

  private static boolean canCoalesce(Re2Node r1, Re2Node r2) {
    Re2Node x = repeated(r1);
    if (x == null || !(isSingleRune(x) || x instanceof CharClass || x instanceof AnyChar)) {
      return false;
    }
    Re2Node y = repeated(r2);
    if (y != null && same(x, y) && nonGreedy(r1) == nonGreedy(r2)) {
      return true;
    }
    if (same(x, r2)) {
      return true;
    }
    return isSingleRune(x) && r2 instanceof Literal l && l.runes().length > 1 && l.runes()[0] == ((Literal) x).runes()[0]
        && l.fold() == ((Literal) x).fold();
  }

  private static boolean isSingleRune(Re2Node x) {
    return x instanceof Literal l && l.runes().length == 1;
  }

  private static boolean same(Re2Node a, Re2Node b) {
    if (a instanceof Literal x && b instanceof Literal y) {
      return Arrays.equals(x.runes(), y.runes()) && x.fold() == y.fold();
    }
    if (a instanceof CharClass x && b instanceof CharClass y) {
      return Arrays.equals(x.ranges(), y.ranges());
    }
    return a instanceof AnyChar && b instanceof AnyChar;
  }

  /** {@code r1 r2} as {@code [empty or rest-of-r1, counted repetition]} per RE2's coalescing rules. */
  private static Re2Node[] coalescePair(Re2Node r1, Re2Node r2) {
    Re2Node x = repeated(r1);
    boolean ng = nonGreedy(r1);
    int min;
    int max;
    if (r1 instanceof Repetition p) {
      min = p.op() == Repetition.Op.PLUS ? 1 : 0;
      max = p.op() == Repetition.Op.QUEST ? 1 : -1;
    } else {
      min = ((Repeat) r1).min();
      max = ((Repeat) r1).max();
    }
    if (r2 instanceof Repetition p) {
      if (p.op() == Repetition.Op.STAR) {
        max = -1;
      } else if (p.op() == Repetition.Op.PLUS) {
        min++;
        max = -1;
      } else {
        max = max == -1 ? -1 : max + 1;
      }
    } else if (r2 instanceof Repeat p) {
      min += p.min();
      max = p.max() == -1 || max == -1 ? -1 : max + p.max();
    } else if (r2 instanceof Literal l && l.runes().length > 1) {
      int r = ((Literal) x).runes()[0];
      int n = 1;
      while (n < l.runes().length && l.runes()[n] == r) {
        n++;
      }
      min += n;
      max = max == -1 ? -1 : max + n;
      if (n < l.runes().length) {
        return new Re2Node[] {new Repeat(x, min, max, ng),
            new Literal(Arrays.copyOfRange(l.runes(), n, l.runes().length), l.fold())};
      }
    } else {
      min++;
      max = max == -1 ? -1 : max + 1;
    }
    return new Re2Node[] {new EmptyMatch(), new Repeat(x, min, max, ng)};
  }

  private static Re2Node simplify(Re2Node re, Map<Re2Node, Re2Node> done) {
    Re2Node known = done.get(re);
    if (known != null) {
      return known;
    }
    Re2Node out = re;
    if (re instanceof CharClass c) {
      out = c.ranges().length == 0 ? new NoMatch()
          : c.ranges().length == 2 && c.ranges()[0] == 0 && c.ranges()[1] == Re2Utf8.MAX_RUNE ? new AnyChar() : c;
    } else if (re instanceof Capture c) {
      out = new Capture(simplify(c.sub(), done));
    } else if (re instanceof Concat c) {
      out = new Concat(c.subs().stream().map(s -> simplify(s, done)).toList());
    } else if (re instanceof Alternate a) {
      out = new Alternate(a.subs().stream().map(s -> simplify(s, done)).toList());
    } else if (re instanceof Repetition r) {
      Re2Node sub = simplify(r.sub(), done);
      out = sub instanceof EmptyMatch || sub instanceof Repetition s && s.op() == r.op() && s.nonGreedy() == r.nonGreedy()
          ? sub : new Repetition(r.op(), sub, r.nonGreedy());
    } else if (re instanceof Repeat r) {
      Re2Node sub = simplify(r.sub(), done);
      out = sub instanceof EmptyMatch ? sub : new Repeat(sub, r.min(), r.max(), r.nonGreedy());
    }
    done.put(re, out);
    return out;
  }

  /** Takes a leading {@code ^} out of {@code box[0]} (RE2 looks four levels deep). */
  private static boolean anchorStart(Re2Node[] box, int depth) {
    if (depth >= 4) {
      return false;
    }
    Re2Node re = box[0];
    if (re instanceof EmptyWidth e && e.kind() == EmptyWidth.Kind.BEGIN_TEXT) {
      box[0] = new EmptyMatch();
      return true;
    }
    if (re instanceof Concat c && !c.subs().isEmpty()) {
      Re2Node[] first = {c.subs().get(0)};
      if (anchorStart(first, depth + 1)) {
        List<Re2Node> subs = new ArrayList<>(c.subs());
        subs.set(0, first[0]);
        box[0] = new Concat(subs);
        return true;
      }
    } else if (re instanceof Capture c) {
      Re2Node[] sub = {c.sub()};
      if (anchorStart(sub, depth + 1)) {
        box[0] = new Capture(sub[0]);
        return true;
      }
    } else if (re instanceof Repeat r && (r.min() >= 2 || r.min() == 1 && r.max() != -1)) {
      // RE2 looks after expanding the repetition: its first copy leads.
      Re2Node[] first = {r.sub()};
      if (anchorStart(first, depth + 1)) {
        box[0] = r.min() == 1 && r.max() == 1 ? first[0]
            : new Concat(List.of(first[0], new Repeat(r.sub(), r.min() - 1, r.max() == -1 ? -1 : r.max() - 1, r.nonGreedy())));
        return true;
      }
    }
    return false;
  }

  /** Takes a trailing {@code $} out of {@code box[0]} (RE2 looks four levels deep). */
  private static boolean anchorEnd(Re2Node[] box, int depth) {
    if (depth >= 4) {
      return false;
    }
    Re2Node re = box[0];
    if (re instanceof EmptyWidth e && e.kind() == EmptyWidth.Kind.END_TEXT) {
      box[0] = new EmptyMatch();
      return true;
    }
    if (re instanceof Concat c && !c.subs().isEmpty()) {
      int last = c.subs().size() - 1;
      Re2Node[] end = {c.subs().get(last)};
      if (anchorEnd(end, depth + 1)) {
        List<Re2Node> subs = new ArrayList<>(c.subs());
        subs.set(last, end[0]);
        box[0] = new Concat(subs);
        return true;
      }
    } else if (re instanceof Capture c) {
      Re2Node[] sub = {c.sub()};
      if (anchorEnd(sub, depth + 1)) {
        box[0] = new Capture(sub[0]);
        return true;
      }
    } else if (re instanceof Repeat r && r.min() == r.max() && r.min() >= 1) {
      // After expansion the last copy ends it (an optional or unbounded tail does not).
      Re2Node[] last = {r.sub()};
      if (anchorEnd(last, depth + 1)) {
        box[0] = r.min() == 1 ? last[0]
            : new Concat(List.of(new Repeat(r.sub(), r.min() - 1, r.max() - 1, r.nonGreedy()), last[0]));
        return true;
      }
    }
    return false;
  }
}
