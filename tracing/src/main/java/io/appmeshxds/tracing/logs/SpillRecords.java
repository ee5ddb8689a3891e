package io.appmeshxds.tracing.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The disk buffer's record framing ({@link DiskBuffer} describes the format): encoding, reading
 * one record with its checks, and finding the next valid record after a damaged one. Interns log
 * targets, so records of one stream share one {@link LogTarget}. Not thread-safe.
 */
final class SpillRecords {
  static final byte[] SYNC = {(byte) 0xFE, 'A', 'M', 'R'};
  static final int HEAD = SYNC.length + 8;
  static final int MAX_BODY = 2 * 1024 * 1024 + 1024;

  private final Map<String, LogTarget> targets = new HashMap<>();
  private int length;

  /** The length of the record the last successful {@link #readAt} returned (header included). */
  int length() {
    return length;
  }

  /**
   * Where the next valid record starts at or after {@code from} (before {@code limit}), or -1: the
   * next sync marker whose record passes its checksum.
   */
  long nextValid(FileChannel ch, long from, long limit) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long p = from;
    while (p + HEAD <= limit) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), limit - p));
      int n = readFully(ch, buf, p);
      byte[] a = buf.array();
      for (int i = 0; i + SYNC.length <= n; i++) {
        if (a[i] == SYNC[0] && a[i + 1] == SYNC[1] && a[i + 2] == SYNC[2] && a[i + 3] == SYNC[3]
            && readAt(ch, p + i, limit, false) != null) {
          return p + i;
        }
      }
      if (n < SYNC.length) {
        break;
      }
      p += n - (SYNC.length - 1);
    }
    return -1;
  }


  /**
   * The record at {@code pos}, or null at the end or at a torn/damaged record. Sets
   * {@link #length()}.
   */
  Rec readAt(FileChannel ch, long pos, long limit, boolean v1) throws IOException {
    int headLen = v1 ? 8 : HEAD;
    if (pos + headLen > limit) {
      return null;
    }
    ByteBuffer head = ByteBuffer.allocate(headLen);
    if (readFully(ch, head, pos) < headLen) {
      return null;
    }
    head.flip();
    if (!v1) {
      for (byte b : SYNC) {
        if (head.get() != b) {
          return null;
        }
      }
    }
    int len = head.getInt();
    int crc = head.getInt();
    if (len < 28 || len > MAX_BODY || pos + headLen + len > limit) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    if (readFully(ch, body, pos + headLen) < len) {
      return null;
    }
    CRC32 c = new CRC32();
    if (!v1) {
      c.update(head.array(), SYNC.length, 4);
    }
    c.update(body.array(), 0, len);
    if ((int) c.getValue() != crc) {
      return null;
    }
    body.flip();
    long seq = body.getLong();
    long ts = body.getLong();
    int glen = body.getShort() & 0xffff;
    if (glen > body.remaining() - 6) {
      return null;
    }
    String group = str(body, glen);
    int slen = body.getShort() & 0xffff;
    if (slen > body.remaining() - 4) {
      return null;
    }
    String stream = str(body, slen);
    int mlen = body.getInt();
    if (mlen != body.remaining()) {
      return null;
    }
    String message = new String(body.array(), body.position(), mlen, StandardCharsets.UTF_8);
    length = headLen + len;
    LogTarget t = targets.computeIfAbsent(group + "\n" + stream, k -> new LogTarget(group, stream));
    return new Rec(seq, t, ts, message, mlen, true);
  }

  private static String str(ByteBuffer b, int len) {
    String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
    b.position(b.position() + len);
    return s;
  }

  static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  static byte[] encode(Rec r) {
    byte[] g = Rec.utf8(r.target.group());
    byte[] s = Rec.utf8(r.target.stream());
    byte[] m = Rec.utf8(r.message);
    int len = 8 + 8 + 2 + g.length + 2 + s.length + 4 + m.length;
    ByteBuffer b = ByteBuffer.allocate(HEAD + len);
    b.put(SYNC).putInt(len).putInt(0).putLong(r.seq).putLong(r.timestamp)
        .putShort((short) g.length).put(g).putShort((short) s.length).put(s).putInt(m.length).put(m);
    CRC32 c = new CRC32();
    c.update(b.array(), SYNC.length, 4);
    c.update(b.array(), HEAD, len);
    b.putInt(SYNC.length + 4, (int) c.getValue());
    return b.array();
  }
}
