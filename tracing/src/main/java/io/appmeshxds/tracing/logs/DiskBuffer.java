package io.appmeshxds.tracing.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier of the queue: append-only segment files and an ack file, under one private
 * directory ({@link SpillDirectory}: 0700, files 0600).
 *
 * <p>Format. A segment is {@code seg-<first seq, 20 digits>.log}: the 8-byte magic
 * {@code AMXLOGS2}, then records {@code [sync FE 41 4D 52][int length][int crc32 of length and
 * body][body]}, body = {@code [long seq][long timestamp][u16 group length][group][u16 stream
 * length][stream][int message length][message]} (big-endian, UTF-8). Records within a segment and
 * segments by name are in {@code seq} order, and segments never overlap in seq range.
 *
 * <p>Damage. Every record is framed and checksummed on its own, so damage costs exactly the records
 * it touches: a record that fails its checksum is skipped up to the next sync marker that starts a
 * valid record (the byte {@code FE} never occurs in UTF-8 text, and a false marker must also pass
 * the CRC); a damaged segment header is reported and the records behind it are still read; a
 * damaged tail (a torn write) is cut off. Each damaged span is logged and counted
 * ({@code appmeshxds_accesslogs_corrupt}). Segments of the first format ({@code AMXLOGS1}: no sync
 * marker) are still read; there a damaged record ends its segment.
 *
 * <p>The ack file ({@link AckFile}) says which records need no more sending. Segments whose records
 * all lie below its {@code low} are deleted.
 *
 * <p>Not thread-safe: {@link SpillQueue} calls it under its lock.
 */
final class DiskBuffer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);
  static final byte[] MAGIC = "AMXLOGS2".getBytes(StandardCharsets.US_ASCII);
  static final byte[] MAGIC_V1 = "AMXLOGS1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SYNC = SpillRecords.SYNC;
  static final int HEAD = SpillRecords.HEAD;
  static final String ACK = AckFile.NAME;

  /** One segment file. */
  static final class Segment {
    final Path path;
    long first = -1;
    long last = -1;
    long size;
    /** First format: no sync markers, damage ends the segment. */
    boolean v1;
    /** Damaged spans found by recovery: start → where the next valid record begins. */
    final Map<Long, Long> damaged = new HashMap<>();

    Segment(Path path) {
      this.path = path;
    }
  }

  private final Path dir;
  private final long budget;
  private final long segmentBytes;
  private final java.util.function.LongConsumer corrupt;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final SpillRecords records = new SpillRecords();
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

  private DiskBuffer(Path dir, long budget, long segmentBytes, java.util.function.LongConsumer corrupt) {
    this.dir = dir;
    this.budget = budget;
    this.segmentBytes = segmentBytes;
    this.corrupt = corrupt;
  }

  /** Opens (and recovers) the buffer in {@code dir}. */
  static DiskBuffer open(Path dir, long budgetBytes, long segmentBytes) throws IOException {
    return open(dir, budgetBytes, segmentBytes, n -> { });
  }

  /**
   * Opens (and recovers) the buffer in {@code dir} (created private, refused if unsafe: see
   * {@link SpillDirectory}); {@code corrupt} is told how many damaged records or ack-file lines
   * were skipped, at recovery and later.
   */
  static DiskBuffer open(Path dir, long budgetBytes, long segmentBytes, java.util.function.LongConsumer corrupt)
      throws IOException {
    SpillDirectory.prepare(dir);
    DiskBuffer b = new DiskBuffer(dir, budgetBytes, segmentBytes, corrupt);
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
    lockCh = FileChannel.open(dir.resolve("lock"), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        SpillDirectory.fileAttributes(dir));
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
    AckFile.State ack = AckFile.read(dir, corrupt);
    low = ack.low();
    skip = new TreeSet<>(ack.done());
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
        LOG.warn("access-log buffer {}: torn or damaged record at byte {} with no valid record after it; cutting off "
            + "the remaining {} bytes", f, valid, size - valid);
        corrupt.accept(1);
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

  /** Validates a segment; fills first/last seq, damaged spans, pending count and max timestamps. Returns the valid length. */
  private long scan(Segment s) throws IOException {
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < MAGIC.length) {
        return 0;
      }
      ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
      SpillRecords.readFully(ch, magic, 0);
      s.v1 = java.util.Arrays.equals(magic.array(), MAGIC_V1);
      if (!s.v1 && !java.util.Arrays.equals(magic.array(), MAGIC)) {
        LOG.warn("access-log buffer {}: damaged segment header; reading its records anyway", s.path);
        corrupt.accept(1);
      }
      long pos = MAGIC.length;
      long end = pos;
      while (pos < size) {
        Rec r = records.readAt(ch, pos, size, s.v1);
        if (r == null) {
          long next = s.v1 ? -1 : records.nextValid(ch, pos + 1, size);
          if (next < 0) {
            break; // the tail: cut off by the caller
          }
          s.damaged.put(pos, next);
          corrupt.accept(1);
          LOG.warn("access-log buffer {}: damaged record at bytes {}-{} skipped; the records after it are kept", s.path,
              pos, next);
          pos = next;
          continue;
        }
        pos += records.length();
        end = pos;
        if (s.first < 0) {
          s.first = r.seq;
        }
        s.last = r.seq;
        recoveredMaxTimestamp.merge(r.target, r.timestamp, Math::max);
        if (r.seq >= low && !skip.contains(r.seq)) {
          recoveredPending++;
        }
      }
      return end;
    }
  }

  static byte[] encode(Rec r) {
    return SpillRecords.encode(r);
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
        byte[] e = SpillRecords.encode(r);
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
    writeCh = FileChannel.open(p, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        SpillDirectory.fileAttributes(dir));
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
        Rec r = records.readAt(readCh, readPos, reading.size, reading.v1);
        if (r == null) {
          Long known = reading.damaged.get(readPos);
          if (known != null) {
            readPos = known; // found and reported at recovery
            continue;
          }
          long next = reading.v1 ? -1 : records.nextValid(readCh, readPos + 1, reading.size);
          corrupt.accept(1);
          LOG.error("access-log buffer: damaged record at byte {} of {}; {}", readPos, reading.path,
              next < 0 ? "skipping the rest of that segment" : "skipped to the next valid record at byte " + next);
          readPos = next < 0 ? reading.size : next;
          continue;
        }
        if (!out.isEmpty() && bytes + r.messageBytes > maxBytes) {
          break;
        }
        readPos += records.length();
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
      AckFile.write(dir, low, skip);
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
