package io.appmeshxds.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code appmesh-xds status}: the proxies connected to a running control plane, one line each. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Lists the proxies connected to a running appmesh-xds (its admin /proxies): node id, kind, per xDS type "
        + "whether the proxy holds the latest version (SYNCED), has not acknowledged it yet (STALE), rejected it (NACKED, "
        + "with the message below) or got nothing yet (WAITING), since when it is connected and which replica answered.",
        "A node id no VirtualNode or VirtualGateway serves is listed as unknown with the closest served ids.",
        "Exit codes: 0 listed, 1 the server could not be asked, 2 bad usage."})
final class StatusCommand implements Callable<Integer> {
  static final int MAX_BYTES = 32 << 20;
  static final List<String> TYPES = List.of("lds", "rds", "cds", "eds", "sds");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:9090",
      description = "Admin URL of the control plane (default: ${DEFAULT-VALUE}; in a cluster: kubectl -n appmesh-system "
          + "port-forward deploy/appmesh-xds 9090).")
  URI server;

  @Option(names = "--server-token-file", paramLabel = "FILE",
      description = "File holding the admin token (serve --admin-token-file), sent as a bearer token.")
  Path tokenFile;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("table") && !output.equals("json")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--output must be table or json");
    }
    if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--server must be an http:// or https:// URL, e.g. "
          + "http://127.0.0.1:9090");
    }
    String token = null;
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        err.println("error: --server-token-file " + tokenFile + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        return 2;
      }
    }
    URI uri = URI.create(server.toString().replaceAll("/+$", "") + "/proxies");
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    byte[] body;
    try {
      HttpResponse<InputStream> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        body = in.readNBytes(MAX_BYTES + 1);
      }
      if (r.statusCode() != 200) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        err.println("error: " + uri + ": HTTP " + r.statusCode() + (text.isEmpty() ? "" : ": " + text.lines().findFirst().orElse(""))
            + (r.statusCode() == 401 || r.statusCode() == 403 ? " (give --server-token-file)" : ""));
        return 1;
      }
      if (body.length > MAX_BYTES) {
        err.println("error: " + uri + ": answer larger than " + (MAX_BYTES >> 20) + " MiB");
        return 1;
      }
    } catch (IOException e) {
      err.println("error: " + uri + ": cannot reach it (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " "
          + e.getMessage()) + ")");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    if (output.equals("json")) {
      out.println(new String(body, StandardCharsets.UTF_8).strip());
      out.flush();
      return 0;
    }
    JsonNode view = JsonMapper.shared().readTree(body);
    out.print(table(view));
    out.flush();
    return 0;
  }

  /** The table: a header, a line per proxy, and under it its NACKs and, for an unknown id, the suggestions. */
  static String table(JsonNode view) {
    String replica = view.path("replica").asString("");
    List<String[]> rows = new ArrayList<>();
    List<List<String>> notes = new ArrayList<>();
    String[] header = {"NODE", "KIND", "LDS", "RDS", "CDS", "EDS", "SDS", "CONNECTED SINCE", "REPLICA"};
    rows.add(header);
    notes.add(List.of());
    for (JsonNode p : view.path("proxies")) {
      String[] row = new String[header.length];
      row[0] = p.path("nodeId").asString("");
      row[1] = p.path("known").asBoolean() ? p.path("kind").asString("") : "unknown";
      List<String> n = new ArrayList<>();
      for (int i = 0; i < TYPES.size(); i++) {
        JsonNode t = p.path("types").path(TYPES.get(i));
        row[2 + i] = t.isMissingNode() ? "-" : t.path("state").asString("-");
        if (t.has("lastNack")) {
          JsonNode nack = t.path("lastNack");
          n.add("last NACK (" + TYPES.get(i) + " " + nack.path("version").asString("") + ", " + nack.path("at").asString("")
              + "): " + nack.path("message").asString("").replace('\n', ' '));
        }
      }
      if (!p.path("known").asBoolean()) {
        List<String> s = new ArrayList<>();
        p.path("suggestions").forEach(x -> s.add(x.asString("")));
        n.add("no VirtualNode or VirtualGateway is served under this id" + (s.isEmpty() ? "" : "; did you mean "
            + String.join(" or ", s) + "?"));
      }
      row[7] = p.path("connectedSince").asString("");
      row[8] = replica;
      rows.add(row);
      notes.add(n);
    }
    int[] width = new int[header.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
      for (String note : notes.get(k)) {
        sb.append("    ").append(note).append('\n');
      }
    }
    if (rows.size() == 1) {
      sb.append("(no proxy is connected to ").append(replica).append(")\n");
    }
    return sb.toString();
  }
}
