package io.appmeshxds.translator.re2;

import io.appmeshxds.translator.TestPeers;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.xds.BootstrapFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calibration against RE2 itself: a small C++ program ({@code src/test/resources/re2/re2_peer.cc},
 * compiled into {@code target/} with g++ and Debian's libre2-dev) prints {@code RE2::ProgramSize()}
 * for every pattern of the corpus and of generated gateway hostname patterns, and that number must
 * lie within the bounds {@link Re2ProgramSize} gives. Both must reject the same patterns. The same peer applies the bootstrap's stats tag regexes with
 * {@code std::regex}, as Envoy does.
 *
 * <p>A test peer like the others: when g++ or RE2's headers are missing it fails, or is skipped
 * loudly with {@code -Dpeers.optional=true} ({@link TestPeers}); .ci/run installs them.
 */
class Re2PeerTest {
  static final Path SOURCE = Path.of("src/test/resources/re2/re2_peer.cc");
  static final Path CORPUS = Path.of("src/test/resources/re2/program-size-corpus.txt");
  static Path peer;

  @BeforeAll
  static void buildPeer() throws Exception {
    boolean gpp = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "g++")));
    boolean headers = Files.exists(Path.of("/usr/include/re2/re2.h"));
    if (!(gpp && headers)) {
      TestPeers.missing("RE2 (g++ + libre2-dev)", "the RE2 test peer needs g++ and RE2's headers (Debian: apt-get install "
          + "g++ libre2-dev); " + (gpp ? "" : "no g++ on PATH; ") + (headers ? "" : "no /usr/include/re2/re2.h"));
    }
    Path dir = Files.createDirectories(Path.of("target", "re2-peer"));
    peer = dir.resolve("re2_peer");
    Process p = new ProcessBuilder("g++", "-O1", "-std=c++17", "-o", peer.toString(), SOURCE.toString(), "-lre2")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("g++ finished").isTrue();
    assertThat(p.exitValue()).as("g++ built the peer: %s", out).isZero();
  }

  /** The peer's answer for each line, in order. */
  static List<String> ask(String mode, List<String> lines) throws Exception {
    Process p = new ProcessBuilder(peer.toString(), mode).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = p.getInputStream()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try (OutputStream w = p.getOutputStream()) {
      for (String l : lines) {
        w.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(read.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> answers = out.lines().toList();
    assertThat(answers).as("one answer per line").hasSize(lines.size());
    return answers;
  }

  static List<String> corpus() throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(CORPUS, StandardCharsets.UTF_8)) {
      if (!l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  /** The gateway's :authority patterns (GatewayRouteSpec.authorityPattern) for names of many lengths. */
  static List<String> hostnamePatterns() {
    Random rnd = new Random(14);
    List<String> names = new ArrayList<>(List.of("internal-my-load-balancer-1234567890.us-west-2.elb.amazonaws.com.example",
        String.join(".", "k".repeat(63), "k".repeat(63), "k".repeat(63), "k".repeat(61)),
        String.join(".", "s".repeat(63), "s".repeat(63), "s".repeat(63), "s".repeat(61)), "*"));
    for (int len : new int[] {4, 16, 40, 60, 61, 76, 100, 150, 200, 253}) {
      for (int k = 0; k < 3; k++) {
        names.add(hostname(rnd, len));
      }
    }
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add("(?i)" + quote(n) + "(:[0-9]+)?");
      out.add("(?i)[^:]*" + quote(n.length() < 253 ? "." + n : n.substring(1)) + "(:[0-9]+)?");
    }
    return out;
  }

  private static String hostname(Random rnd, int len) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
    StringBuilder b = new StringBuilder();
    int label = 0;
    while (b.length() < len) {
      boolean dot = label >= 2 && b.length() < len - 1 && (label == 63 || rnd.nextInt(12) == 0);
      if (dot) {
        b.append('.');
        label = 0;
      } else {
        b.append(alphabet.charAt(rnd.nextInt(label == 0 ? 36 : alphabet.length())));
        label++;
      }
    }
    return b.toString();
  }

  /** GatewayRouteSpec.quote: RE2 metacharacters escaped. */
  private static String quote(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  @Test
  void re2sProgramSizeLiesWithinOurBounds() throws Exception {
    List<String> patterns = new ArrayList<>(corpus());
    patterns.addAll(hostnamePatterns());
    List<String> re2 = ask("size", patterns);
    int exact = 0;
    int rejected = 0;
    double widest = 0;
    String widestPattern = "";
    double widestLarge = 0;
    String widestLargePattern = "";
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      String p = patterns.get(i);
      String theirs = re2.get(i);
      Re2ProgramSize.Result ours = Re2ProgramSize.of(p);
      if (theirs.startsWith("ERR ")) {
        rejected++;
        if (ours.error() == null) {
          wrong.add(p + ": RE2 rejects it (" + theirs + "), we count " + ours.describe());
        }
        continue;
      }
      int size = Integer.parseInt(theirs);
      if (ours.error() != null) {
        wrong.add(p + ": RE2 counts " + size + ", we reject it: " + ours.error());
      } else if (size < ours.lower() || size > ours.upper()) {
        wrong.add(p + ": RE2 " + size + " is outside our bounds " + ours.lower() + ".." + ours.upper());
      } else {
        exact += ours.lower() == ours.upper() ? 1 : 0;
        double width = (ours.upper() - ours.lower()) / (double) size;
        if (size >= 200 && width > widestLarge) {
          widestLarge = width;
          widestLargePattern = p;
        }
        if (width > widest) {
          widest = width;
          widestPattern = p;
        }
      }
    }
    System.out.printf("RE2 calibration: %d patterns, %d rejected by both, %d with equal bounds, widest bounds %.0f%% of "
        + "RE2's size (%s), widest for a size of 200 or more %.0f%% (%s)%n", patterns.size(), rejected, exact, widest * 100,
        widestPattern, widestLarge * 100, widestLargePattern);
    assertThat(wrong).isEmpty();
  }

  /** Where the bounds decide: around the limit, no accepted pattern is over it and no rejected one under. */
  @Test
  void aroundTheLimitOurVerdictIsNeverWrong() throws Exception {
    List<String> patterns = new ArrayList<>();
    for (int n = 480; n <= 510; n += 2) {
      patterns.add("x{500}x{" + n + "}");
      patterns.add("[a-z]{500}[0-9]{" + n + "}");
      patterns.add("^.{0," + (n / 4) + "}$");
      patterns.add("(?i)" + "k".repeat(n / 2));
      patterns.add("(a|b|cd){" + (n / 3) + "}");
    }
    patterns.addAll(hostnamePatterns());
    List<String> re2 = ask("size", patterns);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      Re2ProgramSize.Result ours = Re2ProgramSize.of(patterns.get(i));
      int size = Integer.parseInt(re2.get(i));
      boolean over = size > Re2Limit.MAX_PROGRAM_SIZE;
      if (ours.fits(Re2Limit.MAX_PROGRAM_SIZE) && over || ours.exceeds(Re2Limit.MAX_PROGRAM_SIZE) && !over) {
        wrong.add(patterns.get(i) + ": RE2 " + size + ", ours " + ours.describe());
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theBootstrapsTagRegexesCompileInRe2AndExtractUnderStdRegexAsEnvoyDoes() throws Exception {
    List<String> regexes = List.copyOf(BootstrapFactory.INGRESS_STATS_TAGS.values());
    assertThat(ask("size", regexes)).allSatisfy(s -> assertThat(s).doesNotStartWith("ERR"));
    String stat = "http.ingress.http.8080.rds.rds_ingress_http_8080.rq_total";
    List<String> lines = regexes.stream().map(r -> r + "\t" + stat).toList();
    List<String> groups = ask("stdtag", lines);
    Map<String, String> byTag = new java.util.LinkedHashMap<>();
    List<String> names = List.copyOf(BootstrapFactory.INGRESS_STATS_TAGS.keySet());
    for (int i = 0; i < names.size(); i++) {
      byTag.put(names.get(i), groups.get(i));
    }
    // group 1 (cut out of the name) TAB group 2 (the value)
    assertThat(byTag).containsExactly(Map.entry("appmesh.listener_protocol", "http.\thttp"),
        Map.entry("appmesh.listener_port", "8080.\t8080"),
        Map.entry("envoy_rds_route_config", "rds_ingress_http_8080.\trds_ingress_http_8080"));
    List<String> none = ask("stdtag", regexes.stream().map(r -> r + "\thttp.egress.rq_total").toList());
    assertThat(none).containsOnly("NOMATCH");
  }
}
