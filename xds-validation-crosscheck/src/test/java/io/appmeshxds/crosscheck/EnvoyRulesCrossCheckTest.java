package io.appmeshxds.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every golden {@code *.xds.yaml} snapshot of mesh-translator, gateway and tracing, and every sample
 * of this module, passes Envoy's validate rules (Armeria's upstream-generated PGV validators),
 * including the content of every {@code Any}. One test per file, so a failure names the file and
 * lists all of its violations.
 */
class EnvoyRulesCrossCheckTest {

  /** Golden directories of the other modules, relative to this module; scanned recursively. */
  static final List<Path> GOLDEN_DIRS = List.of(
      Path.of("..", "mesh-translator", "src", "test", "resources", "golden"),
      Path.of("..", "gateway", "src", "test", "resources", "golden"),
      Path.of("..", "tracing", "src", "test", "resources", "golden"));

  /** This module's own samples; not scanned recursively. */
  static final Path SAMPLES = Path.of("src", "test", "resources", "samples");

  static final String SUFFIX = ".xds.yaml";

  private final CrossChecker checker = new CrossChecker();

  @TestFactory
  Stream<DynamicTest> everySnapshotPassesEnvoysValidateRules() throws IOException {
    // No inputs is a failure, not a pass: a moved golden directory must not turn this check off.
    for (Path dir : GOLDEN_DIRS) {
      assertThat(find(dir, Integer.MAX_VALUE)).as("%s files under %s (moved? update GOLDEN_DIRS)", SUFFIX, dir.normalize())
          .isNotEmpty();
    }
    assertThat(find(SAMPLES, 1)).as("%s samples in %s", SUFFIX, SAMPLES).isNotEmpty();
    List<Path> files = snapshotFiles();
    return files.stream().map(f -> dynamicTest(f.normalize().toString(), f.toUri(), () -> checkFile(f)));
  }

  private void checkFile(Path file) throws IOException {
    CrossChecker.Result result = checker.check(file);
    System.out.printf("%s: %d resources, %d Any unpacked, %d violations%n",
        file, result.resources(), result.unpackedAnys(), result.violations().size());
    if (!result.violations().isEmpty()) {
      fail(result.violations().size() + " violation(s) of Envoy's validate rules in " + file + ":\n  "
          + result.violations().stream().map(Violation::toString).collect(Collectors.joining("\n  ")));
    }
  }

  /** All snapshot files, sorted (a directory that does not exist gives none; the test factory fails on that). */
  static List<Path> snapshotFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : GOLDEN_DIRS) {
      files.addAll(find(dir, Integer.MAX_VALUE));
    }
    files.addAll(find(SAMPLES, 1));
    return files;
  }

  private static List<Path> find(Path dir, int depth) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.find(dir, depth,
        (p, attrs) -> attrs.isRegularFile() && p.getFileName().toString().endsWith(SUFFIX))) {
      return paths.sorted().toList();
    }
  }
}
