package io.appmeshxds.tracing.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the disk buffer costs exactly what is damaged: a flipped byte loses the one record it
 * hits, a damaged segment header or ack file loses nothing, and each is logged and counted.
 */
class SpillCorruptionTest {
  @TempDir Path dir;
  final AtomicLong corrupt = new AtomicLong();

  /** Writes 25 records (seq 0..24) in one segment; returns the segment and each record's offset. */
  record Written(Path segment, long[] offsets) {}

  Written write25() throws IOException {
    List<Rec> recs = DiskBufferTest.recs(0, 25);
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 1 << 20, corrupt::addAndGet)) {
      assertThat(b.append(recs)).isEqualTo(25);
    }
    long[] offsets = new long[25];
    long pos = DiskBuffer.MAGIC.length;
    for (int i = 0; i < 25; i++) {
      offsets[i] = pos;
      pos += DiskBuffer.encode(recs.get(i)).length;
    }
    Path seg;
    try (Stream<Path> s = Files.list(dir)) {
      seg = s.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
    }
    assertThat(Files.size(seg)).isEqualTo(pos);
    return new Written(seg, offsets);
  }

  static void flip(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x40));
      b.rewind();
      ch.write(b, at);
    }
  }

  List<Long> reopenAndReadSeqs() throws IOException {
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 1 << 20, corrupt::addAndGet)) {
      List<Long> seqs = new ArrayList<>();
      for (Rec r : b.read(1_000, 1 << 20)) {
        seqs.add(r.seq);
      }
      assertThat(b.recoveredPending).isEqualTo(seqs.size());
      return seqs;
    }
  }

  static List<Long> allBut(long... lost) {
    List<Long> out = new ArrayList<>(LongStream.range(0, 25).boxed().toList());
    for (long l : lost) {
      out.remove(l);
    }
    return out;
  }

  @Test
  void oneFlippedByteInARecordsMessageLosesExactlyThatRecord() throws IOException {
    Written w = write25();
    flip(w.segment(), w.offsets()[10] + 40); // inside record 10's body
    try (LogCapture log = new LogCapture(DiskBuffer.class, Level.WARN)) {
      assertThat(reopenAndReadSeqs()).as("24 of 25 survive").containsExactlyElementsOf(allBut(10));
      assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("damaged record at bytes "
          + w.offsets()[10] + "-" + w.offsets()[11]));
    }
    assertThat(corrupt.get()).isEqualTo(1);
  }

  @Test
  void aFlippedByteInALengthFieldOrSyncMarkerLosesExactlyThatRecord() throws IOException {
    Written w = write25();
    flip(w.segment(), w.offsets()[3] + DiskBuffer.SYNC.length + 1); // record 3's length
    flip(w.segment(), w.offsets()[17] + 2); // record 17's sync marker
    assertThat(reopenAndReadSeqs()).containsExactlyElementsOf(allBut(3, 17));
    assertThat(corrupt.get()).isEqualTo(2);
  }

  @Test
  void aDamagedFirstOrLastRecordLosesOnlyThatRecord() throws IOException {
    Written w = write25();
    flip(w.segment(), w.offsets()[0] + 20);
    flip(w.segment(), w.offsets()[24] + 20);
    assertThat(reopenAndReadSeqs()).containsExactlyElementsOf(allBut(0, 24));
    assertThat(corrupt.get()).isEqualTo(2);
  }

  @Test
  void aDamagedSegmentHeaderKeepsTheSegmentAndEveryRecord() throws IOException {
    Written w = write25();
    flip(w.segment(), 3);
    try (LogCapture log = new LogCapture(DiskBuffer.class, Level.WARN)) {
      assertThat(reopenAndReadSeqs()).containsExactlyElementsOf(allBut());
      assertThat(log.lines()).anyMatch(l -> l.contains("damaged segment header"));
    }
    assertThat(w.segment()).exists();
    assertThat(corrupt.get()).isEqualTo(1);
  }

  @Test
  void damageFoundOnlyWhileReadingIsSkippedTheSameWay() throws IOException {
    write25();
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 1 << 20, corrupt::addAndGet)) {
      Path seg;
      try (Stream<Path> s = Files.list(dir)) {
        seg = s.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
      }
      long rec12 = DiskBuffer.MAGIC.length + 12L * DiskBuffer.encode(DiskBufferTest.recs(0, 1).get(0)).length;
      flip(seg, rec12 + 30); // after recovery scanned it: the reader finds it
      List<Long> seqs = b.read(1_000, 1 << 20).stream().map(r -> r.seq).toList();
      assertThat(seqs).containsExactlyElementsOf(allBut(12));
    }
    assertThat(corrupt.get()).isEqualTo(1);
  }

  @Test
  void aCorruptAckFileDoesNotStopTheBufferAndOnlyItsDamagedLineIsLost() throws IOException {
    write25();
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 1 << 20, corrupt::addAndGet)) {
      b.ack(5, new java.util.TreeSet<>(List.of(7L, 8L, 20L)));
    }
    Path ack = dir.resolve("ack");
    String text = Files.readString(ack);
    assertThat(text).contains("low 5 c=", "done 7-8 20 c=");
    // Damage the "done" line only: low still holds, seqs 7, 8 and 20 are sent again (duplicates, never a loss).
    Files.writeString(ack, text.replace("done 7-8 20", "done 7-8 2O"));
    assertThat(reopenAndReadSeqs()).containsExactlyElementsOf(LongStream.range(5, 25).boxed().toList());
    assertThat(corrupt.get()).isEqualTo(1);

    // Binary junk: nothing parses; the buffer opens and sends everything it holds.
    Files.write(ack, new byte[] {(byte) 0xff, 0, 'l', 'o', 'w', ' ', (byte) 0x9c, '\n', 'd', 'o', 'n', 'e', ' ', '-', '\n'});
    corrupt.set(0);
    assertThat(reopenAndReadSeqs()).containsExactlyElementsOf(allBut());
    assertThat(corrupt.get()).isEqualTo(2);

    // An implausible range in an old-format (unchecksummed) file is refused, not expanded.
    Files.writeString(ack, "appmesh-xds access-log buffer v1\nlow 2\ndone 3-9000000000000000000\n", StandardCharsets.US_ASCII);
    corrupt.set(0);
    assertThat(reopenAndReadSeqs()).containsExactlyElementsOf(LongStream.range(2, 25).boxed().toList());
    assertThat(corrupt.get()).isEqualTo(1);
  }

  @Test
  void segmentsOfTheFirstFormatAreStillRead() throws IOException {
    // A v1 segment as the previous release wrote it: [len][crc of body][body], no sync marker.
    List<Rec> recs = DiskBufferTest.recs(0, 5);
    ByteBuffer file = ByteBuffer.allocate(1 << 16);
    file.put(DiskBuffer.MAGIC_V1);
    for (Rec r : recs) {
      byte[] v2 = DiskBuffer.encode(r);
      byte[] body = java.util.Arrays.copyOfRange(v2, DiskBuffer.HEAD, v2.length);
      java.util.zip.CRC32 c = new java.util.zip.CRC32();
      c.update(body);
      file.putInt(body.length).putInt((int) c.getValue()).put(body);
    }
    Files.write(dir.resolve(String.format("seg-%020d.log", 0)), java.util.Arrays.copyOf(file.array(), file.position()));
    Files.writeString(dir.resolve("ack"), "appmesh-xds access-log buffer v1\nlow 1\n");
    assertThat(reopenAndReadSeqs()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(corrupt.get()).isZero();
  }
}
