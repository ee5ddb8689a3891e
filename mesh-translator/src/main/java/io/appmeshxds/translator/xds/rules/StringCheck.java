package io.appmeshxds.translator.xds.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * String rules, checked in the order of Envoy's generated validators: {@code ignore_empty},
 * {@code const}, {@code in}/{@code not_in}, lengths in characters (code points), lengths in UTF-8
 * bytes, {@code prefix}, {@code suffix}, {@code contains}, {@code not_contains}, {@code pattern}
 * (a full RE2 match, as Envoy's validators do) and the well-known formats.
 */
final class StringCheck implements ValueCheck {

  private static final Logger log = LoggerFactory.getLogger(StringCheck.class);
  // Why static: a memo of a pure function (pattern text -> compiled pattern), bounded by the patterns
  // Envoy's descriptors declare; ArchitectureTest allows it by name.
  private static final ConcurrentHashMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
  private static final Pattern INVALID = Pattern.compile("invalid");
  private static final long UNSET = Lengths.UNSET;

  /** A well-known format: its rule name, the test and what to say when it fails. */
  private record Format(String rule, Predicate<String> test, String message) {}

  private final boolean ignoreEmpty;
  private final String constant;
  private final Set<String> in;
  private final Set<String> notIn;
  private final long len;
  private final long minLen;
  private final long maxLen;
  private final long lenBytes;
  private final long minBytes;
  private final long maxBytes;
  private final String prefix;
  private final String suffix;
  private final String contains;
  private final String notContains;
  private final String patternText;
  private final Pattern pattern;
  private final Format format;

  private StringCheck(StringRules r) {
    ignoreEmpty = r.getIgnoreEmpty();
    constant = r.hasConst() ? r.getConst() : null;
    in = new LinkedHashSet<>(r.getInList());
    notIn = new LinkedHashSet<>(r.getNotInList());
    len = r.hasLen() ? r.getLen() : UNSET;
    minLen = r.hasMinLen() ? r.getMinLen() : UNSET;
    maxLen = r.hasMaxLen() ? r.getMaxLen() : UNSET;
    lenBytes = r.hasLenBytes() ? r.getLenBytes() : UNSET;
    minBytes = r.hasMinBytes() ? r.getMinBytes() : UNSET;
    maxBytes = r.hasMaxBytes() ? r.getMaxBytes() : UNSET;
    prefix = r.hasPrefix() ? r.getPrefix() : null;
    suffix = r.hasSuffix() ? r.getSuffix() : null;
    contains = r.hasContains() ? r.getContains() : null;
    notContains = r.hasNotContains() ? r.getNotContains() : null;
    Pattern p = r.hasPattern() ? compile(r.getPattern()) : null;
    patternText = p == null ? null : r.getPattern();
    pattern = p;
    format = format(r);
  }

  static ValueCheck of(StringRules rules) {
    return new StringCheck(rules);
  }

  @Override
  public boolean check(Object value, Walker w) {
    String s = (String) value;
    if (ignoreEmpty && s.isEmpty()) {
      return true;
    }
    if (constant != null && !s.equals(constant)) {
      return fail(w, "const", "value must equal " + Text.quote(constant));
    }
    if (!in.isEmpty() && !in.contains(s)) {
      return fail(w, "in", "value must be in list " + Text.list(in, Text::quote));
    }
    if (notIn.contains(s)) {
      return fail(w, "not_in", "value must not be in list " + Text.list(notIn, Text::quote));
    }
    if ((len != UNSET || minLen != UNSET || maxLen != UNSET)
        && !Lengths.check(w, "string", s.codePointCount(0, s.length()), len, minLen, maxLen,
            "characters", "len", "min_len", "max_len")) {
      return false;
    }
    if ((lenBytes != UNSET || minBytes != UNSET || maxBytes != UNSET)
        && !Lengths.check(w, "string", utf8Length(s), lenBytes, minBytes, maxBytes,
            "bytes", "len_bytes", "min_bytes", "max_bytes")) {
      return false;
    }
    if (prefix != null && !s.startsWith(prefix)) {
      return fail(w, "prefix", "value does not have prefix " + Text.quote(prefix));
    }
    if (suffix != null && !s.endsWith(suffix)) {
      return fail(w, "suffix", "value does not have suffix " + Text.quote(suffix));
    }
    if (contains != null && !s.contains(contains)) {
      return fail(w, "contains", "value does not contain substring " + Text.quote(contains));
    }
    if (notContains != null && s.contains(notContains)) {
      return fail(w, "not_contains", "value contains substring " + Text.quote(notContains));
    }
    if (pattern != null && !pattern.matches(s)) {
      return fail(w, "pattern", "value does not match regex pattern " + Text.quote(patternText));
    }
    if (format != null && !format.test().test(s)) {
      return fail(w, format.rule(), format.message());
    }
    return true;
  }

  private static boolean fail(Walker w, String rule, String message) {
    w.report("string." + rule, message);
    return false;
  }

  private static Format format(StringRules r) {
    return switch (r.getWellKnownCase()) {
      case EMAIL -> r.getEmail() ? new Format("email", WellKnownFormats::isEmail,
          "value must be a valid email address") : null;
      case HOSTNAME -> r.getHostname() ? new Format("hostname", WellKnownFormats::isHostname,
          "value must be a valid hostname") : null;
      case IP -> r.getIp() ? new Format("ip", WellKnownFormats::isIp,
          "value must be a valid IP address") : null;
      case IPV4 -> r.getIpv4() ? new Format("ipv4", WellKnownFormats::isIpv4,
          "value must be a valid IPv4 address") : null;
      case IPV6 -> r.getIpv6() ? new Format("ipv6", WellKnownFormats::isIpv6,
          "value must be a valid IPv6 address") : null;
      case URI -> r.getUri() ? new Format("uri", WellKnownFormats::isUri,
          "value must be a valid absolute URI") : null;
      case URI_REF -> r.getUriRef() ? new Format("uri_ref", WellKnownFormats::isUriRef,
          "value must be a valid URI reference") : null;
      case ADDRESS -> r.getAddress() ? new Format("address", WellKnownFormats::isAddress,
          "value must be an IP address or a hostname") : null;
      case UUID -> r.getUuid() ? new Format("uuid", WellKnownFormats::isUuid,
          "value must be a valid UUID") : null;
      case WELL_KNOWN_REGEX -> headerFormat(r.getWellKnownRegex(), r.getStrict());
      default -> null;
    };
  }

  /**
   * HTTP_HEADER_NAME / HTTP_HEADER_VALUE follow RFC 7230 when {@code strict} (the default); with
   * {@code strict: false} both only forbid NUL, CR and LF.
   */
  private static Format headerFormat(KnownRegex regex, boolean strict) {
    if (regex != KnownRegex.HTTP_HEADER_NAME && regex != KnownRegex.HTTP_HEADER_VALUE) {
      return null;
    }
    if (!strict) {
      return new Format("well_known_regex", WellKnownFormats::isHeaderString,
          "value must not contain NUL, CR or LF characters");
    }
    return regex == KnownRegex.HTTP_HEADER_NAME
        ? new Format("well_known_regex", WellKnownFormats::isHeaderName,
            "value must be a valid HTTP header name (RFC 7230 token, optionally after ':')")
        : new Format("well_known_regex", WellKnownFormats::isHeaderValue,
            "value must be a valid HTTP header value (no control characters other than tab)");
  }

  /**
   * The compiled RE2 pattern, shared by every field using the same text; null (and a warning once)
   * when re2j cannot compile it, in which case the rule is not checked.
   */
  static Pattern compile(String regex) {
    Pattern p = PATTERNS.computeIfAbsent(regex, text -> {
      try {
        return Pattern.compile(text);
      } catch (PatternSyntaxException e) {
        log.warn("validate.rules pattern {} is not valid RE2 for re2j and is not checked: {}",
            Text.quote(text), e.getMessage());
        return INVALID;
      }
    });
    return p == INVALID ? null : p;
  }

  /** The UTF-8 length, counted without encoding the string. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
