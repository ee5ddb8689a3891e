package io.appmeshxds.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ready} (200 once the first configuration is published), {@code /healthz}, {@code /metrics}
 * (Prometheus text), {@code /config_dump?node=NODE_ID[&proxyless=true]} (the same JSON as
 * {@code render}) and {@code /status} (every object's condition). JDK HTTP server: no extra
 * dependency for a handful of read-only endpoints.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** A response: status code, content type, body. */
  public record Reply(int code, String contentType, String body) {
    static Reply text(int code, String body) {
      return new Reply(code, "text/plain; charset=utf-8", body);
    }

    static Reply json(String body) {
      return new Reply(200, "application/json", body);
    }
  }

  private final HttpServer server;

  public AdminServer(InetSocketAddress bind, BooleanSupplier ready, Supplier<String> metrics,
      Function<Map<String, String>, Reply> configDump, Supplier<String> status) throws IOException {
    server = HttpServer.create(bind, 64);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "admin-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/ready", ex -> reply(ex, ready.getAsBoolean() ? Reply.text(200, "ready\n")
        : Reply.text(503, "not ready: the first configuration is not published yet\n")));
    server.createContext("/healthz", ex -> reply(ex, Reply.text(200, "ok\n")));
    server.createContext("/metrics", ex -> reply(ex, new Reply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.get())));
    server.createContext("/config_dump", ex -> reply(ex, configDump.apply(query(ex))));
    server.createContext("/status", ex -> reply(ex, Reply.json(status.get())));
    server.createContext("/", ex -> reply(ex, Reply.text(404,
        "endpoints: /ready /healthz /metrics /config_dump?node=NODE_ID /status\n")));
  }

  public AdminServer start() {
    server.start();
    LOG.info("admin HTTP listening on {}", server.getAddress());
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> q = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        String[] p = kv.split("=", 2);
        q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
      }
    }
    return q;
  }

  private static void reply(HttpExchange ex, Reply r) throws IOException {
    try (ex) {
      Reply out = r;
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        out = Reply.text(405, "only GET\n");
      }
      byte[] body = out.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", out.contentType());
      ex.sendResponseHeaders(out.code(), body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    } catch (RuntimeException e) {
      LOG.error("admin request {} failed", ex.getRequestURI(), e);
    }
  }

  @Override
  public void close() {
    server.stop(1);
  }
}
