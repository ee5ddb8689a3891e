package io.appmeshxds.server.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * An xDS client outside the JVM (grpc-js-xds under Node, gRPC C-core under Debian's python3), run as
 * a bounded child process that calls {@code grpc.health.v1.Health/Check} on {@code xds:///target}
 * and prints a JSON tally of the answering backends as the last line of its stdout.
 *
 * <p>Its stdout and stderr go to files under {@code target/peers/} (C-core logs one line per NACKed
 * response; during a NACK storm that is hundreds of MB), and only the last line of stdout is read.
 */
abstract class ExternalPeer {
  /** Seconds any one peer run may take before it is killed. */
  static final long RUN_LIMIT_SECONDS = 90;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** Short name for file names and messages, e.g. {@code grpc-js}. */
  abstract String name();

  /** Null when the peer can run here; otherwise why not and how to install it. */
  abstract String unavailableBecause();

  /** The command line, before the client's own arguments. */
  abstract List<String> command();

  /** Environment tweaks for the child (on top of the bootstrap). */
  void environment(Map<String, String> env) {}

  /** The module directory (Surefire sets {@code basedir}; falls back to the working directory). */
  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  /**
   * The bootstrap of a client with {@code nodeId} talking to our server on 127.0.0.1:{@code port}.
   * {@code locality} must be present: grpc-js rejects a node without it.
   */
  static String bootstrap(int port, String nodeId) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + port, "channel_creds", List.of(Map.of("type", "insecure")),
        "server_features", List.of("xds_v3"))));
    b.put("node", Map.of("id", nodeId, "locality", Map.of()));
    return JSON.writeValueAsString(b);
  }

  /** The outcome of one run: the tally (backend id, "errors", maybe "timedOut") and where its output is. */
  record Run(Map<String, Integer> tally, Path out, Path log) {
    int get(String key) {
      return tally.getOrDefault(key, 0);
    }

    @Override
    public String toString() {
      return tally + " (stdout " + out + ", stderr " + log + ")";
    }
  }

  /**
   * Runs the client: {@code n} calls to {@code xds:///target} with {@code metadata}, bootstrap from
   * {@code GRPC_XDS_BOOTSTRAP_CONFIG}; each call has a 5 s deadline and the client gives up after
   * 3 failed calls. Bounded by {@link #RUN_LIMIT_SECONDS} (then killed); fails
   * with the tail of its stderr when it prints no tally.
   */
  Run run(String bootstrap, String target, int n, Map<String, String> metadata) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command());
    // A broken configuration shows after a few 5 s deadlines, not after the whole run limit.
    cmd.addAll(List.of("--target", target, "--n", Integer.toString(n), "--deadline-ms", "5000", "--max-errors", "3",
        "--timeout-ms", Long.toString((RUN_LIMIT_SECONDS - 10) * 1000)));
    metadata.forEach((k, v) -> cmd.addAll(List.of("--metadata", k + "=" + v)));
    Path dir = moduleDir().resolve("target/peers");
    Files.createDirectories(dir);
    String stem = name() + "-" + RUNS.incrementAndGet();
    Path out = dir.resolve(stem + ".out");
    Path log = dir.resolve(stem + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(moduleDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("GRPC_XDS_BOOTSTRAP");
    env.put("GRPC_XDS_BOOTSTRAP_CONFIG", bootstrap);
    // Diagnosis: -Dpeers.trace=xds_client (C-core) or xds_client,xds_resolver (grpc-js) logs to the .log file.
    String trace = System.getProperty("peers.trace", "");
    if (!trace.isEmpty()) {
      env.put("GRPC_TRACE", trace);
      env.put("GRPC_VERBOSITY", "DEBUG");
    }
    environment(env);
    Process p = pb.start();
    boolean done = p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String last = lastLine(out);
    if (last == null || !last.startsWith("{")) {
      throw new AssertionError(name() + " printed no tally (" + (done ? "exit " + p.exitValue() : "killed after "
          + RUN_LIMIT_SECONDS + " s") + "); stdout " + out + ", stderr " + log + " ends with:\n" + tail(log, 2000));
    }
    Map<String, Integer> tally = new LinkedHashMap<>();
    JSON.readTree(last).properties().forEach(e -> tally.put(e.getKey(),
        e.getValue().isBoolean() ? (e.getValue().asBoolean() ? 1 : 0) : e.getValue().asInt()));
    Run run = new Run(tally, out, log);
    System.out.println(name() + " " + n + " calls to " + target + " with " + metadata + ": " + run);
    return run;
  }

  /** The last non-empty line of a file, reading at most its last 64 KiB. */
  static String lastLine(Path file) throws IOException {
    String t = tail(file, 64 * 1024).strip();
    if (t.isEmpty()) {
      return null;
    }
    int nl = t.lastIndexOf('\n');
    return nl < 0 ? t : t.substring(nl + 1).strip();
  }

  /** At most the last {@code max} bytes of a file, as text. */
  static String tail(Path file, int max) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, max);
      byte[] b = new byte[n];
      f.seek(len - n);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  /** Runs a short command, bounded; true when it exits 0. */
  static boolean succeeds(List<String> cmd, long seconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** grpc-js-xds 1.14.1 on @grpc/grpc-js 1.14 under Node, from {@code src/test/peers/node}. */
  static final class GrpcJs extends ExternalPeer {
    final Path dir = moduleDir().resolve("src/test/peers/node");

    @Override
    String name() {
      return "grpc-js";
    }

    @Override
    String unavailableBecause() {
      if (!succeeds(List.of("node", "--version"), 30)) {
        return "no `node` on PATH; install Node.js (18 or later), then run `npm ci` in xds-server/src/test/peers/node "
            + "(.ci/run does this)";
      }
      if (!Files.isRegularFile(dir.resolve("node_modules/@grpc/grpc-js-xds/package.json"))) {
        return "the grpc-js-xds peer is not installed: run `npm ci --no-audit --no-fund` in " + dir + " (.ci/run does this)";
      }
      return null;
    }

    @Override
    List<String> command() {
      return List.of("node", dir.resolve("client.js").toString());
    }
  }

  /** gRPC C-core 1.51 through Debian's python3-grpcio, run with the system interpreter. */
  static final class GrpcCore extends ExternalPeer {
    static final String PYTHON = "/usr/bin/python3";
    final Path script = moduleDir().resolve("src/test/peers/python/client.py");

    @Override
    String name() {
      return "grpc-core";
    }

    @Override
    String unavailableBecause() {
      if (!Files.isExecutable(Path.of(PYTHON)) || !succeeds(List.of(PYTHON, "-c", "import grpc"), 60)) {
        return PYTHON + " cannot `import grpc`; install Debian's package: `apt-get install -y python3-grpcio` "
            + "(.ci/run does this)";
      }
      return null;
    }

    @Override
    List<String> command() {
      return List.of(PYTHON, script.toString());
    }

    @Override
    void environment(Map<String, String> env) {
      // The system interpreter with its own dist-packages, whatever a pyenv or venv in the caller set.
      env.remove("PYTHONPATH");
      env.remove("PYTHONHOME");
      env.remove("VIRTUAL_ENV");
      env.put("PYTHONNOUSERSITE", "1");
    }
  }
}
