package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.ByteString;
import com.google.re2j.Pattern;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Bytes rules in the order of Envoy's generated validators: {@code ignore_empty}, {@code const},
 * {@code in}/{@code not_in}, lengths, {@code prefix}, {@code suffix}, {@code contains}, {@code
 * pattern} (a full RE2 match over the bytes read as UTF-8) and {@code ip}/{@code ipv4}/{@code ipv6}
 * (4 or 16 bytes; an IPv4-mapped IPv6 address counts as IPv4).
 */
final class BytesCheck implements ValueCheck {

  private static final long UNSET = Lengths.UNSET;

  private final boolean ignoreEmpty;
  private final ByteString constant;
  private final Set<ByteString> in;
  private final Set<ByteString> notIn;
  private final long len;
  private final long minLen;
  private final long maxLen;
  private final ByteString prefix;
  private final ByteString suffix;
  private final ByteString contains;
  private final String patternText;
  private final Pattern pattern;
  private final String ipRule;

  private BytesCheck(BytesRules r) {
    ignoreEmpty = r.getIgnoreEmpty();
    constant = r.hasConst() ? r.getConst() : null;
    in = new LinkedHashSet<>(r.getInList());
    notIn = new LinkedHashSet<>(r.getNotInList());
    len = r.hasLen() ? r.getLen() : UNSET;
    minLen = r.hasMinLen() ? r.getMinLen() : UNSET;
    maxLen = r.hasMaxLen() ? r.getMaxLen() : UNSET;
    prefix = r.hasPrefix() ? r.getPrefix() : null;
    suffix = r.hasSuffix() ? r.getSuffix() : null;
    contains = r.hasContains() ? r.getContains() : null;
    Pattern p = r.hasPattern() ? StringCheck.compile(r.getPattern()) : null;
    patternText = p == null ? null : r.getPattern();
    pattern = p;
    ipRule = switch (r.getWellKnownCase()) {
      case IP -> r.getIp() ? "ip" : null;
      case IPV4 -> r.getIpv4() ? "ipv4" : null;
      case IPV6 -> r.getIpv6() ? "ipv6" : null;
      default -> null;
    };
  }

  static ValueCheck of(BytesRules rules) {
    return new BytesCheck(rules);
  }

  @Override
  public boolean check(Object value, Walker w) {
    ByteString b = (ByteString) value;
    if (ignoreEmpty && b.isEmpty()) {
      return true;
    }
    if (constant != null && !b.equals(constant)) {
      return fail(w, "const", "value must equal " + Text.quote(constant));
    }
    if (!in.isEmpty() && !in.contains(b)) {
      return fail(w, "in", "value must be in list " + Text.list(in, Text::quote));
    }
    if (notIn.contains(b)) {
      return fail(w, "not_in", "value must not be in list " + Text.list(notIn, Text::quote));
    }
    if ((len != UNSET || minLen != UNSET || maxLen != UNSET)
        && !Lengths.check(w, "bytes", b.size(), len, minLen, maxLen, "bytes",
            "len", "min_len", "max_len")) {
      return false;
    }
    if (prefix != null && !b.startsWith(prefix)) {
      return fail(w, "prefix", "value does not have prefix " + Text.quote(prefix));
    }
    if (suffix != null && !b.endsWith(suffix)) {
      return fail(w, "suffix", "value does not have suffix " + Text.quote(suffix));
    }
    if (contains != null && indexOf(b, contains) < 0) {
      return fail(w, "contains", "value does not contain substring " + Text.quote(contains));
    }
    if (pattern != null && !pattern.matches(b.toByteArray())) {
      return fail(w, "pattern", "value does not match regex pattern " + Text.quote(patternText));
    }
    if (ipRule != null && !isIp(b, ipRule)) {
      String what = ipRule.equals("ip") ? "IP" : ipRule.equals("ipv4") ? "IPv4" : "IPv6";
      return fail(w, ipRule, "value must be a valid " + what + " address in byte format");
    }
    return true;
  }

  private static boolean fail(Walker w, String rule, String message) {
    w.report("bytes." + rule, message);
    return false;
  }

  private static boolean isIp(ByteString b, String rule) {
    boolean v4 = b.size() == 4 || (b.size() == 16 && isV4Mapped(b));
    return switch (rule) {
      case "ipv4" -> v4;
      case "ipv6" -> b.size() == 16 && !v4;
      default -> b.size() == 4 || b.size() == 16;
    };
  }

  /** {@code ::ffff:a.b.c.d}. */
  private static boolean isV4Mapped(ByteString b) {
    for (int i = 0; i < 10; i++) {
      if (b.byteAt(i) != 0) {
        return false;
      }
    }
    return b.byteAt(10) == (byte) 0xff && b.byteAt(11) == (byte) 0xff;
  }

  static int indexOf(ByteString haystack, ByteString needle) {
    int last = haystack.size() - needle.size();
    outer:
    for (int i = 0; i <= last; i++) {
      for (int j = 0; j < needle.size(); j++) {
        if (haystack.byteAt(i + j) != needle.byteAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
