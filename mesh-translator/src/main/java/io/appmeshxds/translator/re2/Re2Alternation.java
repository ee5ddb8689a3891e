package io.appmeshxds.translator.re2;

import io.appmeshxds.translator.re2.Re2Node.AnyChar;
import io.appmeshxds.translator.re2.Re2Node.Alternate;
import io.appmeshxds.translator.re2.Re2Node.Capture;
import io.appmeshxds.translator.re2.Re2Node.CharClass;
import io.appmeshxds.translator.re2.Re2Node.Concat;
import io.appmeshxds.translator.re2.Re2Node.EmptyMatch;
import io.appmeshxds.translator.re2.Re2Node.EmptyWidth;
import io.appmeshxds.translator.re2.Re2Node.Literal;
import io.appmeshxds.translator.re2.Re2Node.Repeat;
import io.appmeshxds.translator.re2.Re2Node.Repetition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one way RE2's parser factors an alternation that re2j's does not: a leading empty-width
 * assertion shared by consecutive alternatives ({@code ^a|^b}) is taken out ({@code ^(?:a|b)}), and
 * what remains is factored as RE2 factors any alternation: a common literal prefix, a common simple
 * leading piece (an assertion, a class, any character, a fixed count of one), single characters and
 * classes merged into one class, runs of empty alternatives into one. Everything else re2j's parser
 * already factors the same way.
 */
final class Re2Alternation {
  private Re2Alternation() {}

  /** {@code re} with every alternation refactored where RE2 factors more. */
  static Re2Node apply(Re2Node re) {
    return walk(re, new IdentityHashMap<>());
  }

  private static Re2Node walk(Re2Node re, Map<Re2Node, Re2Node> done) {
    Re2Node known = done.get(re);
    if (known != null) {
      return known;
    }
    Re2Node out = re;
    if (re instanceof Capture c) {
      out = new Capture(walk(c.sub(), done));
    } else if (re instanceof Repetition r) {
      out = new Repetition(r.op(), walk(r.sub(), done), r.nonGreedy());
    } else if (re instanceof Repeat r) {
      out = new Repeat(walk(r.sub(), done), r.min(), r.max(), r.nonGreedy());
    } else if (re instanceof Concat c) {
      out = new Concat(c.subs().stream().map(s -> walk(s, done)).toList());
    } else if (re instanceof Alternate a) {
      List<Re2Node> subs = a.subs().stream().map(s -> walk(s, done)).toList();
      out = subs.stream().anyMatch(s -> leading(s) instanceof EmptyWidth) ? alternate(factor(subs)) : new Alternate(subs);
    }
    done.put(re, out);
    return out;
  }

  private static Re2Node alternate(List<Re2Node> subs) {
    return subs.size() == 1 ? subs.get(0) : new Alternate(subs);
  }

  private static Re2Node concat(Re2Node a, Re2Node b) {
    List<Re2Node> subs = new ArrayList<>();
    subs.add(a);
    if (b instanceof Concat c) {
      subs.addAll(c.subs());
    } else if (!(b instanceof EmptyMatch)) {
      subs.add(b);
    }
    return subs.size() == 1 ? subs.get(0) : new Concat(subs);
  }

  /** RE2's four rounds over one alternation's alternatives. */
  static List<Re2Node> factor(List<Re2Node> subs) {
    return emptyRuns(classRuns(leadingPieces(literalPrefixes(subs))));
  }

  // Round 1: common literal prefixes.
  private static List<Re2Node> literalPrefixes(List<Re2Node> subs) {
    List<Re2Node> out = new ArrayList<>();
    int i = 0;
    while (i < subs.size()) {
      Literal first = leadingLiteral(subs.get(i));
      int common = first == null ? 0 : first.runes().length;
      int j = i + 1;
      while (first != null && j < subs.size()) {
        Literal l = leadingLiteral(subs.get(j));
        int k = 0;
        while (l != null && l.fold() == first.fold() && k < Math.min(common, l.runes().length)
            && l.runes()[k] == first.runes()[k]) {
          k++;
        }
        if (k == 0) {
          break;
        }
        common = k;
        j++;
      }
      if (first != null && j - i > 1) {
        List<Re2Node> rests = new ArrayList<>();
        for (int x = i; x < j; x++) {
          rests.add(removePrefix(subs.get(x), common));
        }
        out.add(concat(new Literal(Arrays.copyOf(first.runes(), common), first.fold()), alternate(factor(rests))));
        i = j;
      } else {
        out.add(subs.get(i++));
      }
    }
    return out;
  }

  private static Literal leadingLiteral(Re2Node re) {
    Re2Node lead = leading(re);
    return lead instanceof Literal l ? l : null;
  }

  private static Re2Node removePrefix(Re2Node re, int n) {
    if (re instanceof Literal l) {
      return l.runes().length == n ? new EmptyMatch() : new Literal(Arrays.copyOfRange(l.runes(), n, l.runes().length), l.fold());
    }
    Concat c = (Concat) re;
    List<Re2Node> subs = new ArrayList<>(c.subs());
    Literal l = (Literal) subs.get(0);
    if (l.runes().length == n) {
      subs.remove(0);
    } else {
      subs.set(0, new Literal(Arrays.copyOfRange(l.runes(), n, l.runes().length), l.fold()));
    }
    return subs.isEmpty() ? new EmptyMatch() : subs.size() == 1 ? subs.get(0) : new Concat(subs);
  }

  // Round 2: a common simple leading piece.
  private static List<Re2Node> leadingPieces(List<Re2Node> subs) {
    List<Re2Node> out = new ArrayList<>();
    int i = 0;
    while (i < subs.size()) {
      Re2Node first = leading(subs.get(i));
      int j = i + 1;
      if (first != null && simple(first)) {
        while (j < subs.size() && equal(first, leading(subs.get(j)))) {
          j++;
        }
      }
      if (j - i > 1) {
        List<Re2Node> rests = new ArrayList<>();
        for (int x = i; x < j; x++) {
          rests.add(removeLeading(subs.get(x)));
        }
        out.add(concat(first, alternate(factor(rests))));
        i = j;
      } else {
        out.add(subs.get(i++));
      }
    }
    return out;
  }

  /** The first piece of a concatenation (or the node itself); null for the empty string. */
  private static Re2Node leading(Re2Node re) {
    if (re instanceof EmptyMatch) {
      return null;
    }
    if (re instanceof Concat c && c.subs().size() >= 2) {
      return c.subs().get(0) instanceof EmptyMatch ? null : c.subs().get(0);
    }
    return re;
  }

  private static Re2Node removeLeading(Re2Node re) {
    if (re instanceof Concat c && c.subs().size() >= 2) {
      List<Re2Node> rest = c.subs().subList(1, c.subs().size());
      return rest.size() == 1 ? rest.get(0) : new Concat(rest);
    }
    return new EmptyMatch();
  }

  private static boolean simple(Re2Node re) {
    return re instanceof EmptyWidth || re instanceof CharClass || re instanceof AnyChar
        || re instanceof Repeat r && r.min() == r.max()
            && (r.sub() instanceof Literal l && l.runes().length == 1 || r.sub() instanceof CharClass || r.sub() instanceof AnyChar);
  }

  private static boolean equal(Re2Node a, Re2Node b) {
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof EmptyWidth x && b instanceof EmptyWidth y) {
      return x.kind() == y.kind();
    }
    if (a instanceof CharClass x && b instanceof CharClass y) {
      return Arrays.equals(x.ranges(), y.ranges());
    }
    if (a instanceof Literal x && b instanceof Literal y) {
      return Arrays.equals(x.runes(), y.runes()) && x.fold() == y.fold();
    }
    if (a instanceof Repeat x && b instanceof Repeat y) {
      return x.min() == y.min() && x.max() == y.max() && x.nonGreedy() == y.nonGreedy() && equal(x.sub(), y.sub());
    }
    return a instanceof AnyChar && b instanceof AnyChar;
  }

  // Round 3: runs of single characters and classes become one class.
  private static List<Re2Node> classRuns(List<Re2Node> subs) {
    List<Re2Node> out = new ArrayList<>();
    int i = 0;
    while (i < subs.size()) {
      int j = i;
      while (j < subs.size() && (subs.get(j) instanceof CharClass
          || subs.get(j) instanceof Literal l && l.runes().length == 1)) {
        j++;
      }
      if (j - i > 1) {
        TreeMap<Integer, Integer> ranges = new TreeMap<>();
        for (int x = i; x < j; x++) {
          if (subs.get(x) instanceof CharClass c) {
            for (int k = 0; k < c.ranges().length; k += 2) {
              add(ranges, c.ranges()[k], c.ranges()[k + 1]);
            }
          } else {
            Literal l = (Literal) subs.get(x);
            int r = l.runes()[0];
            add(ranges, r, r);
            if (l.fold() && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')) {
              int other = r ^ 0x20;
              add(ranges, other, other);
            }
          }
        }
        int[] flat = new int[ranges.size() * 2];
        int k = 0;
        for (Map.Entry<Integer, Integer> e : ranges.entrySet()) {
          flat[k++] = e.getKey();
          flat[k++] = e.getValue();
        }
        out.add(new CharClass(flat));
        i = j;
      } else {
        out.add(subs.get(i++));
      }
    }
    return out;
  }

  /** Adds {@code [lo, hi]} to disjoint, non-adjacent ranges keyed by their start. */
  private static void add(TreeMap<Integer, Integer> ranges, int lo, int hi) {
    Map.Entry<Integer, Integer> before = ranges.floorEntry(lo);
    if (before != null && before.getValue() >= lo - 1) {
      lo = before.getKey();
      hi = Math.max(hi, before.getValue());
      ranges.remove(before.getKey());
    }
    Map.Entry<Integer, Integer> next = ranges.ceilingEntry(lo);
    while (next != null && next.getKey() <= hi + 1) {
      hi = Math.max(hi, next.getValue());
      ranges.remove(next.getKey());
      next = ranges.ceilingEntry(lo);
    }
    ranges.put(lo, hi);
  }

  // Round 4: runs of empty alternatives become one.
  private static List<Re2Node> emptyRuns(List<Re2Node> subs) {
    List<Re2Node> out = new ArrayList<>();
    for (Re2Node s : subs) {
      if (!(s instanceof EmptyMatch && !out.isEmpty() && out.get(out.size() - 1) instanceof EmptyMatch)) {
        out.add(s);
      }
    }
    return out;
  }
}
