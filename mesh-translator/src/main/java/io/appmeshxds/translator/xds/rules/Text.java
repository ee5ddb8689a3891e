package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Function;

/** How values are spelled in violation messages and paths. */
final class Text {

  private Text() {}

  /** A double-quoted string with quotes, backslashes and control characters escaped. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      appendEscaped(sb, s.charAt(i));
    }
    return sb.append('"').toString();
  }

  /** Bytes as a double-quoted string: printable ASCII as is, everything else as {@code \xNN}. */
  static String quote(ByteString bytes) {
    StringBuilder sb = new StringBuilder(bytes.size() + 2).append('"');
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      if (b < 0x20 || b >= 0x7f) {
        sb.append(String.format("\\x%02x", b));
      } else {
        appendEscaped(sb, (char) b);
      }
    }
    return sb.append('"').toString();
  }

  private static void appendEscaped(StringBuilder sb, char c) {
    switch (c) {
      case '"' -> sb.append("\\\"");
      case '\\' -> sb.append("\\\\");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      default -> {
        if (c < 0x20 || c == 0x7f) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
  }

  /** A map key inside a path: strings quoted, numbers and booleans as they are. */
  static String mapKey(Object key) {
    return key instanceof String s ? quote(s) : String.valueOf(key);
  }

  /** {@code [a, b, c]} with each element spelled by {@code spell}. */
  static <T> String list(Collection<? extends T> values, Function<? super T, String> spell) {
    StringBuilder sb = new StringBuilder("[");
    for (T v : values) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(spell.apply(v));
    }
    return sb.append(']').toString();
  }

  /** A double without a useless {@code .0}: {@code 100}, {@code 0.5}. */
  static String number(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  /** A float as written in the proto file ({@code 0.1}, not {@code 0.10000000149011612}). */
  static String number(float f) {
    if (f == Math.rint(f) && !Float.isInfinite(f) && Math.abs(f) < 1e7f) {
      return Long.toString((long) f);
    }
    return Float.toString(f);
  }

  /**
   * A duration the way Envoy's validators spell it (Go's notation): {@code 0s}, {@code 250ms},
   * {@code 1.5s}, {@code 1h0m0s}, {@code -3s}.
   */
  static String duration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (d.isNegative()) {
      sb.append('-');
      d = d.negated();
    }
    long seconds = d.getSeconds();
    int nanos = d.getNano();
    if (seconds == 0) {
      if (nanos < 1_000) {
        return sb.append(nanos).append("ns").toString();
      }
      if (nanos < 1_000_000) {
        return appendFraction(sb, nanos, 3).append("µs").toString();
      }
      return appendFraction(sb, nanos, 6).append("ms").toString();
    }
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    sb.append(seconds % 60);
    if (nanos > 0) {
      appendDigits(sb, nanos, 9);
    }
    return sb.append('s').toString();
  }

  /** {@code value / 10^digits} with the fraction's trailing zeros dropped. */
  private static StringBuilder appendFraction(StringBuilder sb, long value, int digits) {
    long unit = (long) Math.pow(10, digits);
    sb.append(value / unit);
    long fraction = value % unit;
    if (fraction > 0) {
      appendDigits(sb, fraction, digits);
    }
    return sb;
  }

  private static void appendDigits(StringBuilder sb, long fraction, int digits) {
    String s = String.format("%0" + digits + "d", fraction);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '0') {
      end--;
    }
    sb.append('.').append(s, 0, end);
  }
}
