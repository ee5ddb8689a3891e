package io.appmeshxds.server.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS on its own port, beside the admin server: {@code POST /mutate-v1-pod} (App Mesh's path,
 * {@code webhooks/core/pod_mutator.go} {@code apiPathMutatePod}) answered by an
 * {@link AdmissionHandler}. Every replica serves it; bodies are read up to
 * {@link AdmissionHandler#MAX_BYTES}.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  public static final String PATH = "/mutate-v1-pod";

  private final HttpsServer server;
  private final ExecutorService pool;

  public WebhookServer(InetSocketAddress bind, ServingTls tls, AdmissionHandler handler) throws IOException {
    server = HttpsServer.create(bind, 128);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
    pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "webhook-https");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext(PATH, ex -> {
      try (ex) {
        if (!"POST".equals(ex.getRequestMethod())) {
          reply(ex, 405, "text/plain", "POST an AdmissionReview\n".getBytes(StandardCharsets.UTF_8));
          return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
          body = in.readNBytes(AdmissionHandler.MAX_BYTES + 1);
        }
        reply(ex, 200, "application/json", handler.handle(body));
      } catch (IOException | RuntimeException e) {
        LOG.warn("webhook: request failed: {}", e.toString());
      }
    });
    server.createContext("/", ex -> {
      try (ex) {
        reply(ex, 404, "text/plain", ("the webhook serves POST " + PATH + "\n").getBytes(StandardCharsets.UTF_8));
      }
    });
  }

  public WebhookServer start() {
    server.start();
    LOG.info("admission webhook (HTTPS) listening on {}{}", server.getAddress(), PATH);
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    pool.shutdownNow();
  }
}
