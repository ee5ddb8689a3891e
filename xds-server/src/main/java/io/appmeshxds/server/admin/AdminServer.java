package io.appmeshxds.server.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port: {@code /ready} (200 once the first configuration is published), {@code /healthz},
 * {@code /metrics} (Prometheus text), {@code /config_dump?node=NODE_ID[&proxyless=true]} (the same
 * JSON as {@code render}, secrets redacted) and {@code /status} (every object's condition).
 *
 * <p>Access. Probes and {@code /metrics} are open. {@code /config_dump} and {@code /status} show a
 * node's whole configuration and the mesh's objects: with a token file they need
 * {@code Authorization: Bearer <token>} (401 without, from anyone); without one they answer only
 * clients on the loopback interface ({@code kubectl port-forward}, {@code kubectl exec … curl
 * localhost}) and refuse others with 403.
 *
 * <p>Load. Requests are read by a non-blocking loop ({@link HttpLoop}), so stalled or slow clients
 * hold no thread. Probes are answered on that loop at once; {@code /metrics}, {@code /config_dump}
 * and {@code /status} run on a small worker pool with a bounded queue (503 when it is full), so a
 * slow dump never delays a probe.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  static final String ENDPOINTS = "endpoints: /ready /healthz /metrics /config_dump?node=NODE_ID /status /proxies\n";

  /** A response: status code, content type, body. */
  public record Reply(int code, String contentType, String body) {
    static Reply text(int code, String body) {
      return new Reply(code, "text/plain; charset=utf-8", body);
    }

    static Reply json(String body) {
      return new Reply(200, "application/json", body);
    }
  }

  /**
   * Settings.
   *
   * @param token bearer token for the sensitive views; null: those answer loopback clients only
   * @param headerTimeout how long a client may take to send its request head
   * @param writeTimeout how long a client may take to read its response
   * @param maxConnections open connections; past it, the oldest one still sending its head is closed
   * @param workers threads for /metrics, /config_dump and /status
   * @param registry where the admin port's own counters go (null: none)
   * @param local which peers count as local when there is no token ({@link InetAddress#isLoopbackAddress})
   */
  public record Options(AdminToken token, Duration headerTimeout, Duration writeTimeout, int maxConnections, int workers,
      MeterRegistry registry, java.util.function.Predicate<InetAddress> local) {
    public Options {
      if (headerTimeout.isNegative() || headerTimeout.isZero() || writeTimeout.isNegative() || writeTimeout.isZero()) {
        throw new IllegalArgumentException("admin timeouts must be positive");
      }
      if (maxConnections < 2 || workers < 1) {
        throw new IllegalArgumentException("admin maxConnections must be at least 2 and workers at least 1");
      }
    }

    public static Options defaults() {
      return new Options(null, Duration.ofSeconds(10), Duration.ofSeconds(30), 256, 2, null, InetAddress::isLoopbackAddress);
    }

    public Options withToken(AdminToken t) {
      return new Options(t, headerTimeout, writeTimeout, maxConnections, workers, registry, local);
    }

    public Options withRegistry(MeterRegistry r) {
      return new Options(token, headerTimeout, writeTimeout, maxConnections, workers, r, local);
    }

    public Options withLimits(Duration header, Duration write, int connections) {
      return new Options(token, header, write, connections, workers, registry, local);
    }

    /** Tests: which peers count as local (a test cannot connect from a non-loopback address). */
    Options withLocal(java.util.function.Predicate<InetAddress> l) {
      return new Options(token, headerTimeout, writeTimeout, maxConnections, workers, registry, l);
    }
  }

  private final HttpLoop loop;
  private final ThreadPoolExecutor pool;
  private final Options options;
  private final BooleanSupplier ready;
  private final Supplier<String> metrics;
  private final Function<Map<String, String>, Reply> configDump;
  private final Supplier<String> status;
  private volatile Supplier<String> proxies;

  public AdminServer(InetSocketAddress bind, BooleanSupplier ready, Supplier<String> metrics,
      Function<Map<String, String>, Reply> configDump, Supplier<String> status) throws IOException {
    this(bind, ready, metrics, configDump, status, Options.defaults());
  }

  /**
   * With {@code configDump} or {@code status} null, that view answers 404 ({@code export-logs}
   * serves probes and metrics only).
   */
  public AdminServer(InetSocketAddress bind, BooleanSupplier ready, Supplier<String> metrics,
      Function<Map<String, String>, Reply> configDump, Supplier<String> status, Options options) throws IOException {
    this.options = options;
    this.ready = ready;
    this.metrics = metrics;
    this.configDump = configDump;
    this.status = status;
    pool = new ThreadPoolExecutor(options.workers(), options.workers(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(64), r -> {
          Thread t = new Thread(r, "admin-http");
          t.setDaemon(true);
          return t;
        });
    loop = new HttpLoop(bind, new HttpLoop.Limits(options.headerTimeout().toNanos(), options.writeTimeout().toNanos(),
        options.maxConnections()), this::handle, why -> count("appmeshxds.admin.connections.closed", "reason",
        why.name().toLowerCase(Locale.ROOT)), "admin-http-loop");
    if (options.registry() != null) {
      Gauge.builder("appmeshxds.admin.connections", loop, HttpLoop::open)
          .description("Open connections to the admin port").register(options.registry());
    }
  }

  /** Serves {@code /proxies} (the connected proxies, protected like {@code /status}); call before {@link #start()}. */
  public AdminServer proxies(Supplier<String> view) {
    this.proxies = view;
    return this;
  }

  public AdminServer start() {
    loop.start();
    LOG.info("admin HTTP listening on {}; /config_dump and /status {}", loop.address(), options.token() != null
        ? "need the bearer token in " + options.token().file() : "answer loopback clients only (no --admin-token-file)");
    return this;
  }

  public int port() {
    return loop.address().getPort();
  }

  private void handle(HttpLoop.Exchange x) {
    HttpLoop.Request r = x.request;
    if (!"GET".equals(r.method()) && !"HEAD".equals(r.method())) {
      x.respond(plain(405, "only GET\n"));
      return;
    }
    URI uri;
    try {
      uri = URI.create(r.target());
    } catch (IllegalArgumentException e) {
      x.respond(plain(400, "bad request target\n"));
      return;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    switch (path) {
      // Probes: on the loop, at once (a volatile read), whatever the workers are doing.
      case "/healthz" -> x.respond(plain(200, "ok\n"));
      case "/ready" -> x.respond(ready.getAsBoolean() ? plain(200, "ready\n")
          : plain(503, "not ready: the first configuration is not published yet\n"));
      case "/metrics" -> work(x, () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
      case "/config_dump" -> sensitive(x, configDump == null ? null : () -> configDump.apply(query(uri)));
      case "/status" -> sensitive(x, status == null ? null : () -> Reply.json(status.get()));
      case "/proxies" -> {
        Supplier<String> p = proxies;
        sensitive(x, p == null ? null : () -> Reply.json(p.get()));
      }
      default -> x.respond(plain(404, ENDPOINTS));
    }
  }

  private void sensitive(HttpLoop.Exchange x, Supplier<Reply> view) {
    if (view == null) {
      x.respond(plain(404, ENDPOINTS));
      return;
    }
    AdminToken token = options.token();
    if (token != null) {
      String auth = x.request.header("authorization");
      String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
      if (presented == null || !token.matches(presented)) {
        count("appmeshxds.admin.denied", "reason", presented == null ? "no_token" : "bad_token");
        x.respond(new HttpLoop.Response(401, "text/plain; charset=utf-8",
            "this view needs Authorization: Bearer <the admin token>\n".getBytes(StandardCharsets.UTF_8),
            Map.of("WWW-Authenticate", presented == null ? "Bearer realm=\"appmesh-xds admin\""
                : "Bearer realm=\"appmesh-xds admin\", error=\"invalid_token\"")));
        return;
      }
    } else if (!options.local().test(x.request.peer())) {
      count("appmeshxds.admin.denied", "reason", "not_loopback");
      x.respond(plain(403, "this view answers loopback clients only (kubectl port-forward) unless serve runs with "
          + "--admin-token-file\n"));
      return;
    }
    work(x, view);
  }

  private void work(HttpLoop.Exchange x, Supplier<Reply> view) {
    try {
      pool.execute(() -> {
        Reply out;
        try {
          out = view.get();
        } catch (RuntimeException e) {
          LOG.error("admin request {} failed", printable(x.request.target()), e);
          out = Reply.text(500, "internal error (see the server log)\n");
        }
        x.respond(new HttpLoop.Response(out.code(), out.contentType(), out.body().getBytes(StandardCharsets.UTF_8),
            Map.of("Cache-Control", "no-store")));
      });
    } catch (RejectedExecutionException e) {
      count("appmeshxds.admin.connections.closed", "reason", "busy");
      x.respond(plain(503, "busy: too many admin requests in progress\n"));
    }
  }

  /** A request target as it may be logged: at most 200 characters, control characters escaped. */
  static String printable(String target) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < target.length() && b.length() < 200; i++) {
      char ch = target.charAt(i);
      b.append(ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
    }
    return target.length() > 200 ? b + "…" : b.toString();
  }

  private void count(String name, String tag, String value) {
    if (options.registry() != null) {
      Counter.builder(name).tag(tag, value).register(options.registry()).increment();
    }
  }

  private static HttpLoop.Response plain(int code, String body) {
    return HttpLoop.Response.text(code, body);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> q = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        String[] p = kv.split("=", 2);
        try {
          q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
        } catch (IllegalArgumentException e) {
          // a malformed escape: that parameter is ignored
        }
      }
    }
    return q;
  }

  @Override
  public void close() {
    loop.close();
    pool.shutdownNow();
  }
}
