package io.appmeshxds.translator.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad manifests cost what they are worth: each hostile input is refused (or read) with one clear
 * line, within a stated CPU-time and allocation budget, measured on this thread and printed. (An
 * 8 MB manifest is read in {@code ManifestSourceUntrustedTest}, through {@code serve}'s source; the
 * scaling from 1 to 16 MB is {@code bin/bench manifests}.)
 */
class UntrustedManifestTest {
  static String mesh(int services) {
    return HostileInputs.mesh(services);
  }

  static <T> T measured(String what, long cpuBudgetMs, long allocBudget, Callable<T> work) throws Exception {
    return HostileInputs.measured(what, cpuBudgetMs, allocBudget, work);
  }


  @TempDir Path dir;

  private LoadResult load(Path f) {
    return ManifestFiles.load(List.of(f));
  }

  @Test
  void aFiftyMegabyteManifestIsRefusedUnreadWithOneLine() throws Exception {
    Path f = dir.resolve("huge.yaml");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(50L << 20); // sparse: nothing is written, nothing should be read
    }
    LoadResult r = measured("50 MB manifest", 500, 16L << 20, () -> load(f));
    assertThat(r.ioErrors()).containsExactly(f + ": 52,428,800 bytes (50.0 MiB), over 33,554,432 bytes (32.0 MiB), "
        + "the limit for one manifest file (--max-manifest-bytes); not read");
    assertThat(r.objects()).isEmpty();
  }

  @Test
  void theByteLimitIsASettingAndAppliesToStreamsToo() throws Exception {
    String text = mesh(20);
    ManifestLoader small = new ManifestLoader(new ManifestLimits(1024));
    LoadResult r = small.loadBytes("-", text.getBytes(StandardCharsets.UTF_8));
    assertThat(r.ioErrors()).singleElement().asString().startsWith("-: ").contains("over 1,024 bytes");
    assertThat(ManifestLimits.parseBytes("32Mi")).isEqualTo(32L << 20);
    assertThat(ManifestLimits.parseBytes("512Ki")).isEqualTo(512L << 10);
    assertThat(ManifestLimits.parseBytes("1000")).isEqualTo(1000);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManifestLimits.parseBytes("lots"))
        .hasMessage("'lots' is not a byte count (e.g. 33554432, 32Mi, 512Ki)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ManifestLimits(0)).hasMessageContaining("at least 1");
  }

  @Test
  void anAliasBombCostsItsOwnSizeNotItsExpansion() throws Exception {
    // Ten levels of nine aliases each: 9^10 (3.4 billion) strings if expanded.
    StringBuilder b = new StringBuilder("apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\n"
        + "metadata: {name: lol, namespace: demo}\nspec:\n  podSelector: {matchLabels: {app: lol}}\n"
        + "  listeners: [{portMapping: {port: 8080, protocol: http}}]\n  serviceDiscovery: {dns: {hostname: lol.demo}}\n"
        + "  x-bomb:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 10; i++) {
      b.append("    a").append(i).append(": &a").append(i).append(" [").append(String.join(", ",
          java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
    }
    Path f = Files.writeString(dir.resolve("bomb.yaml"), b.toString());
    LoadResult r = measured("alias bomb (9^10 if expanded)", 2_000, 64L << 20, () -> load(f));
    assertThat(r.ioErrors()).isEmpty();
    // Read as what it is: an unknown field on one object (a warning), nothing expanded.
    assertThat(r.problems()).extracting(Problem::toLine).anySatisfy(l -> assertThat(l).contains("x-bomb"));
  }

  @Test
  void deepNestingIsRefusedWithOneLine() throws Exception {
    Path flow = Files.writeString(dir.resolve("deep.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
    Path json = Files.writeString(dir.resolve("deep.json"), "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
    for (Path f : List.of(flow, json)) {
      LoadResult r = measured("nesting 100,000 deep " + f.getFileName(), 2_000, 64L << 20, () -> load(f));
      assertThat(r.problems()).singleElement().extracting(Problem::message).asString()
          .startsWith("not valid YAML/JSON: Document nesting depth (201) exceeds the maximum allowed (200");
    }
  }

  @Test
  void binaryJunkIsRefusedWithOneLine() throws Exception {
    byte[] junk = new byte[4 << 20];
    new Random(17).nextBytes(junk);
    Path f = Files.write(dir.resolve("junk.yaml"), junk);
    LoadResult r = measured("4 MB of random bytes", 1_000, 64L << 20, () -> load(f));
    assertThat(r.ioErrors()).singleElement().asString()
        .matches("\\Q" + f + "\\E: binary data, not a manifest \\(a NUL byte at byte offset \\d+, line \\d+\\); not read");
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void invalidUtf8NamesTheFileTheByteOffsetAndTheLine() throws Exception {
    byte[] head = "apiVersion: v1\nkind: Namespace\nmetadata: {name: caf".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(head, head.length + 3);
    bytes[head.length] = (byte) 0xE9; // Latin-1 é
    bytes[head.length + 1] = '}';
    bytes[head.length + 2] = '\n';
    Path f = Files.write(dir.resolve("latin1.yaml"), bytes);
    LoadResult r = load(f);
    assertThat(r.ioErrors()).containsExactly(f + ": not UTF-8: byte 0xE9 at byte offset " + head.length
        + " (line 3) does not begin a valid UTF-8 sequence; manifests must be UTF-8 text; not read");
  }

  @Test
  void symbolicLinksThatAreNotReadSayWhy() throws IOException {
    Files.writeString(dir.resolve("ok.yaml"), mesh(1));
    Files.createSymbolicLink(dir.resolve("loop-a.yaml"), dir.resolve("loop-b.yaml"));
    Files.createSymbolicLink(dir.resolve("loop-b.yaml"), dir.resolve("loop-a.yaml"));
    Files.createSymbolicLink(dir.resolve("gone.yaml"), dir.resolve("nowhere.yaml"));
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Files.createSymbolicLink(sub.resolve("up"), dir);
    Files.createSymbolicLink(dir.resolve("linked.yaml"), dir.resolve("ok.yaml"));
    LoadResult r = load(dir);
    List<String> warnings = r.problems().stream().filter(p -> p.severity() == Severity.WARNING).map(Problem::toLine).toList();
    warnings.forEach(System.out::println);
    assertThat(warnings).hasSize(4);
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("loop-a.yaml").contains("symbolic link loop, skipped"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("loop-b.yaml").contains("symbolic link loop, skipped"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("gone.yaml").contains("dangling symbolic link"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("up").contains("symbolic link to a directory"));
    // A link to a file is read like the file.
    assertThat(r.read().files()).isEqualTo(2);
  }
}
