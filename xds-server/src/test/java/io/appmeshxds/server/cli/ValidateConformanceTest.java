package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.input.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The categories seen when validating public App Mesh repositories (appmesh-fidelity.md, "Real
 * repositories"), one directory each under {@code conformance/validate/}: manifests in {@code
 * input/} (or {@code stdin} in the expectation), and {@code expected.yaml} with the exit code and
 * the exact problem lines of {@code validate}'s text output, paths relative to the case directory.
 * {@code -Dconformance.update=true} rewrites the lines (review the diff); the exit code never.
 */
class ValidateConformanceTest {
  static final Path CASES = Path.of("src", "test", "resources", "conformance", "validate");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> s = Files.list(CASES)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validateGivesTheVerdictAppMeshGave(String name) throws IOException {
    Path dir = CASES.resolve(name);
    Path expectedFile = dir.resolve("expected.yaml");
    String expectedText = Files.readString(expectedFile, StandardCharsets.UTF_8);
    JsonNode expected = Json.YAML.readTree(expectedText);
    JsonNode stdin = expected.get("stdin");
    ValidateCommandTest.Run r = stdin != null
        ? ValidateCommandTest.run(stdin.stringValue(), "-")
        : ValidateCommandTest.run(null, dir.resolve("input").toString());
    List<String> lines = new ArrayList<>();
    for (String l : r.lines()) {
      lines.add(l.replace(dir + "/", ""));
    }
    if (Boolean.getBoolean("conformance.update")) {
      StringBuilder sb = new StringBuilder(expectedText.substring(0, expectedText.indexOf("lines:")));
      sb.append(lines.isEmpty() ? "lines: []\n" : "lines:\n");
      for (String l : lines) {
        sb.append("  - ").append(JsonMapper.shared().writeValueAsString(l)).append('\n');
      }
      Files.writeString(expectedFile, sb.toString(), StandardCharsets.UTF_8);
    }
    List<String> want = new ArrayList<>();
    expected.path("lines").values().forEach(v -> want.add(v.stringValue()));
    assertThat(lines).as(name + " problem lines (stderr: " + r.err() + ")").containsExactlyElementsOf(want);
    assertThat(r.code()).as(name + " exit code").isEqualTo(expected.path("exit").intValue());
  }
}
