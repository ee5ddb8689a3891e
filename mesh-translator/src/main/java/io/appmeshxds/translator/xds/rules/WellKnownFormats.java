package io.appmeshxds.translator.xds.rules;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The well-known string formats of {@code validate.rules}. Nothing here touches the network:
 * addresses are parsed by hand (inet_pton's textual forms, no zone ids, no leading zeros in IPv4).
 */
final class WellKnownFormats {

  private WellKnownFormats() {}

  /** RFC 1034 host name: dot-separated labels of 1–63 letters, digits and inner hyphens; one trailing dot allowed. */
  static boolean isHostname(String s) {
    if (s.length() > 253) {
      return false;
    }
    String host = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    int start = 0;
    while (true) {
      int dot = host.indexOf('.', start);
      int end = dot < 0 ? host.length() : dot;
      if (!isLabel(host, start, end)) {
        return false;
      }
      if (dot < 0) {
        return true;
      }
      start = dot + 1;
    }
  }

  private static boolean isLabel(String s, int start, int end) {
    int n = end - start;
    if (n == 0 || n > 63 || s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (!(isAlnum(c) || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * An RFC 5322 address, optionally as {@code Name <local@domain>}: at most 254 characters, a
   * dot-atom or quoted local part of at most 64 characters, a host name as the domain.
   */
  static boolean isEmail(String s) {
    if (s.length() > 254) {
      return false;
    }
    String addr = s.trim();
    int open = addr.lastIndexOf('<');
    if (open >= 0) {
      if (!addr.endsWith(">")) {
        return false;
      }
      addr = addr.substring(open + 1, addr.length() - 1);
    }
    int at = addr.lastIndexOf('@');
    if (at <= 0 || at == addr.length() - 1) {
      return false;
    }
    String local = addr.substring(0, at);
    return local.length() <= 64 && isLocalPart(local) && isHostname(addr.substring(at + 1));
  }

  private static boolean isLocalPart(String local) {
    if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
      for (int i = 1; i < local.length() - 1; i++) {
        char c = local.charAt(i);
        if (c < 0x20 || c == 0x7f || ((c == '"' || c == '\\') && local.charAt(i - 1) != '\\')) {
          return false;
        }
      }
      return true;
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return false;
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (!(isAlnum(c) || c == '.' || "!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  static boolean isIp(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  /** Dotted quad, each part 0–255 without leading zeros. */
  static boolean isIpv4(String s) {
    return isIpv4(s, 0, s.length());
  }

  private static boolean isIpv4(String s, int start, int end) {
    int parts = 0;
    int i = start;
    while (parts < 4) {
      int digitsStart = i;
      int value = 0;
      while (i < end && i - digitsStart < 4 && isDigit(s.charAt(i))) {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - digitsStart;
      if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(digitsStart) == '0')) {
        return false;
      }
      parts++;
      if (parts < 4) {
        if (i >= end || s.charAt(i) != '.') {
          return false;
        }
        i++;
      }
    }
    return i == end;
  }

  /** RFC 4291 text: eight groups of 1–4 hex digits, one {@code ::}, an IPv4 tail; no brackets or zone. */
  static boolean isIpv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    if (gap < 0) {
      return groups(s, 0, s.length(), true) == 8;
    }
    int head = gap == 0 ? 0 : groups(s, 0, gap, false);
    int tail = gap + 2 == s.length() ? 0 : groups(s, gap + 2, s.length(), true);
    return head >= 0 && tail >= 0 && head + tail <= 7;
  }

  /** The number of 16-bit groups in {@code s[start, end)}, or -1 when malformed. */
  private static int groups(String s, int start, int end, boolean ipv4Tail) {
    int count = 0;
    int i = start;
    while (true) {
      int groupEnd = s.indexOf(':', i);
      if (groupEnd < 0 || groupEnd > end) {
        groupEnd = end;
      }
      if (groupEnd == end && ipv4Tail && s.indexOf('.', i) >= 0 && s.indexOf('.', i) < end) {
        return isIpv4(s, i, end) ? count + 2 : -1;
      }
      int n = groupEnd - i;
      if (n == 0 || n > 4) {
        return -1;
      }
      for (int k = i; k < groupEnd; k++) {
        if (!isHex(s.charAt(k))) {
          return -1;
        }
      }
      count++;
      if (groupEnd == end) {
        return count;
      }
      i = groupEnd + 1;
    }
  }

  static boolean isAddress(String s) {
    return isHostname(s) || isIp(s);
  }

  /** An absolute URI (with a scheme). */
  static boolean isUri(String s) {
    URI uri = parseUri(s);
    return uri != null && uri.isAbsolute();
  }

  /** An absolute or relative URI reference. */
  static boolean isUriRef(String s) {
    return parseUri(s) != null;
  }

  private static URI parseUri(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** 8-4-4-4-12 hex digits. */
  static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : isHex(c);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Envoy's strict header name: an optional leading {@code :} (pseudo-headers) and one or more of
   * {@code 0-9 a-z A-Z ! # $ % & ' * + , - . ^ _ | ~ `}.
   */
  static boolean isHeaderName(String s) {
    int start = s.startsWith(":") ? 1 : 0;
    if (s.length() == start) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isAlnum(c) || "!#$%&'*+,-.^_|~`".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /** Envoy's strict header value: no control characters except horizontal tab. */
  static boolean isHeaderValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** The non-strict header check: no NUL, CR or LF. */
  static boolean isHeaderString(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c);
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
