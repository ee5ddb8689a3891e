package io.appmeshxds.translator.re2;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * Unicode property classes ({@code \pL}, {@code \p{Greek}}, {@code \PN}, {@code \p{^Lu}}) spelled
 * out as explicit code point ranges from Java's Unicode tables, before re2j parses the pattern.
 * Why: re2j's own tables are many Unicode versions old ({@code \pL} counts 802 instructions with
 * them, 1197 in RE2 2022-06-01); Java 17's (Unicode 13) come within 6% ({@code \pL} 1129) and
 * follow the JDK forward. Names Java does not know are left for re2j.
 */
final class Re2UnicodeClasses {
  private Re2UnicodeClasses() {}

  /** The rewritten pattern, and whether it had a Unicode property class. */
  record Expanded(String pattern, boolean unicode) {}

  /**
   * Past this length the remaining classes are left to re2j's own tables (which only trail Java's:
   * the lower bound still holds). Why this small: re2j parses the expanded text, and its parser's cost
   * grows faster than the text (one {@code \pL}, 9.5 KB, allocates 9 MB; seven, 67 KB, 425 MB; a
   * pattern of 1,300 {@code \pL} expanded to a megabyte took 11 s and 100 GB). 16 KB spells out
   * one {@code \pL} or a dozen smaller classes: a pattern with more is over the limit anyway.
   */
  private static final int MAX_LENGTH = 16 * 1024;

  // Why static: a memo of a pure function (class name -> ranges, never modified by a reader),
  // bounded by the Unicode class names Java knows (unknown names are not kept); ArchitectureTest
  // allows it by name.
  private static final Map<String, int[]> TABLES = new ConcurrentHashMap<>();

  static Expanded expand(String p) {
    if (p.indexOf("\\p") < 0 && p.indexOf("\\P") < 0) {
      return new Expanded(p, false);
    }
    StringBuilder out = new StringBuilder(p.length() + 64);
    boolean unicode = false;
    boolean inClass = false;
    int i = 0;
    int n = p.length();
    while (i < n) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char d = p.charAt(i + 1);
        if (d == 'Q') { // quoted text: nothing inside is an escape
          int end = p.indexOf("\\E", i + 2);
          end = end < 0 ? n : end + 2;
          out.append(p, i, end);
          i = end;
          continue;
        }
        if ((d == 'p' || d == 'P') && i + 2 < n && out.length() < MAX_LENGTH) {
          int nameStart = i + 2;
          int end;
          String name;
          if (p.charAt(nameStart) == '{') {
            int close = p.indexOf('}', nameStart);
            if (close < 0) {
              out.append(p, i, n);
              break;
            }
            name = p.substring(nameStart + 1, close);
            end = close + 1;
          } else {
            name = p.substring(nameStart, nameStart + Character.charCount(p.codePointAt(nameStart)));
            end = nameStart + name.length();
          }
          boolean negate = d == 'P';
          if (name.startsWith("^")) {
            negate = !negate;
            name = name.substring(1);
          }
          int[] ranges = ranges(name);
          if (ranges != null) {
            String body = body(negate ? complement(ranges) : ranges);
            out.append(inClass ? body : body.isEmpty() ? "[^\\x{0}-\\x{10ffff}]" : "[" + body + "]");
            unicode = true;
            i = end;
            continue;
          }
        }
        out.append(c).append(d);
        i += 2;
        continue;
      }
      if (!inClass && c == '[') {
        inClass = true;
        out.append(c);
        i++;
        if (i < n && p.charAt(i) == '^') {
          out.append('^');
          i++;
        }
        if (i < n && p.charAt(i) == ']') { // a leading ] is a member
          out.append(']');
          i++;
        }
        continue;
      }
      if (inClass && c == '[' && p.startsWith("[:", i)) {
        int close = p.indexOf(":]", i + 2);
        int end = close < 0 ? i + 1 : close + 2;
        out.append(p, i, end);
        i = end;
        continue;
      }
      if (inClass && c == ']') {
        inClass = false;
      }
      out.append(c);
      i++;
    }
    return new Expanded(out.toString(), unicode);
  }

  /** Ranges of a category ({@code L}, {@code Lu}, …) or script ({@code Greek}), or null when Java does not know it. */
  static int[] ranges(String name) {
    int[] known = TABLES.get(name);
    if (known != null) {
      return known;
    }
    IntPredicate member = predicate(name);
    if (member == null) {
      return null;
    }
    int[] r = collect(member);
    TABLES.putIfAbsent(name, r);
    return r;
  }

  private static IntPredicate predicate(String name) {
    if (name.equals("Any")) {
      return c -> true;
    }
    int[] types = categories(name);
    if (types != null) {
      return c -> {
        int t = Character.getType(c);
        for (int x : types) {
          if (x == t) {
            return true;
          }
        }
        return false;
      };
    }
    if (!name.matches("[A-Z][A-Za-z_]*")) {
      return null;
    }
    try {
      Character.UnicodeScript s = Character.UnicodeScript.forName(name);
      return c -> Character.UnicodeScript.of(c) == s;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Java's general category numbers of a Unicode category name (RE2's: {@code C} leaves out unassigned). */
  private static int[] categories(String name) {
    return switch (name) {
      case "L" -> new int[] {Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER};
      case "Lu" -> new int[] {Character.UPPERCASE_LETTER};
      case "Ll" -> new int[] {Character.LOWERCASE_LETTER};
      case "Lt" -> new int[] {Character.TITLECASE_LETTER};
      case "Lm" -> new int[] {Character.MODIFIER_LETTER};
      case "Lo" -> new int[] {Character.OTHER_LETTER};
      case "M" -> new int[] {Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK};
      case "Mn" -> new int[] {Character.NON_SPACING_MARK};
      case "Me" -> new int[] {Character.ENCLOSING_MARK};
      case "Mc" -> new int[] {Character.COMBINING_SPACING_MARK};
      case "N" -> new int[] {Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER};
      case "Nd" -> new int[] {Character.DECIMAL_DIGIT_NUMBER};
      case "Nl" -> new int[] {Character.LETTER_NUMBER};
      case "No" -> new int[] {Character.OTHER_NUMBER};
      case "P" -> new int[] {Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION};
      case "Pc" -> new int[] {Character.CONNECTOR_PUNCTUATION};
      case "Pd" -> new int[] {Character.DASH_PUNCTUATION};
      case "Ps" -> new int[] {Character.START_PUNCTUATION};
      case "Pe" -> new int[] {Character.END_PUNCTUATION};
      case "Pi" -> new int[] {Character.INITIAL_QUOTE_PUNCTUATION};
      case "Pf" -> new int[] {Character.FINAL_QUOTE_PUNCTUATION};
      case "Po" -> new int[] {Character.OTHER_PUNCTUATION};
      case "S" -> new int[] {Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL};
      case "Sm" -> new int[] {Character.MATH_SYMBOL};
      case "Sc" -> new int[] {Character.CURRENCY_SYMBOL};
      case "Sk" -> new int[] {Character.MODIFIER_SYMBOL};
      case "So" -> new int[] {Character.OTHER_SYMBOL};
      case "Z" -> new int[] {Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR};
      case "Zs" -> new int[] {Character.SPACE_SEPARATOR};
      case "Zl" -> new int[] {Character.LINE_SEPARATOR};
      case "Zp" -> new int[] {Character.PARAGRAPH_SEPARATOR};
      case "C" -> new int[] {Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE};
      case "Cc" -> new int[] {Character.CONTROL};
      case "Cf" -> new int[] {Character.FORMAT};
      case "Co" -> new int[] {Character.PRIVATE_USE};
      case "Cs" -> new int[] {Character.SURROGATE};
      default -> null;
    };
  }

  private static int[] collect(IntPredicate member) {
    int[] out = new int[64];
    int k = 0;
    int c = 0;
    while (c <= Re2Utf8.MAX_RUNE) {
      if (member.test(c)) {
        int start = c;
        while (c + 1 <= Re2Utf8.MAX_RUNE && member.test(c + 1)) {
          c++;
        }
        if (k + 2 > out.length) {
          out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        out[k++] = start;
        out[k++] = c;
      }
      c++;
    }
    return java.util.Arrays.copyOf(out, k);
  }

  private static int[] complement(int[] ranges) {
    int[] out = new int[ranges.length + 2];
    int k = 0;
    int next = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      if (ranges[i] > next) {
        out[k++] = next;
        out[k++] = ranges[i] - 1;
      }
      next = ranges[i + 1] + 1;
    }
    if (next <= Re2Utf8.MAX_RUNE) {
      out[k++] = next;
      out[k++] = Re2Utf8.MAX_RUNE;
    }
    return java.util.Arrays.copyOf(out, k);
  }

  private static String body(int[] ranges) {
    StringBuilder b = new StringBuilder(ranges.length * 10);
    for (int i = 0; i < ranges.length; i += 2) {
      b.append("\\x{").append(Integer.toHexString(ranges[i])).append('}');
      if (ranges[i + 1] > ranges[i]) {
        b.append("-\\x{").append(Integer.toHexString(ranges[i + 1])).append('}');
      }
    }
    return b.toString();
  }
}
