package io.appmeshxds.tracing.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spill directory is private, and one prepared by someone else is refused with one line. */
class SpillDirectoryTest {
  @TempDir Path tmp;

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aNewDirectoryIsCreated0700AndItsFiles0600() throws Exception {
    Path dir = tmp.resolve("a/b/buffer");
    try (DiskBuffer b = DiskBuffer.open(dir, 1 << 20, 1 << 20)) {
      b.append(DiskBufferTest.recs(0, 3));
      b.ack(1, new java.util.TreeSet<>());
    }
    assertThat(mode(dir)).isEqualTo("rwx------");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("ack", "lock")
        .anyMatch(n -> n.startsWith("seg-"));
    for (Path f : files) {
      assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
    }
  }

  @Test
  void aGroupOrWorldWritableDirectoryIsRefusedWithOneLine() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("planted"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.write(dir.resolve("seg-00000000000000000000.log"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> new LogExporter(null, LogExporter.Settings.of(dir, 1 << 20, 0), ExporterClock.system(),
        new SimpleMeterRegistry()))
        .isInstanceOf(IOException.class)
        .hasMessage("access-log buffer directory " + dir + " is writable by its group or by others (mode rwxrwxrwx); "
            + "refusing to use it (it must be a directory owned by this user and writable only by it: remove it, "
            + "or choose another with bufferDir / --buffer-dir)");
    assertThat(dir.resolve("seg-00000000000000000000.log")).as("nothing touched").hasBinaryContent(new byte[] {1, 2, 3});
  }

  @Test
  void aDirectoryOwnedByAnotherUserIsRefused() throws Exception {
    Path dir;
    if (SpillDirectory.myUid() == 0) {
      dir = Files.createDirectory(tmp.resolve("theirs"), PosixFilePermissions.asFileAttribute(SpillDirectory.DIR));
      Files.setAttribute(dir, "unix:uid", 4242); // as another user would have created it, mode 0700
    } else {
      dir = Path.of("/"); // owned by root, not by us
    }
    Path d = dir;
    assertThatThrownBy(() -> DiskBuffer.open(d, 1 << 20, 1 << 20)).isInstanceOf(IOException.class)
        .hasMessageContaining("is owned by uid " + (SpillDirectory.myUid() == 0 ? 4242 : 0)
            + ", not by this process (uid " + SpillDirectory.myUid() + "); refusing to use it");
  }

  @Test
  void aSymbolicLinkPlantedByAnotherUserIsRefused() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(SpillDirectory.myUid() == 0, "needs root to own a link as another user");
    Path target = Files.createDirectory(tmp.resolve("target"), PosixFilePermissions.asFileAttribute(SpillDirectory.DIR));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    Files.setAttribute(link, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);
    assertThatThrownBy(() -> DiskBuffer.open(link, 1 << 20, 1 << 20)).isInstanceOf(IOException.class)
        .hasMessageContaining("is a symbolic link owned by uid 4242");
  }

  @Test
  void anOwnDirectoryReadableByOthersIsTightenedAndAFileInTheWayIsOneLine() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("mine"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    DiskBuffer.open(dir, 1 << 20, 1 << 20).close();
    assertThat(mode(dir)).isEqualTo("rwx------");

    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> DiskBuffer.open(file, 1 << 20, 1 << 20)).isInstanceOf(IOException.class)
        .hasMessageContaining("exists and is not a directory").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> DiskBuffer.open(file.resolve("sub"), 1 << 20, 1 << 20)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("access-log buffer directory " + file.resolve("sub") + " cannot be used: ")
        .hasMessageNotContaining("\n");
  }
}
