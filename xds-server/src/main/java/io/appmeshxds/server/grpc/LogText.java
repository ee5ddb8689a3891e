package io.appmeshxds.server.grpc;

/**
 * Text a client sent, made safe to log or keep: control characters (newlines, ANSI escapes, NUL,
 * …) become visible escapes and the result is capped with a marker naming how much was cut. Why:
 * node ids, user agents and NACK messages come from whoever reaches the xDS port; written raw they
 * can forge log lines or drive a terminal, and kept whole they cost memory the client chooses.
 */
public final class LogText {
  private LogText() {}

  /**
   * {@code s} with every ISO control character (and the Unicode line/paragraph separators and BOM)
   * replaced by an escape ({@code \n}, {@code \r}, {@code \t}, {@code \0}, {@code \e}, or
   * {@code \}{@code uXXXX}), a backslash doubled, and cut to at most {@code max} characters of input
   * followed by {@code …[+N chars]}. Null becomes {@code "null"}.
   */
  public static String escape(String s, int max) {
    if (s == null) {
      return "null";
    }
    int n = Math.min(s.length(), Math.max(0, max));
    StringBuilder b = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String rep = replacement(c);
      if (rep != null && b == null) {
        b = new StringBuilder(n + 16).append(s, 0, i);
      }
      if (b != null) {
        if (rep != null) {
          b.append(rep);
        } else {
          b.append(c);
        }
      }
    }
    String out = b == null ? (n == s.length() ? s : s.substring(0, n)) : b.toString();
    if (n < s.length()) {
      out = out + "…[+" + (s.length() - n) + " chars]";
    }
    return out;
  }

  /** Cuts {@code s} to {@code max} characters with the same marker as {@link #escape}, without escaping. */
  public static String cap(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, max) + "…[+" + (s.length() - max) + " chars]";
  }

  private static String replacement(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '\0':
        return "\\0";
      case 0x1b:
        return "\\e";
      case '\\':
        return "\\\\";
      default:
        if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\ufeff'
            || Character.getType(c) == Character.FORMAT) {
          return String.format("\\u%04x", (int) c);
        }
        return null;
    }
  }
}
