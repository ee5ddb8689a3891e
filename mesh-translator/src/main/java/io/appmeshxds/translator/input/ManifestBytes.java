package io.appmeshxds.translator.input;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A manifest's bytes, checked before anything parses them: no larger than the limit, text rather
 * than binary data, and UTF-8 (as Kubernetes requires), with the byte offset and line of the first
 * byte that is not. Each check costs one pass over the bytes. Reading them is {@link
 * ManifestFiles}'s job.
 */
public final class ManifestBytes {
  private ManifestBytes() {}

  /** Why a file is refused: one line, naming the file. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Refused when {@code length} is over the limit. */
  public static void checkSize(String location, long length, ManifestLimits limits) throws Refused {
    if (length > limits.maxFileBytes()) {
      throw new Refused(location + ": " + size(length) + ", over " + size(limits.maxFileBytes())
          + ", the limit for one manifest file (--max-manifest-bytes); not read");
    }
  }

  /**
   * The text of {@code bytes}, or why not: a NUL byte (binary data, not a manifest) or a byte
   * sequence that is not UTF-8. A leading byte order mark is dropped.
   */
  public static String decode(String location, byte[] bytes) throws Refused {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new Refused(location + ": binary data, not a manifest (a NUL byte at byte offset " + i + ", line "
            + line(bytes, i) + "); not read");
      }
    }
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF
        ? 3 : 0;
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length - start);
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      throw new Refused(location + ": not UTF-8: byte 0x" + String.format(Locale.ROOT, "%02X", bytes[at] & 0xff)
          + " at byte offset " + at + " (line " + line(bytes, at) + ") does not begin a valid UTF-8 sequence; "
          + "manifests must be UTF-8 text; not read");
    }
    out.flip();
    return out.toString();
  }

  private static int line(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  /** {@code 52,428,800 bytes (50.0 MiB)}. */
  static String size(long bytes) {
    return String.format(Locale.ROOT, "%,d bytes (%.1f MiB)", bytes, bytes / 1048576.0);
  }
}
