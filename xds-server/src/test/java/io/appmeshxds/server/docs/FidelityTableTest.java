package io.appmeshxds.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/translation.md's "App Mesh fidelity, fact by fact" honest: every fact of the
 * reference (1–21) has exactly one row; each row names a source and either tests ({@code `module:
 * Class#method`}, a JUnit test method of that name in {@code <module>/src/test/java/…/Class.java}) or a
 * "difference" link to a row of the "Differences from App Mesh" table ({@code <a id="…">} in its first
 * cell). So a renamed or deleted test, or a removed difference, fails the build.
 */
class FidelityTableTest {
  static final Path ROOT = Path.of("..");
  static final Path DOC = ROOT.resolve("docs").resolve("translation.md");
  /** The facts of the App Mesh fidelity reference (appmesh-fidelity.md). */
  static final int FACTS = 21;
  static final String TABLE = "## App Mesh fidelity, fact by fact";
  static final String DIFFERENCES = "## Differences from App Mesh";
  static final Set<String> SOURCES = Set.of("UG", "AG", "D1", "D2", "EX", "R", "CDK", "FL");

  static final Pattern TEST_REF = Pattern.compile("`([a-z0-9-]+): ([A-Za-z0-9_]+)#([A-Za-z0-9_]+)`");
  static final Pattern LINK = Pattern.compile("\\[([^]]+)]\\(#([^)]+)\\)");
  static final Pattern ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>");

  /** What is wrong with the fidelity table of {@code markdown}, one line per problem; test sources are looked up under {@code root}. */
  static List<String> problems(String markdown, Path root) {
    List<String> problems = new ArrayList<>();
    List<String> rows = tableRows(markdown, TABLE);
    if (rows == null) {
      return List.of("no section \"" + TABLE + "\"");
    }
    List<String> differenceRows = tableRows(markdown, DIFFERENCES);
    if (differenceRows == null) {
      problems.add("no section \"" + DIFFERENCES + "\"");
      differenceRows = List.of();
    }
    Set<String> anchors = new java.util.HashSet<>();
    for (String row : differenceRows) {
      Matcher a = ANCHOR.matcher(cells(row).get(0));
      while (a.find()) {
        anchors.add(a.group(1));
      }
    }
    Map<Integer, Integer> seen = new TreeMap<>();
    for (String row : rows) {
      List<String> cells = cells(row);
      if (cells.size() != 4) {
        problems.add("row has " + cells.size() + " cells, not 4 (#, fact, source, shown by): " + row);
        continue;
      }
      int fact;
      try {
        fact = Integer.parseInt(cells.get(0).strip());
      } catch (NumberFormatException e) {
        problems.add("row without a fact number: " + row);
        continue;
      }
      String where = "fact " + fact;
      if (fact < 1 || fact > FACTS) {
        problems.add(where + ": not a fact of the reference (1–" + FACTS + ")");
      }
      seen.merge(fact, 1, Integer::sum);
      if (cells.get(1).isBlank()) {
        problems.add(where + ": no description");
      }
      List<String> sources = List.of(cells.get(2).strip().split("\\s*,\\s*"));
      if (cells.get(2).isBlank()) {
        problems.add(where + ": no source");
      } else {
        sources.stream().filter(s -> !SOURCES.contains(s))
            .forEach(s -> problems.add(where + ": unknown source tag " + s + " (known: " + new java.util.TreeSet<>(SOURCES) + ")"));
      }
      String shown = cells.get(3);
      Matcher t = TEST_REF.matcher(shown);
      int tests = 0;
      while (t.find()) {
        tests++;
        String missing = missingTest(root, t.group(1), t.group(2), t.group(3));
        if (missing != null) {
          problems.add(where + ": " + missing);
        }
      }
      Matcher l = LINK.matcher(shown);
      boolean difference = false;
      while (l.find()) {
        if (!anchors.contains(l.group(2))) {
          problems.add(where + ": link #" + l.group(2) + " names no row of the differences table (rows: "
              + new java.util.TreeSet<>(anchors) + ")");
        }
        difference |= l.group(1).equals("difference");
      }
      if (tests == 0 && !difference) {
        problems.add(where + ": names no test (`module: Class#method`) and no [difference](#row)");
      }
    }
    for (int f = 1; f <= FACTS; f++) {
      Integer n = seen.get(f);
      if (n == null) {
        problems.add("fact " + f + ": no row");
      } else if (n > 1) {
        problems.add("fact " + f + ": " + n + " rows");
      }
    }
    return problems;
  }

  /** Why {@code module: Class#method} names no test method, or null. */
  static String missingTest(Path root, String module, String cls, String method) {
    String ref = module + ": " + cls + "#" + method;
    Path tests = root.resolve(module).resolve("src").resolve("test").resolve("java");
    if (!Files.isDirectory(tests)) {
      return ref + ": no module " + module + " with tests (" + tests + ")";
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(tests)) {
      files = s.filter(p -> p.getFileName().toString().equals(cls + ".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      return ref + ": no " + cls + ".java under " + tests;
    }
    // A JUnit test method of that name: its annotation, maybe more annotations, the return type, the name.
    Pattern declared = Pattern.compile("@(Test|ParameterizedTest|TestFactory|RepeatedTest|TestTemplate)\\b[^;]*?[\\w>\\]]\\s+"
        + Pattern.quote(method) + "\\s*\\(");
    for (Path f : files) {
      try {
        if (declared.matcher(Files.readString(f, StandardCharsets.UTF_8)).find()) {
          return null;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ref + ": no test method " + method + " in " + files;
  }

  /** The table rows (header and separator left out) of the first table of section {@code heading}, or null without that section. */
  static List<String> tableRows(String markdown, String heading) {
    List<String> lines = List.of(markdown.split("\n", -1));
    int start = lines.indexOf(heading);
    if (start < 0) {
      return null;
    }
    List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("|")) {
        inTable = true;
        rows.add(line);
      } else if (inTable) {
        break;
      }
    }
    return rows.size() < 2 ? List.of() : rows.subList(2, rows.size());
  }

  /** The cells of a table row, outer pipes dropped (no cell of these tables holds a pipe). */
  static List<String> cells(String row) {
    String inner = row.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return List.of(inner.split("\\|", -1));
  }

  @Test
  void everyFactHasATestOrADifference() throws IOException {
    assertThat(problems(Files.readString(DOC, StandardCharsets.UTF_8), ROOT)).as("docs/translation.md, \"%s\"", TABLE).isEmpty();
  }

  /** The check itself: each way the table can go wrong is named. */
  @Test
  void aBrokenTableIsNamedProblemByProblem() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String broken = doc
        // A renamed test, a helper that is no test, a deleted class, a module that does not exist.
        .replace("AppMeshFidelityTest#edsBackendClustersIgnoreHealthOnHostRemoval_fact16", "AppMeshFidelityTest#assertDefaultRetry")
        .replace("AppMeshFidelityTest#defaultRetryPolicyIncludesReset_fact4", "AppMeshFidelityTest#defaultRetryPolicyWithoutReset_fact4")
        .replace("`mesh-translator: AppMeshFidelityTest#everyEgressTcpProxyHasStatPrefixEgress_fact15`",
            "`mesh-translator: EgressStatsTest#everyEgressTcpProxyHasStatPrefixEgress_fact15`")
        .replace("`gateway: GatewayAppMeshFidelityTest#prefixWithTrailingSlash", "`gateways: GatewayAppMeshFidelityTest#prefixWithTrailingSlash")
        // A difference whose row is gone.
        .replace("<a id=\"diff-metrics-extension\"></a>", "")
        // Fact 3 twice (fact 5's row renumbered), fact 5 missing; a fact with neither test nor difference.
        .replace("| 5 | `server-error`", "| 3 | `server-error`")
        .replace("| 18 | connect timeout 0.25 s to the local app, 1 s egress | D1, D2 | ", "| 18 | connect timeout | D1, D9 | none yet")
        .replace("`mesh-translator: AppMeshFidelityTest#connectTimeoutsAreQuarterSecondLocallyAndOneSecondOutbound_fact18`", "");
    assertThat(broken).isNotEqualTo(doc);
    List<String> p = problems(broken, ROOT);
    assertThat(p).anyMatch(s -> s.startsWith("fact 4: mesh-translator: AppMeshFidelityTest#defaultRetryPolicyWithoutReset_fact4: no test method"));
    assertThat(p).anyMatch(s -> s.startsWith("fact 16: mesh-translator: AppMeshFidelityTest#assertDefaultRetry: no test method"));
    assertThat(p).anyMatch(s -> s.startsWith("fact 15: mesh-translator: EgressStatsTest#everyEgressTcpProxyHasStatPrefixEgress_fact15: no EgressStatsTest.java"));
    assertThat(p).anyMatch(s -> s.startsWith("fact 12: gateways: GatewayAppMeshFidelityTest#") && s.contains("no module gateways"));
    assertThat(p).anyMatch(s -> s.startsWith("fact 20: link #diff-metrics-extension names no row of the differences table"));
    assertThat(p).contains("fact 3: 2 rows", "fact 5: no row", "fact 18: unknown source tag D9 (known: [AG, CDK, D1, D2, EX, FL, R, UG])",
        "fact 18: names no test (`module: Class#method`) and no [difference](#row)");
    assertThat(p).hasSize(9);
    assertThat(problems("# nothing here\n", ROOT)).containsExactly("no section \"" + TABLE + "\"");
  }
}
