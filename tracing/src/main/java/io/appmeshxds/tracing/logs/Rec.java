package io.appmeshxds.tracing.logs;

import java.nio.charset.StandardCharsets;

/**
 * One queued event. {@code seq} orders the whole queue (memory and disk, across restarts);
 * {@code onDisk} says a segment file holds it; {@code done} that it needs no more sending
 * (sent, rejected or dropped).
 */
final class Rec {
  /** Memory accounting overhead per record (object headers, references), an estimate. */
  static final int OVERHEAD = 96;

  final long seq;
  final LogTarget target;
  final long timestamp;
  final String message;
  final int messageBytes;
  final boolean onDisk;
  boolean done;

  Rec(long seq, LogTarget target, long timestamp, String message, int messageBytes, boolean onDisk) {
    this.seq = seq;
    this.target = target;
    this.timestamp = timestamp;
    this.message = message;
    this.messageBytes = messageBytes;
    this.onDisk = onDisk;
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3; // lone surrogates are encoded as '?' (1 byte) by getBytes; counting 3 only over-estimates
      }
    }
    return n;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  long memoryBytes() {
    return messageBytes + OVERHEAD;
  }

  Rec onDisk() {
    return new Rec(seq, target, timestamp, message, messageBytes, true);
  }
}
