package io.appmeshxds.server.cli;

import io.appmeshxds.server.diff.ConfigDiff;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@code diff --server URL}: what a running appmesh-xds pushes to a node, from its admin {@code /config_dump?node=}. */
final class ServerDump {
  private ServerDump() {}

  /**
   * The body, or why there is none; for a node the server serves nothing to, the served node ids
   * closest to it (the 404's {@code did you mean:} lines), else empty.
   */
  record Reply(byte[] body, String error, java.util.List<String> suggestions) {
    Reply(byte[] body, String error) {
      this(body, error, java.util.List.of());
    }
  }

  static Reply fetch(URI server, String nodeId) {
    return fetch(server, nodeId, null);
  }

  /** With {@code token} (not null): sent as {@code Authorization: Bearer}, as the admin port's /config_dump needs. */
  static Reply fetch(URI server, String nodeId, String token) {
    String base = server.toString().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(base + "/config_dump?node=" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return new Reply(null, "not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      return new Reply(null, "expected an http:// or https:// URL of the admin port, e.g. http://localhost:9090");
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = rb.build();
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes((int) ConfigDiff.MAX_DUMP_BYTES + 1);
      }
      if (response.statusCode() != 200) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        java.util.List<String> suggestions = response.statusCode() != 404 ? java.util.List.of()
            : new String(body, 0, Math.min(body.length, 64 * 1024), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith(io.appmeshxds.server.status.NodeSuggestions.DID_YOU_MEAN))
                .map(l -> l.substring(io.appmeshxds.server.status.NodeSuggestions.DID_YOU_MEAN.length()).strip())
                .filter(id -> !id.isEmpty()).limit(io.appmeshxds.server.status.NodeSuggestions.MAX).toList();
        return new Reply(null, "HTTP " + response.statusCode() + (text.isEmpty() ? "" : ": " + text.lines().findFirst().orElse(""))
            + (response.statusCode() == 401 || response.statusCode() == 403 ? " (give --server-token-file)" : ""), suggestions);
      }
      if (body.length > ConfigDiff.MAX_DUMP_BYTES) {
        return new Reply(null, "answer larger than " + (ConfigDiff.MAX_DUMP_BYTES >> 20) + " MiB");
      }
      return new Reply(body, null);
    } catch (IOException e) {
      return new Reply(null, "cannot reach it: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(null, "interrupted");
    }
  }
}
