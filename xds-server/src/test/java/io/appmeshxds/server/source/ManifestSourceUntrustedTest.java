package io.appmeshxds.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.HostileInputs;
import io.appmeshxds.translator.input.ManifestLimits;
import io.appmeshxds.translator.input.Problem;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watched manifest files under hostile or careless writers: read only once stable, shrinks applied
 * only after the settle period, bad files refused with one line while their last good objects stay
 * served, unchanged files never read twice. A fake clock drives the settle period; the source's
 * {@code reloadAll()} is what the watcher thread calls on each file event.
 */
class ManifestSourceUntrustedTest {
  static final long SETTLE_MS = 1_000;

  @TempDir Path dir;
  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final ResourceStore store = new ResourceStore();
  ManifestSource source;

  final io.micrometer.core.instrument.simple.SimpleMeterRegistry metrics =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  @BeforeEach
  void open() {
    source = new ManifestSource(List.of(dir), store, SETTLE_MS, ManifestLimits.defaults(), clock::get).metrics(metrics);
  }

  private double counted(String name, String tag, String value) {
    var c = metrics.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private void advance(long ms) {
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private List<String> problems(Path f) {
    return store.problems().getOrDefault("file:" + f, List.of()).stream().map(Problem::toLine).toList();
  }

  @Test
  void aSlowNonAtomicRewriteIsNeverServedHalfWritten() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    Files.writeString(f, HostileInputs.mesh(20));
    source.reloadAll(); // at start: read at once
    assertThat(store.refs()).hasSize(62);
    String next = HostileInputs.mesh(20).replace("prefix: /", "prefix: /v2");
    byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
    // A writer truncates the file, then writes a fifth of it, pauses (longer than the settle
    // period), writes the rest in four steps 300 ms apart.
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 5));
    assertThat(source.reloadAll()).as("next check").isEqualTo(TimeUnit.MILLISECONDS.toNanos(SETTLE_MS));
    assertThat(store.refs()).as("not read before it is stable").hasSize(62);
    advance(SETTLE_MS);
    // Stable for the settle period: read, 14 of 62 objects: a shrink, held.
    HostileInputs.measured("serve: a fifth of a rewrite, held", 1_000, 64L << 20, source::reloadAll);
    assertThat(store.refs()).as("a shrink is held").hasSize(62);
    for (int part = 2; part <= 5; part++) {
      Files.write(f, java.util.Arrays.copyOfRange(bytes, bytes.length * (part - 1) / 5, bytes.length * part / 5),
          StandardOpenOption.APPEND);
      advance(300);
      source.reloadAll();
      assertThat(store.refs()).as("after part %d", part).hasSize(62);
      assertThat(routesWithPrefix("/v2")).as("nothing of the new version before it is stable").isZero();
    }
    advance(SETTLE_MS);
    source.reloadAll();
    assertThat(store.refs()).hasSize(62);
    assertThat(routesWithPrefix("/v2")).isEqualTo(20);
    assertThat(source.reloadAll()).as("nothing pending but a content check of the just-written file")
        .isIn(-1L, TimeUnit.MILLISECONDS.toNanos(ManifestSource.RACY_MILLIS));
  }

  private long routesWithPrefix(String prefix) {
    return store.snapshot().objects().values().stream().filter(o -> o.toString().contains("prefix=" + prefix + ","))
        .count();
  }

  @Test
  void aSameSizeRewriteInTheSameTimestampTickIsStillSeen() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    Files.writeString(f, HostileInputs.mesh(3));
    java.nio.file.attribute.FileTime tick = Files.getLastModifiedTime(f);
    source.reloadAll();
    // A file system with coarse timestamps: same size, same modification time, other content.
    Files.writeString(f, HostileInputs.mesh(3).replace("weight: 1", "weight: 7"));
    Files.setLastModifiedTime(f, tick);
    source.reloadAll();
    advance(SETTLE_MS);
    source.reloadAll();
    assertThat(store.snapshot().objects().values().stream().filter(o -> o.toString().contains("weight=7")).count())
        .isEqualTo(3);
  }

  @Test
  void anAtomicRenameIsReadAfterTheSettlePeriodWhole() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    Files.writeString(f, HostileInputs.mesh(2));
    source.reloadAll();
    Path tmp = Files.writeString(dir.resolve(".mesh.yaml.tmp"), HostileInputs.mesh(3));
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
    source.reloadAll();
    assertThat(store.refs()).hasSize(8);
    advance(SETTLE_MS);
    source.reloadAll();
    assertThat(store.refs()).hasSize(11);
  }

  @Test
  void anEmptiedFileIsAppliedOnlyAfterItStaysEmpty() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    Files.writeString(f, HostileInputs.mesh(5));
    source.reloadAll();
    Files.writeString(f, "");
    source.reloadAll();
    advance(SETTLE_MS);
    assertThat(source.reloadAll()).as("held for another settle period").isEqualTo(TimeUnit.MILLISECONDS.toNanos(SETTLE_MS));
    assertThat(store.refs()).hasSize(17);
    advance(SETTLE_MS - 1);
    source.reloadAll();
    assertThat(store.refs()).hasSize(17);
    advance(1);
    source.reloadAll();
    assertThat(store.refs()).isEmpty();
    assertThat(counted("appmeshxds_manifest_changes_held_total", "kind", "shrink")).isEqualTo(1);
  }

  @Test
  void anEmptiedFileRefilledWithinTheSettlePeriodNeverDropsItsObjects() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    Files.writeString(f, HostileInputs.mesh(5));
    source.reloadAll();
    Files.writeString(f, "");
    source.reloadAll();
    advance(SETTLE_MS);
    source.reloadAll(); // held
    advance(SETTLE_MS / 2);
    Files.writeString(f, HostileInputs.mesh(5).replace("weight: 1", "weight: 2"));
    source.reloadAll();
    advance(SETTLE_MS);
    source.reloadAll();
    advance(SETTLE_MS);
    source.reloadAll();
    assertThat(store.refs()).hasSize(17);
    assertThat(store.snapshot().objects().values().stream().filter(o -> o.toString().contains("weight=2")).count())
        .isEqualTo(5);
  }

  @Test
  void aRemovedFileIsAppliedOnlyAfterItStaysRemoved() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    Files.writeString(f, HostileInputs.mesh(5));
    source.reloadAll();
    Files.delete(f);
    source.reloadAll();
    advance(SETTLE_MS - 1);
    source.reloadAll();
    assertThat(store.refs()).hasSize(17);
    advance(1);
    source.reloadAll();
    assertThat(store.refs()).isEmpty();
    assertThat(counted("appmeshxds_manifest_changes_held_total", "kind", "removal")).isEqualTo(1);
  }

  @Test
  void badFilesAreRefusedWithOneLineAndTheLastGoodObjectsStayServed() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    Files.writeString(f, HostileInputs.mesh(5));
    source.reloadAll();
    byte[] junk = new byte[1 << 20];
    new Random(17).nextBytes(junk);
    Files.write(f, junk);
    source.reloadAll();
    advance(SETTLE_MS);
    HostileInputs.measured("serve: 1 MB of binary junk", 1_000, 64L << 20, source::reloadAll);
    assertThat(store.refs()).hasSize(17);
    assertThat(problems(f)).singleElement().asString().startsWith(f + ": binary data, not a manifest (a NUL byte at byte offset ");

    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(50L << 20); // sparse 50 MB
    }
    source.reloadAll();
    advance(SETTLE_MS);
    HostileInputs.measured("serve: 50 MB manifest", 500, 16L << 20, source::reloadAll);
    assertThat(store.refs()).hasSize(17);
    assertThat(problems(f)).singleElement().asString().contains("over 33,554,432 bytes (32.0 MiB), the limit");

    Files.writeString(f, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: " + "[".repeat(100_000));
    source.reloadAll();
    advance(SETTLE_MS);
    HostileInputs.measured("serve: nesting 100,000 deep", 1_000, 64L << 20, source::reloadAll);
    assertThat(store.refs()).hasSize(17);
    assertThat(problems(f)).singleElement().asString().contains("nesting depth (201) exceeds the maximum allowed (200");

    Files.writeString(f, HostileInputs.mesh(5));
    source.reloadAll();
    advance(SETTLE_MS);
    source.reloadAll();
    assertThat(problems(f)).isEmpty();
    assertThat(counted("appmeshxds_manifest_files_refused_total", "reason", "binary")).isEqualTo(1);
    assertThat(counted("appmeshxds_manifest_files_refused_total", "reason", "too_large")).isEqualTo(1);
    assertThat(counted("appmeshxds_manifest_files_refused_total", "reason", "invalid")).isEqualTo(1);
  }

  @Test
  void anAliasBombCostsItsOwnSize() throws Exception {
    Path f = dir.resolve("mesh.yaml");
    StringBuilder b = new StringBuilder(HostileInputs.mesh(5)).append("---\napiVersion: v1\nkind: ConfigMap\n"
        + "metadata: {name: lol, namespace: demo}\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 10; i++) {
      b.append("  a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
    }
    Files.writeString(f, b);
    HostileInputs.measured("serve: alias bomb (9^10 if expanded)", 2_000, 64L << 20, source::reloadAll);
    assertThat(store.refs()).hasSize(17);
  }

  @Test
  void anEightMegabyteFileIsReadOnceAndNotAgainWhenAnotherFileChanges() throws Exception {
    Files.writeString(dir.resolve("small.yaml"), HostileInputs.mesh(1).replace("svc0", "small0").replace("name: m}", "name: m2}"));
    source.reloadAll();
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, HostileInputs.mesh(9_500).replace("name: demo", "name: demo8").replace("namespace: demo", "namespace: demo8"));
    assertThat(Files.size(big)).isBetween(7_500_000L, 9_000_000L);
    source.reloadAll();
    advance(SETTLE_MS);
    java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    // Measured here: about 0.5 us of CPU and 200 bytes of short-lived garbage per input byte (YAML
    // parsing is most of both); linear (bin/bench manifests).
    HostileInputs.measured("serve: 8 MB manifest read", 12_000, 4L << 30, source::reloadAll);
    assertThat(store.refs().size()).isEqualTo(5 + 3 * 9_500 + 2);
    System.gc();
    long retained = memory.getHeapMemoryUsage().getUsed() - heapBefore;
    System.out.printf("untrusted input serve: 8 MB manifest retained %.1f MB of heap while served (budget 512 MB)%n",
        retained / 1e6);
    assertThat(retained).isLessThan(512L << 20);
    Files.writeString(dir.resolve("small.yaml"), HostileInputs.mesh(1).replace("svc0", "small1").replace("name: m}", "name: m2}"));
    source.reloadAll();
    advance(SETTLE_MS);
    HostileInputs.measured("serve: another file changes", 300, 32L << 20, source::reloadAll);
    assertThat(store.refs()).anySatisfy(r -> assertThat(r.name()).isEqualTo("small1"));
  }
}
