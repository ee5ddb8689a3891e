package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.admin.v3.ConfigDump;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Envoy output conformance: manifests shaped like the public App Mesh cases (AWS's walkthroughs,
 * Flagger's tutorial), one directory each under {@code conformance/envoy/}, with {@code input/}
 * (a file of it opens with {@code # Mirrors:} the public case and {@code # Facts:} the fidelity
 * facts it exercises) and {@code expected/<mesh>.<virtualNode|virtualGateway>.<awsName>.json}: what
 * {@code render --format config-dump} prints for that node, Envoy's {@code /config_dump} shape.
 *
 * <p>Each node is rendered through the CLI as a user runs it and compared byte for byte; then
 * {@code diff} compares the expected file, as a running Envoy's dump, with the same manifests and
 * must find nothing (exit 0, no output), so the expected files stay dumps our diff accepts. A case
 * keeps a few nodes, so its expectations can be reviewed. {@code -Dconformance.update=true}
 * rewrites the expected files (review the diff); to add a node, create its file empty first.
 *
 * <p>What these cases do not hold: the bootstrap. {@code render --format config-dump} prints the
 * dynamic resources a node receives over xDS (as Envoy's dump lists them under listeners, routes,
 * clusters, endpoints, secrets); a running Envoy's bootstrap is in its pod spec (written by our
 * injector or {@code bootstrap}), not in what xDS delivers. The bootstrap facts of docs/translation.md's fidelity table (10: RE2 program size limit 1000
 * in the runtime layer; 11: {@code initial_fetch_timeout: 0s} on LDS and CDS; 14's stats tags) are
 * held by {@code BootstrapFactoryTest} ({@code _fact10}, {@code _fact11}, {@code _fact14}) on the
 * bootstrap {@code bootstrap} prints and the injector embeds.
 */
class ConformanceEnvoyTest {
  static final Path CASES = Path.of("src", "test", "resources", "conformance", "envoy");
  static final Pattern EXPECTED = Pattern.compile("(.+?)\\.(virtualNode|virtualGateway)\\.(.+)\\.json");
  static final int MAX_NODES = 4;

  @TestFactory
  Stream<DynamicNode> everyCaseRendersItsExpectedDumpAndDiffAcceptsIt() throws IOException {
    List<Path> cases;
    try (Stream<Path> s = Files.list(CASES)) {
      cases = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(cases).as("cases under %s", CASES).isNotEmpty();
    List<DynamicNode> out = new ArrayList<>();
    for (Path dir : cases) {
      List<DynamicNode> tests = new ArrayList<>();
      tests.add(DynamicTest.dynamicTest("header", () -> header(dir)));
      List<Path> expected;
      try (Stream<Path> s = Files.list(dir.resolve("expected"))) {
        expected = s.sorted().toList();
      }
      tests.add(DynamicTest.dynamicTest("a few nodes", () -> assertThat(expected).as("expected files of %s", dir)
          .isNotEmpty().hasSizeLessThanOrEqualTo(MAX_NODES)));
      for (Path file : expected) {
        tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> node(dir.resolve("input"), file)));
      }
      out.add(DynamicContainer.dynamicContainer(dir.getFileName().toString(), tests));
    }
    return out.stream();
  }

  /** An input file opens with a comment saying which public case the case mirrors and which facts it exercises. */
  static void header(Path dir) throws IOException {
    List<Path> inputs;
    try (Stream<Path> s = Files.walk(dir.resolve("input"))) {
      inputs = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(inputs).as("input of %s", dir).isNotEmpty();
    List<List<String>> comments = new ArrayList<>();
    for (Path f : inputs) {
      comments.add(Files.readAllLines(f, StandardCharsets.UTF_8).stream().takeWhile(l -> l.startsWith("#")).toList());
    }
    assertThat(comments).as("header comments of %s: one with \"# Mirrors: \" and \"# Facts: <numbers>\"", dir)
        .anyMatch(c -> c.stream().anyMatch(l -> l.startsWith("# Mirrors: ")) && c.stream().anyMatch(l -> l.matches("# Facts: \\d.*")));
  }

  static void node(Path input, Path file) throws Exception {
    Matcher m = EXPECTED.matcher(file.getFileName().toString());
    assertThat(m.matches()).as("%s is <mesh>.<virtualNode|virtualGateway>.<awsName>.json", file).isTrue();
    String node = "mesh/" + m.group(1) + "/" + m.group(2) + "/" + m.group(3);

    CliRun.Result render = CliRun.run("render", "--manifests", input.toString(), "--node", node, "--format", "config-dump");
    assertThat(render.code()).as("render %s: %s", node, render.err()).isZero();
    assertThat(render.err()).as("render %s: no warning, no note", node).isEmpty();
    if (Boolean.getBoolean("conformance.update")) {
      Files.writeString(file, render.out(), StandardCharsets.UTF_8);
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    ConfigDump dump = RenderConfigDumpTest.parse(expected);
    assertThat(dump.getConfigsCount()).as("%s is a config dump", file).isEqualTo(5);
    assertThat(render.out()).as("render --format config-dump of %s (-Dconformance.update=true rewrites %s)", node, file)
        .isEqualTo(expected);

    CliRun.Result diff = CliRun.run("diff", "--config-dump", file.toString(), "--node", node, "--manifests", input.toString());
    assertThat(diff.out()).as("diff of %s against its expected dump", node).isEmpty();
    assertThat(diff.err()).as("diff of %s: stderr", node).isEmpty();
    assertThat(diff.code()).as("diff of %s: exit code", node).isZero();
  }
}
