package io.appmeshxds.tracing.logs;

/**
 * Where an event goes: a CloudWatch Logs group and stream.
 *
 * @param group log group name (1-512 of {@code [A-Za-z0-9_\-/.#]})
 * @param stream log stream name (1-512, no {@code :} or {@code *})
 */
public record LogTarget(String group, String stream) {
  public LogTarget {
    if (group.isEmpty() || stream.isEmpty()) {
      throw new IllegalArgumentException("empty log group or stream");
    }
  }

  /** A group name CloudWatch accepts: other characters become {@code _}, at most 512. */
  public static String sanitizeGroup(String s) {
    StringBuilder b = new StringBuilder(Math.min(512, s.length()));
    for (int i = 0; i < s.length() && b.length() < 512; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == '/' || c == '.' || c == '#';
      b.append(ok ? c : '_');
    }
    return b.length() == 0 ? "_" : b.toString();
  }

  /** A stream name CloudWatch accepts: {@code :} and {@code *} (and controls) become {@code _}, at most 512. */
  public static String sanitizeStream(String s) {
    StringBuilder b = new StringBuilder(Math.min(512, s.length()));
    for (int i = 0; i < s.length() && b.length() < 512; i++) {
      char c = s.charAt(i);
      b.append(c == ':' || c == '*' || c < 0x20 ? '_' : c);
    }
    return b.length() == 0 ? "_" : b.toString();
  }
}
