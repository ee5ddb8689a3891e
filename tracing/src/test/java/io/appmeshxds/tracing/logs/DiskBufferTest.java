package io.appmeshxds.tracing.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment format on its own: torn writes, the ack file, one owner per directory. */
class DiskBufferTest {
  static final LogTarget T = new LogTarget("/g", "s");

  @TempDir Path dir;

  static List<Rec> recs(long from, int n) {
    List<Rec> out = new ArrayList<>();
    for (long s = from; s < from + n; s++) {
      String m = "{\"request_id\":\"r" + s + "\"}";
      out.add(new Rec(s, T, 1_000 + s, m, m.length(), false));
    }
    return out;
  }

  @Test
  void aTornLastRecordIsCutOffAndEverythingBeforeItRecovered() throws IOException {
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 1 << 20)) {
      assertThat(b.append(recs(0, 10))).isEqualTo(10);
    }
    Path seg;
    try (Stream<Path> s = Files.list(dir)) {
      seg = s.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
    }
    long size = Files.size(seg);
    try (var ch = java.nio.channels.FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(size - 3); // power loss in the middle of the last record
    }
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 1 << 20)) {
      assertThat(b.recoveredPending).isEqualTo(9);
      assertThat(b.recoveredNextSeq).isEqualTo(9);
      List<Rec> back = b.read(100, 1 << 20);
      assertThat(back).extracting(r -> r.seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
      assertThat(back.get(3).message).isEqualTo("{\"request_id\":\"r3\"}");
      assertThat(back).allMatch(r -> r.onDisk && r.target.equals(T));
    }
  }

  @Test
  void theAckFileSkipsDoneRecordsAndDeletesFinishedSegments() throws IOException {
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 400)) { // tiny segments: several files
      b.append(recs(0, 20));
      b.startNewSegment();
      b.ack(12, new TreeSet<>(List.of(13L, 15L, 16L)));
    }
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 400)) {
      assertThat(Files.readString(dir.resolve("ack"))).contains("low 12", "done 13 15-16");
      assertThat(b.read(100, 1 << 20)).extracting(r -> r.seq).containsExactly(12L, 14L, 17L, 18L, 19L);
      assertThat(b.recoveredPending).isEqualTo(5);
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.filter(p -> p.getFileName().toString().startsWith("seg-")).count())
          .as("segments wholly below low are gone").isLessThan(20 * 40 / 400 + 1);
    }
  }

  @Test
  void theBudgetStopsAppendsAndOneDirectoryHasOneOwner() throws IOException {
    try (DiskBuffer b = DiskBuffer.open(dir, 1_000, 1 << 20)) {
      int n = b.append(recs(0, 100));
      assertThat(n).isBetween(1, 99);
      assertThat(b.bytes()).isLessThanOrEqualTo(1_000);
      assertThatThrownBy(() -> DiskBuffer.open(dir, 1_000, 1 << 20)).isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another exporter");
    }
    DiskBuffer.open(dir, 1_000, 1 << 20).close(); // released on close
  }
}
