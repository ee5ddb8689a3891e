package io.appmeshxds.server.cli;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.configdump.ConfigDumpWriter;
import io.appmeshxds.server.diff.ConfigDiff;
import io.appmeshxds.server.diff.Difference;
import io.appmeshxds.server.diff.Dump;
import io.appmeshxds.server.diff.DumpException;
import io.appmeshxds.translator.plan.NodeKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code appmesh-xds diff}: a running Envoy's config dump against what we would push to that node. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Compares a running Envoy's admin /config_dump (JSON as Envoy prints it; v3, Envoy 1.17 or later) with what "
          + "appmesh-xds would push to that node, and prints one line per semantic difference: listeners, filter chains, "
          + "HTTP connection manager settings, routes in order, virtual hosts, clusters, timeouts, retries, health checks, "
          + "TLS settings (never secret material). Elements are matched by name (filter chains and unnamed routes by "
          + "their match), so one extra element does not shift the others.",
      "%nA line reads",
      "  <resource> <name> / <element> <name>: <field>: running <v> ≠ ours <v>",
      "or ends in \"missing in ours\", \"missing in running Envoy\" or \"… in a different order: ours […], running […]\". "
          + "Lines starting \"[not in upstream Envoy]\" are about what upstream Envoy's API does not define: App Mesh's "
          + "own Envoy build (an unknown @type, field or enum value, aws.appmesh* metadata); a loss to judge, not a typo.",
      "%nEquivalent, not reported: proto3 JSON spellings (camelCase or snake_case keys, \"15s\" or \"15.000s\", "
          + "64-bit integers as strings or numbers, enums by name or number, defaults written or omitted); the order of "
          + "virtual hosts, filter chains, weighted clusters and domains; the order of retry_on's events.",
      "%nIgnored: version_info, last_updated and the status of dump entries; static resources (the bootstrap's: "
          + "xDS, SDS and admin clusters, static listeners); endpoints and resolved addresses (a cluster's configured "
          + "DNS name and port are compared); secrets we do not push (they come from the node-local SDS server).",
      "%nExit codes: 0 equivalent (nothing printed), 1 different, 2 usage or I/O error (unreadable or invalid dump, "
          + "not a v3 ConfigDump, unknown node, manifests invalid for the node).",
      ""
    })
final class DiffCommand implements Callable<Integer> {

  @Option(names = "--config-dump", required = true, paramLabel = "FILE",
      description = "The running Envoy's dump (kubectl exec POD -c envoy -- curl -s localhost:9901/config_dump > FILE); '-' reads stdin.")
  String dumpFile;

  @Option(names = "--node", paramLabel = "NODE_ID",
      description = "mesh/<mesh>/virtualNode/<name> or …/virtualGateway/<name> (or the ARN form). Default: the node id in the dump's bootstrap.")
  String node;

  @Option(names = "--manifests", paramLabel = "PATH",
      description = "Manifest file or directory (repeatable): compare with what these manifests would push.")
  List<Path> manifests;

  @Option(names = "--server", paramLabel = "URL",
      description = "Instead of --manifests: a running appmesh-xds's admin address (http://host:9090); reads what it pushes to the node from /config_dump?node=.")
  URI server;

  @Option(names = "--server-token-file", paramLabel = "FILE",
      description = "With --server: the admin token (the file serve's --admin-token-file reads), sent as a bearer token.")
  Path serverTokenFile;

  @Option(names = "--config", paramLabel = "FILE", description = "With --manifests: the config file (YAML) serve runs with; its tracing and logging sections shape our side.")
  Path config;

  @Option(names = "--ignore", paramLabel = "WHAT", split = ",",
      description = "Leave out some differences (repeatable, or comma-separated): '" + ConfigDiff.EXTENSIONS + "' for every line "
          + "about what upstream Envoy does not define; or a field name (snake_case, e.g. stat_prefix) wherever it occurs.")
  List<String> ignore = List.of();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  InputStream stdin = System.in;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(out, err);
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (StackOverflowError e) {
      err.println("error: a dump nested too deeply to compare");
      return 2;
    } catch (RuntimeException e) {
      // Why neither a stack trace nor the message: this is a command line, and a message may quote
      // the dump, which can hold secret material. The class and our frame are enough to report it.
      StackTraceElement at = java.util.Arrays.stream(e.getStackTrace())
          .filter(f -> f.getClassName().startsWith("io.appmeshxds.")).findFirst().orElse(null);
      err.println("error: internal error while comparing (" + e.getClass().getName()
          + (at == null ? "" : " at " + at.getFileName() + ":" + at.getLineNumber()) + "); please report it");
      return 2;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int run(PrintWriter out, PrintWriter err) {
    if ((manifests == null) == (server == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "give either --manifests PATH… (what these manifests would push) or --server URL (what a running appmesh-xds pushes)");
    }
    if (server != null && config != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--config goes with --manifests; with --server, the server's own config applies");
    }
    ConfigDiff.Options options = options();
    Dump running;
    try {
      running = ConfigDiff.read(readDump());
    } catch (DumpException e) {
      err.println("error: --config-dump " + dumpFile + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: --config-dump " + dumpFile + ": " + ioMessage(e));
      return 2;
    }
    running.notes().forEach(n -> err.println("note: " + n));
    NodeKey key = nodeKey(running, err);
    if (key == null) {
      return 2;
    }
    Side ours = server != null ? fromServer(key, err) : fromManifests(key, err);
    if (ours == null) {
      return 2;
    }
    List<Difference> differences = ConfigDiff.compare(ours.dump(), running, options);
    if (differences.isEmpty()) {
      return 0;
    }
    ours.messages().forEach(err::println);
    differences.forEach(d -> out.println(d.line()));
    return 1;
  }

  /** Our side and the warnings/notes of building it (shown only when something differs). */
  private record Side(Dump dump, List<String> messages) {}

  private ConfigDiff.Options options() {
    boolean extensions = false;
    Set<String> fields = new HashSet<>();
    for (String i : ignore) {
      if (i.equals(ConfigDiff.EXTENSIONS)) {
        extensions = true;
      } else if (i.matches("[a-z][a-z0-9_]*")) {
        fields.add(i);
      } else {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--ignore " + i + ": expected " + ConfigDiff.EXTENSIONS + " or a proto field name in snake_case (e.g. stat_prefix)");
      }
    }
    return new ConfigDiff.Options(extensions, fields);
  }

  private byte[] readDump() throws IOException, DumpException {
    byte[] bytes;
    if (dumpFile.equals("-")) {
      bytes = stdin.readNBytes((int) ConfigDiff.MAX_DUMP_BYTES + 1);
    } else {
      Path p;
      try {
        p = Path.of(dumpFile);
      } catch (java.nio.file.InvalidPathException e) {
        throw new DumpException("not a file name");
      }
      if (Files.isDirectory(p)) {
        throw new DumpException("is a directory; expected the file Envoy's /config_dump was saved to");
      }
      if (Files.size(p) > ConfigDiff.MAX_DUMP_BYTES) {
        throw new DumpException(tooLarge());
      }
      bytes = Files.readAllBytes(p);
    }
    if (bytes.length > ConfigDiff.MAX_DUMP_BYTES) {
      throw new DumpException(tooLarge());
    }
    return bytes;
  }

  private static String tooLarge() {
    return "larger than " + (ConfigDiff.MAX_DUMP_BYTES >> 20) + " MiB, more than any Envoy's dump; is it the right file?";
  }

  /** --node, else the dump's bootstrap node; null (after saying why) when neither names an App Mesh node. */
  private NodeKey nodeKey(Dump running, PrintWriter err) {
    NodeKey fromDump = NodeKey.parse(running.nodeId(), running.nodeCluster(), "envoy", "");
    if (node == null) {
      if (fromDump == null) {
        err.println("error: " + (running.nodeId() == null
            ? "the dump has no bootstrap node id: give --node NODE_ID"
            : "the dump's node id \"" + running.nodeId() + "\" is not an App Mesh node (mesh/<mesh>/virtualNode/<name>): give --node NODE_ID"));
      }
      return fromDump;
    }
    NodeKey key = NodeKey.parse(node, null, "envoy", "");
    if (key == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--node " + node + ": expected mesh/<mesh>/virtualNode/<name> or mesh/<mesh>/virtualGateway/<name>");
    }
    if (fromDump != null && !fromDump.equals(key)) {
      err.println("warning: the dump is of " + fromDump.nodeId() + "; comparing it with what " + key.nodeId() + " would receive, as --node asks");
    }
    return key;
  }

  private Side fromManifests(NodeKey key, PrintWriter err) {
    NodeConfig.Result r = NodeConfig.translate(Pipelines.standard(ConfigFile.load(spec, config)), manifests, key,
        node != null ? node : key.nodeId());
    if (r.failure() != null) {
      r.errors().forEach(err::println);
      return null;
    }
    return side(ConfigDumpWriter.json(r.resources()).getBytes(StandardCharsets.UTF_8), r.messages(), "our config dump", err);
  }

  private Side fromServer(NodeKey key, PrintWriter err) {
    String token = null;
    if (serverTokenFile != null) {
      try {
        token = java.nio.file.Files.readString(serverTokenFile).strip();
      } catch (java.io.IOException e) {
        err.println("error: --server-token-file " + serverTokenFile + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        return null;
      }
    }
    ServerDump.Reply reply = ServerDump.fetch(server, key.nodeId(), token);
    if (reply.error() != null) {
      err.println("error: --server " + server + ": " + reply.error());
      return null;
    }
    return side(reply.body(), List.of(), "--server " + server, err);
  }

  private static Side side(byte[] json, List<String> messages, String what, PrintWriter err) {
    try {
      return new Side(ConfigDiff.read(json), messages);
    } catch (DumpException e) {
      err.println("error: " + what + ": " + e.getMessage());
      return null;
    }
  }

  private static String ioMessage(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return "cannot read: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
