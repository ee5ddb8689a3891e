package io.appmeshxds.tracing.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk buffer's progress file {@code ack}: {@code low <n>} (every seq below n needs no more
 * sending) and {@code done <a>[-<b>] …} (seqs and ranges above n that were sent). Each line ends
 * with {@code  c=<crc32 of the text before it, 8 hex digits>}.
 *
 * <p>Reading never fails: a line that is damaged (bad checksum, unparsable, implausible) is skipped
 * with a log line and counted. Losing a line can only mean sending again (a lost {@code low} reads
 * as 0, a lost {@code done} re-sends those seqs): duplicates, never a loss. Files written by the
 * first format (no checksums) are read line by line the same way.
 */
final class AckFile {
  private static final Logger LOG = LoggerFactory.getLogger(AckFile.class);
  static final String NAME = "ack";
  static final String HEADER = "appmesh-xds access-log buffer v2";
  /** A "done" range wider than this is implausible (a window holds at most tens of thousands of events). */
  static final long MAX_RANGE = 1_000_000;

  /** What the file said. */
  record State(long low, NavigableSet<Long> done) {}

  private AckFile() {}

  static State read(Path dir, LongConsumer corrupt) {
    Path p = dir.resolve(NAME);
    long low = 0;
    TreeSet<Long> done = new TreeSet<>();
    if (!Files.exists(p)) {
      return new State(low, done);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (IOException e) {
      LOG.warn("access-log buffer {}: cannot read the ack file ({}); sending every buffered record again", dir, e.toString());
      corrupt.accept(1);
      return new State(low, done);
    }
    // ISO-8859-1 maps every byte to a char: junk bytes fail the checksum instead of the decoder.
    String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
    int bad = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("appmesh-xds access-log buffer v")) {
        continue;
      }
      String text = line;
      int c = line.lastIndexOf(" c=");
      if (c >= 0) {
        text = line.substring(0, c);
        if (!line.substring(c + 3).equalsIgnoreCase(crc(text))) {
          bad++;
          LOG.warn("access-log buffer {}: ack file line {} is damaged (checksum); skipped", dir, i + 1);
          continue;
        }
      }
      try {
        String[] w = text.trim().split(" ");
        if (w[0].equals("low") && w.length == 2 && seen.add("low")) {
          low = Long.parseLong(w[1]);
          if (low < 0) {
            throw new NumberFormatException("negative");
          }
        } else if (w[0].equals("done") && seen.add("done")) {
          TreeSet<Long> d = new TreeSet<>();
          for (int k = 1; k < w.length; k++) {
            String[] ab = w[k].split("-");
            long a = Long.parseLong(ab[0]);
            long z = ab.length == 2 ? Long.parseLong(ab[1]) : a;
            if (ab.length > 2 || a < 0 || z < a || z - a > MAX_RANGE) {
              throw new NumberFormatException(w[k]);
            }
            for (long s = a; s <= z; s++) {
              d.add(s);
            }
          }
          done = d;
        } else {
          throw new NumberFormatException("unknown line");
        }
      } catch (RuntimeException e) {
        bad++;
        LOG.warn("access-log buffer {}: ack file line {} is damaged ({}); skipped", dir, i + 1, e.getMessage());
      }
    }
    if (bad > 0) {
      corrupt.accept(bad);
      LOG.warn("access-log buffer {}: {} damaged ack-file line(s) skipped; records they covered are sent again "
          + "(low {}, {} done above it)", dir, bad, low, done.size());
    }
    return new State(low, done);
  }

  /** Writes the file: fsync, then an atomic rename over the old one. */
  static void write(Path dir, long low, NavigableSet<Long> skip) throws IOException {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    line(b, "low " + low);
    if (!skip.isEmpty()) {
      StringBuilder d = new StringBuilder("done");
      Long start = null;
      long prev = 0;
      for (long s : skip) {
        if (start != null && s == prev + 1) {
          prev = s;
          continue;
        }
        if (start != null) {
          d.append(' ').append(start).append(prev == start ? "" : "-" + prev);
        }
        start = s;
        prev = s;
      }
      d.append(' ').append(start).append(prev == start ? "" : "-" + prev);
      line(b, d.toString());
    }
    Path tmp = dir.resolve(NAME + ".tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        SpillDirectory.fileAttributes(dir))) {
      ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void line(StringBuilder b, String text) {
    b.append(text).append(" c=").append(crc(text)).append('\n');
  }

  static String crc(String text) {
    CRC32 c = new CRC32();
    c.update(text.getBytes(StandardCharsets.ISO_8859_1));
    return String.format("%08x", c.getValue());
  }
}
