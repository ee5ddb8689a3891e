package io.appmeshxds.translator.re2;

/** Text as an RE2 pattern that matches exactly it: every metacharacter escaped. */
public final class Re2Literal {
  private Re2Literal() {}

  public static String of(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
