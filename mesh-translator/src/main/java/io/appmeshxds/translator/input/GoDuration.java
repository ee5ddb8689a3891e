package io.appmeshxds.translator.input;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration}, as Flagger applies it to a Canary's timeouts ("15s", "1m30s",
 * "250ms", "1.5h"): an optional sign, then one or more decimal numbers each with a unit (ns, us, µs,
 * ms, s, m, h); "0" alone is zero.
 */
final class GoDuration {
  private GoDuration() {}

  private static final Pattern WHOLE = Pattern.compile("[-+]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
      "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  /** Whole milliseconds (Go's {@code Duration.Milliseconds()}, truncated toward zero), or null when not a duration. */
  static Long millis(String s) {
    if (s == null) {
      return null;
    }
    if (s.equals("0") || s.equals("+0") || s.equals("-0")) {
      return 0L;
    }
    if (!WHOLE.matcher(s).matches()) {
      return null;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(s);
    while (m.find()) {
      nanos = nanos.add(new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1))
          .multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
    }
    // Go truncates each fraction to whole nanoseconds; the total then to whole milliseconds.
    long ms = nanos.setScale(0, RoundingMode.DOWN).divide(BigDecimal.valueOf(1_000_000L), 0, RoundingMode.DOWN).longValue();
    return s.startsWith("-") ? -ms : ms;
  }
}
