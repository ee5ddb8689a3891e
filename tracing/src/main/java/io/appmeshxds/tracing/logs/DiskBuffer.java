package io.appmeshxds.tracing.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier of the queue: append-only segment files and an ack file, under one directory.
 *
 * <p>Format. A segment is {@code seg-<first seq, 20 digits>.log}: the 8-byte magic
 * {@code AMXLOGS1}, then records {@code [int length][int crc32 of body][body]}, body =
 * {@code [long seq][long timestamp][u16 group length][group][u16 stream length][stream][int message
 * length][message]} (big-endian, UTF-8). Records within a segment and segments by name are in
 * {@code seq} order, and segments never overlap in seq range. A record that is short or fails its
 * CRC ends its segment (a torn write); the rest of that file is ignored and cut off on recovery.
 *
 * <p>The ack file {@code ack} (text, replaced atomically after an fsync) says which records need no
 * more sending: {@code low <n>} (every seq below n) and {@code done <a>[-<b>] …} (single seqs or
 * ranges above n). Segments whose records all lie below {@code low} are deleted.
 *
 * <p>Not thread-safe: {@link SpillQueue} calls it under its lock.
 */
final class DiskBuffer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);
  static final byte[] MAGIC = "AMXLOGS1".getBytes(StandardCharsets.US_ASCII);
  static final String ACK = "ack";

  /** One segment file. */
  static final class Segment {
    final Path path;
    long first = -1;
    long last = -1;
    long size;

    Segment(Path path) {
      this.path = path;
    }
  }

  private final Path dir;
  private final long budget;
  private final long segmentBytes;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final Map<String, LogTarget> targets = new HashMap<>();
  private long totalBytes;
  private long low;
  private NavigableSet<Long> skip = new TreeSet<>();

  private Segment writing;
  private FileChannel writeCh;
  private Segment reading;
  private long readPos;
  private FileChannel readCh;
  private FileChannel lockCh;
  private java.nio.channels.FileLock lock;

  /** What recovery found. */
  long recoveredNextSeq;
  long recoveredPending;
  final Map<LogTarget, Long> recoveredMaxTimestamp = new HashMap<>();

  private DiskBuffer(Path dir, long budget, long segmentBytes) {
    this.dir = dir;
    this.budget = budget;
    this.segmentBytes = segmentBytes;
  }

  /** Opens (and recovers) the buffer in {@code dir}. */
  static DiskBuffer open(Path dir, long budgetBytes, long segmentBytes) throws IOException {
    Files.createDirectories(dir);
    DiskBuffer b = new DiskBuffer(dir, budgetBytes, segmentBytes);
    b.lock();
    try {
      b.recover();
    } catch (IOException | RuntimeException e) {
      b.close();
      throw e;
    }
    return b;
  }

  /** Why: two processes appending to the same segments would interleave records and lose the order. */
  private void lock() throws IOException {
    lockCh = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockCh.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockCh.close();
      lockCh = null;
      throw new IOException("access-log buffer " + dir + " is in use by another exporter (give each its own bufferDir)");
    }
  }

  private void recover() throws IOException {
    readAck();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.log")) {
      ds.forEach(files::add);
    }
    files.sort(null);
    long maxSeq = -1;
    for (Path f : files) {
      Segment s = new Segment(f);
      long valid = scan(s);
      long size = Files.size(f);
      if (valid < size) {
        LOG.warn("access-log buffer {}: torn or corrupt record at byte {}; ignoring the remaining {} bytes", f, valid,
            size - valid);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.truncate(valid);
        }
      }
      s.size = valid;
      if (s.first < 0 || s.last < low) {
        Files.deleteIfExists(f);
        continue;
      }
      if (segments.containsKey(s.first)) {
        throw new IOException("two segments start at seq " + s.first + " in " + dir);
      }
      segments.put(s.first, s);
      totalBytes += s.size;
      maxSeq = Math.max(maxSeq, s.last);
    }
    recoveredNextSeq = Math.max(low, maxSeq + 1);
    if (!segments.isEmpty()) {
      reading = segments.firstEntry().getValue();
      readPos = MAGIC.length;
      LOG.info("access-log buffer {}: {} segments, {} bytes, {} events to send", dir, segments.size(), totalBytes,
          recoveredPending);
    }
  }

  /** Validates a segment; fills first/last seq, pending count and max timestamps. Returns the valid length. */
  private long scan(Segment s) throws IOException {
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
      ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
      if (readFully(ch, magic, 0) < MAGIC.length || !java.util.Arrays.equals(magic.array(), MAGIC)) {
        return 0;
      }
      long pos = MAGIC.length;
      while (true) {
        Rec r = readAt(ch, pos);
        if (r == null) {
          return pos;
        }
        pos += 8 + bodyLength;
        if (s.first < 0) {
          s.first = r.seq;
        }
        s.last = r.seq;
        recoveredMaxTimestamp.merge(r.target, r.timestamp, Math::max);
        if (r.seq >= low && !skip.contains(r.seq)) {
          recoveredPending++;
        }
      }
    }
  }

  private int bodyLength;

  /** The record at {@code pos}, or null at the end or at a torn/corrupt record. Sets {@link #bodyLength}. */
  private Rec readAt(FileChannel ch, long pos) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(8);
    if (readFully(ch, head, pos) < 8) {
      return null;
    }
    head.flip();
    int len = head.getInt();
    int crc = head.getInt();
    if (len < 28 || len > 2 * 1024 * 1024 + 1024) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    if (readFully(ch, body, pos + 8) < len) {
      return null;
    }
    CRC32 c = new CRC32();
    c.update(body.array(), 0, len);
    if ((int) c.getValue() != crc) {
      return null;
    }
    body.flip();
    long seq = body.getLong();
    long ts = body.getLong();
    String group = str(body, body.getShort() & 0xffff);
    String stream = str(body, body.getShort() & 0xffff);
    int mlen = body.getInt();
    if (mlen != body.remaining()) {
      return null;
    }
    String message = new String(body.array(), body.position(), mlen, StandardCharsets.UTF_8);
    bodyLength = len;
    LogTarget t = targets.computeIfAbsent(group + "\n" + stream, k -> new LogTarget(group, stream));
    return new Rec(seq, t, ts, message, mlen, true);
  }

  private static String str(ByteBuffer b, int len) {
    String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
    b.position(b.position() + len);
    return s;
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
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
    ByteBuffer b = ByteBuffer.allocate(8 + len);
    b.putInt(len).putInt(0).putLong(r.seq).putLong(r.timestamp)
        .putShort((short) g.length).put(g).putShort((short) s.length).put(s).putInt(m.length).put(m);
    CRC32 c = new CRC32();
    c.update(b.array(), 8, len);
    b.putInt(4, (int) c.getValue());
    return b.array();
  }

  /** Makes the next append start a new segment (a new spill period must not share a file with an older one). */
  void startNewSegment() {
    closeWriter();
  }

  /**
   * Appends records (in seq order) to the current segment; stops at the disk budget. Returns how
   * many were written (a prefix of {@code recs}).
   */
  int append(List<Rec> recs) {
    int flushed = 0;
    List<byte[]> pending = new ArrayList<>();
    long pendingBytes = 0;
    try {
      for (Rec r : recs) {
        byte[] e = encode(r);
        boolean roll = writing == null || rollNeeded(pendingBytes + e.length);
        if (totalBytes + pendingBytes + e.length + (roll ? MAGIC.length : 0) > budget) {
          break;
        }
        if (roll) {
          flushPending(pending, pendingBytes);
          flushed += pending.size();
          pending.clear();
          pendingBytes = 0;
          openWriter(r.seq);
        }
        pending.add(e);
        pendingBytes += e.length;
        if (writing.first < 0) {
          writing.first = r.seq;
        }
        writing.last = r.seq;
      }
      flushPending(pending, pendingBytes);
      flushed += pending.size();
    } catch (IOException e) {
      LOG.error("access-log buffer {}: cannot write: {}; starting a new segment", dir, e.toString());
      closeWriter(); // a partly written record ends that segment; the next append starts a new one
    }
    return flushed;
  }

  private boolean rollNeeded(long more) {
    return writing.size > MAGIC.length && writing.size + more > segmentBytes;
  }

  private void flushPending(List<byte[]> pending, long bytes) throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    ByteBuffer b = ByteBuffer.allocate((int) bytes);
    pending.forEach(b::put);
    b.flip();
    while (b.hasRemaining()) {
      writeCh.write(b);
    }
    writing.size += bytes;
    totalBytes += bytes;
  }

  private void openWriter(long firstSeq) throws IOException {
    closeWriter();
    Path p = dir.resolve(String.format("seg-%020d.log", firstSeq));
    writeCh = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    writeCh.write(ByteBuffer.wrap(MAGIC));
    writing = new Segment(p);
    writing.size = MAGIC.length;
    totalBytes += MAGIC.length;
    segments.put(firstSeq, writing);
    if (reading == null) {
      reading = writing;
      readPos = MAGIC.length;
    }
  }

  private void closeWriter() {
    if (writeCh != null) {
      try {
        writeCh.force(false);
        writeCh.close();
      } catch (IOException e) {
        LOG.warn("access-log buffer: closing {}: {}", writing.path, e.toString());
      }
      writeCh = null;
      writing = null;
    }
  }

  /** Whether records may remain to be read. */
  boolean hasUnread() {
    if (reading == null) {
      return false;
    }
    return readPos < reading.size || segments.higherKey(reading.first) != null;
  }

  /** Reads up to {@code max} records or {@code maxBytes} message bytes (at least one record if any). */
  List<Rec> read(int max, long maxBytes) {
    List<Rec> out = new ArrayList<>();
    long bytes = 0;
    try {
      while (out.size() < max && reading != null) {
        if (readPos >= reading.size) {
          Map.Entry<Long, Segment> next = segments.higherEntry(reading.first);
          if (next == null) {
            break;
          }
          closeReader();
          reading = next.getValue();
          readPos = MAGIC.length;
          continue;
        }
        if (readCh == null) {
          readCh = FileChannel.open(reading.path, StandardOpenOption.READ);
        }
        Rec r = readAt(readCh, readPos);
        if (r == null) {
          LOG.error("access-log buffer: unreadable record at byte {} of {}; skipping the rest of that segment", readPos,
              reading.path);
          readPos = reading.size;
          continue;
        }
        if (!out.isEmpty() && bytes + r.messageBytes > maxBytes) {
          break;
        }
        readPos += 8 + bodyLength;
        if (r.seq < low || skip.contains(r.seq)) {
          continue;
        }
        out.add(r);
        bytes += r.messageBytes;
      }
    } catch (IOException e) {
      LOG.error("access-log buffer: cannot read {}: {}; skipping the rest of that segment", reading.path, e.toString());
      closeReader();
      readPos = reading.size;
    }
    return out;
  }

  private void closeReader() {
    if (readCh != null) {
      try {
        readCh.close();
      } catch (IOException e) {
        // read-only
      }
      readCh = null;
    }
  }

  /** Every seq below this needs no more sending. */
  long low() {
    return low;
  }

  boolean hasSegments() {
    return !segments.isEmpty();
  }

  long bytes() {
    return totalBytes;
  }

  /**
   * Records progress: every seq below {@code newLow} and the seqs in {@code done} need no more
   * sending. Writes the ack file (fsync, atomic rename) and deletes segments wholly below {@code newLow}.
   */
  void ack(long newLow, NavigableSet<Long> done) {
    low = Math.max(low, newLow);
    TreeSet<Long> keep = new TreeSet<>(skip.tailSet(low, true)); // recovered "done" seqs not read yet stay skipped
    keep.addAll(done.tailSet(low, true));
    skip = keep;
    try {
      writeAck();
      while (!segments.isEmpty()) {
        Segment s = segments.firstEntry().getValue();
        if (s.last >= low || s == writing || s.last < 0) {
          break;
        }
        segments.remove(s.first);
        if (s == reading) {
          closeReader();
          Map.Entry<Long, Segment> next = segments.firstEntry();
          reading = next == null ? null : next.getValue();
          readPos = MAGIC.length;
        }
        Files.deleteIfExists(s.path);
        totalBytes -= s.size;
      }
    } catch (IOException e) {
      // Progress not recorded: after a crash these records would be sent again (never lost).
      LOG.warn("access-log buffer {}: cannot write the ack file: {}", dir, e.toString());
    }
  }

  private void writeAck() throws IOException {
    StringBuilder b = new StringBuilder("appmesh-xds access-log buffer v1\nlow ").append(low).append('\n');
    if (!skip.isEmpty()) {
      b.append("done");
      Long start = null;
      long prev = 0;
      for (long s : skip) {
        if (start != null && s == prev + 1) {
          prev = s;
          continue;
        }
        if (start != null) {
          b.append(' ').append(start).append(prev == start ? "" : "-" + prev);
        }
        start = s;
        prev = s;
      }
      b.append(' ').append(start).append(prev == start ? "" : "-" + prev).append('\n');
    }
    Path tmp = dir.resolve(ACK + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(ACK), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(ACK), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void readAck() throws IOException {
    Path p = dir.resolve(ACK);
    if (!Files.exists(p)) {
      return;
    }
    for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
      String[] w = line.trim().split(" ");
      if (w[0].equals("low")) {
        low = Long.parseLong(w[1]);
      } else if (w[0].equals("done")) {
        for (int i = 1; i < w.length; i++) {
          String[] ab = w[i].split("-");
          long a = Long.parseLong(ab[0]);
          long z = ab.length > 1 ? Long.parseLong(ab[1]) : a;
          for (long s = a; s <= z; s++) {
            skip.add(s);
          }
        }
      }
    }
  }

  /**
   * At shutdown: writes records that exist only in memory (seq order) into new segments, one per
   * run that no existing segment's range interrupts, so reading segments by name keeps seq order.
   * Returns how many were written (the rest exceeded the budget).
   */
  int writeResidual(List<Rec> recs) {
    closeWriter();
    int written = 0;
    int i = 0;
    while (i < recs.size()) {
      Long boundary = segments.higherKey(recs.get(i).seq);
      int j = i;
      while (j < recs.size() && (boundary == null || recs.get(j).seq < boundary)) {
        j++;
      }
      int n = append(recs.subList(i, j));
      written += n;
      closeWriter();
      if (n < j - i) {
        break;
      }
      i = j;
    }
    return written;
  }

  @Override
  public void close() {
    closeWriter();
    closeReader();
    if (lockCh != null) {
      try {
        lock.release();
        lockCh.close();
      } catch (IOException e) {
        // released with the channel anyway
      }
      lockCh = null;
    }
  }
}
