package io.appmeshxds.server.diff;

import java.math.BigDecimal;

/** proto3 JSON durations in one spelling: {@code "15.000s"} and {@code "15s"} are both {@code "15s"}; {@code "0.25s"} is {@code "0.250s"}. */
final class Durations {
  private Durations() {}

  /** The canonical text, as protobuf prints it (0, 3, 6 or 9 decimals); the input itself when it is not a duration. */
  static String canonical(String text) {
    if (!text.endsWith("s") || text.length() < 2) {
      return text;
    }
    BigDecimal d;
    try {
      d = new BigDecimal(text.substring(0, text.length() - 1));
    } catch (NumberFormatException e) {
      return text;
    }
    if (d.scale() > 9 && d.stripTrailingZeros().scale() > 9) {
      return text;
    }
    String sign = d.signum() < 0 ? "-" : "";
    d = d.abs();
    BigDecimal whole = new BigDecimal(d.toBigInteger());
    long nanos = d.subtract(whole).movePointRight(9).longValueExact();
    String seconds = whole.toPlainString();
    if (nanos == 0) {
      return sign + seconds + "s";
    }
    if (nanos % 1_000_000 == 0) {
      return String.format("%s%s.%03ds", sign, seconds, nanos / 1_000_000);
    }
    if (nanos % 1_000 == 0) {
      return String.format("%s%s.%06ds", sign, seconds, nanos / 1_000);
    }
    return String.format("%s%s.%09ds", sign, seconds, nanos);
  }
}
