package io.appmeshxds.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may read what on the admin port: probes and metrics open, dumps and status behind a token or loopback. */
class AdminAccessTest {
  static final String TOKEN = "3f9a1c0e8b7d4a2f9e6c5b1a0d8f7e6c";

  @TempDir Path dir;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  AdminServer admin;

  @AfterEach
  void stop() {
    if (admin != null) {
      admin.close();
    }
  }

  AdminServer start(AdminServer.Options o) throws Exception {
    admin = new AdminServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> true, registry::scrape,
        q -> new AdminServer.Reply(200, "application/json", "{\"node\":\"" + q.get("node") + "\"}"),
        () -> "{\"objects\":[]}", o.withRegistry(registry)).start();
    return admin;
  }

  Path tokenFile(String token) throws Exception {
    return Files.writeString(dir.resolve("token"), token + "\n");
  }

  @Test
  void withATokenTheDumpAndStatusNeedItAndProbesAndMetricsStayOpen() throws Exception {
    int port = start(AdminServer.Options.defaults().withToken(AdminToken.fromFile(tokenFile(TOKEN)))).port();

    Http.Answer none = Http.get(port, "/config_dump?node=mesh/m/virtualNode/a_ns");
    assertThat(none.code()).isEqualTo(401);
    assertThat(none.headers().get("www-authenticate")).isEqualTo("Bearer realm=\"appmesh-xds admin\"");
    assertThat(none.body()).doesNotContain("a_ns");
    Http.Answer wrong = Http.get(port, "/config_dump?node=mesh/m/virtualNode/a_ns", "Authorization: Bearer " + TOKEN + "x");
    assertThat(wrong.code()).isEqualTo(401);
    assertThat(wrong.headers().get("www-authenticate")).contains("error=\"invalid_token\"");
    assertThat(Http.get(port, "/config_dump?node=n", "Authorization: Basic " + TOKEN).code()).isEqualTo(401);
    assertThat(Http.get(port, "/status").code()).isEqualTo(401);

    Http.Answer ok = Http.get(port, "/config_dump?node=mesh/m/virtualNode/a_ns", "Authorization: Bearer " + TOKEN);
    assertThat(ok.code()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"node\":\"mesh/m/virtualNode/a_ns\"}");
    assertThat(ok.headers().get("cache-control")).isEqualTo("no-store");
    assertThat(Http.get(port, "/status", "authorization: bearer " + TOKEN).code()).isEqualTo(200);

    assertThat(Http.get(port, "/healthz").body()).isEqualTo("ok\n");
    assertThat(Http.get(port, "/ready").code()).isEqualTo(200);
    Http.Answer metrics = Http.get(port, "/metrics");
    assertThat(metrics.code()).isEqualTo(200);
    assertThat(metrics.body()).contains("appmeshxds_admin_denied_total{reason=\"no_token\"} 3.0")
        .contains("appmeshxds_admin_denied_total{reason=\"bad_token\"} 1.0").doesNotContain(TOKEN);
    assertThat(Http.request(port, "POST", "/healthz").code()).isEqualTo(405);
    assertThat(Http.request(port, "HEAD", "/healthz").body()).isEmpty();
    assertThat(Http.get(port, "/nope").code()).isEqualTo(404);
  }

  @Test
  void aRotatedTokenFileTakesEffectWithoutARestart() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.appmeshxds.server.admin");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      rotate();
    } finally {
      logger.detachAppender(logs);
    }
    List<String> lines = logs.list.stream().map(e -> e.getFormattedMessage()).toList();
    assertThat(lines).anyMatch(l -> l.contains("changed: the new token is in effect"))
        .noneMatch(l -> l.contains(TOKEN) || l.contains(ROTATED));
  }

  static final String ROTATED = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

  void rotate() throws Exception {
    Path file = tokenFile(TOKEN);
    int port = start(AdminServer.Options.defaults().withToken(AdminToken.fromFile(file))).port();
    assertThat(Http.get(port, "/status", "Authorization: Bearer " + TOKEN).code()).isEqualTo(200);
    String next = ROTATED;
    Files.writeString(file, next);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    long deadline = System.nanoTime() + 5_000_000_000L; // the file is looked at once a second at most
    while (Http.get(port, "/status", "Authorization: Bearer " + next).code() != 200 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(Http.get(port, "/status", "Authorization: Bearer " + next).code()).isEqualTo(200);
    assertThat(Http.get(port, "/status", "Authorization: Bearer " + TOKEN).code()).isEqualTo(401);
  }

  @Test
  void withoutATokenTheDumpAndStatusAnswerLocalClientsOnly() throws Exception {
    int port = start(AdminServer.Options.defaults()).port();
    assertThat(Http.get(port, "/config_dump?node=n").code()).as("loopback").isEqualTo(200);
    admin.close();
    // The same request from a peer that is not local (a test can only connect over loopback, so the check is swapped).
    port = start(AdminServer.Options.defaults().withLocal(a -> false)).port();
    Http.Answer remote = Http.get(port, "/config_dump?node=n");
    assertThat(remote.code()).isEqualTo(403);
    assertThat(remote.body()).contains("--admin-token-file");
    assertThat(Http.get(port, "/status").code()).isEqualTo(403);
    assertThat(Http.get(port, "/healthz").code()).isEqualTo(200);
    assertThat(Http.get(port, "/metrics").body()).contains("appmeshxds_admin_denied_total{reason=\"not_loopback\"} 2.0");
  }

  @Test
  void aRequestTargetIsLoggedEscapedAndBounded() {
    assertThat(AdminServer.printable("/status?x=\u001b[31mred\u0000")).isEqualTo("/status?x=\\x1b[31mred\\x00");
    assertThat(AdminServer.printable("/" + "a".repeat(5_000))).hasSize(201).endsWith("…");
  }

  @Test
  void aBadTokenFileIsOneClearLine() throws Exception {
    assertThatThrownBy(() -> AdminToken.fromFile(dir.resolve("missing"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("admin token file " + dir.resolve("missing") + ": cannot read it (no such file)");
    Path shortOne = Files.writeString(dir.resolve("short"), "secret\n");
    assertThatThrownBy(() -> AdminToken.fromFile(shortOne)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 characters").hasMessageNotContaining("secret\n");
  }

  @Test
  void exportLogsShapeAnswers404ForTheViewsItDoesNotHave() throws Exception {
    admin = new AdminServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> true, () -> "m 1\n", null,
        null, AdminServer.Options.defaults()).start();
    assertThat(Http.get(admin.port(), "/config_dump?node=n").code()).isEqualTo(404);
    assertThat(Http.get(admin.port(), "/metrics").body()).isEqualTo("m 1\n");
  }
}
