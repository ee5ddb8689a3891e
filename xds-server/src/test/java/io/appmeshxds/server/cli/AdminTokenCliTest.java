package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.admin.AdminServer;
import io.appmeshxds.server.admin.AdminToken;
import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.plan.NodeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --admin-token-file} checks its file up front; {@code diff --server} sends the token. */
class AdminTokenCliTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void serveRefusesAMissingOrShortTokenFileWithOneLine() throws Exception {
    CliRun.Result missing = CliRun.run("serve", "--admin-token-file", dir.resolve("nope").toString(), "--xds-port", "0",
        "--admin-port", "0");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--admin-token-file: admin token file " + dir.resolve("nope")
        + ": cannot read it (no such file)").doesNotContain("\tat ");
    Path shortOne = Files.writeString(dir.resolve("short"), "hunter2\n");
    CliRun.Result tooShort = CliRun.run("serve", "--admin-token-file", shortOne.toString(), "--xds-port", "0",
        "--admin-port", "0");
    assertThat(tooShort.code()).isEqualTo(2);
    assertThat(tooShort.err()).contains("at least 16 characters").doesNotContain("hunter2");
  }

  @Test
  void adminLimitsAreValidatedWithOneLine() {
    CliRun.Result few = CliRun.run("serve", "--admin-max-connections", "10", "--xds-port", "0", "--admin-port", "0");
    assertThat(few.code()).isEqualTo(2);
    assertThat(few.err()).contains("--admin-max-connections must be at least 80");
    CliRun.Result zero = CliRun.run("serve", "--admin-header-timeout", "0", "--xds-port", "0", "--admin-port", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--admin-header-timeout must be between 1 and 3600 seconds").doesNotContain("\tat ");
  }

  @Test
  void diffServerSendsTheTokenAndSaysSoWhenItIsMissing() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Pipeline pipeline = Pipelines.standard();
    try (AdminServer admin = new AdminServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> true,
        () -> "", q -> {
          NodeKey key = NodeKey.parse(q.get("node"), null, "envoy", "");
          NodeConfig.Result r = NodeConfig.translate(pipeline, List.of(Path.of(DiffServerTest.SHOP)), key, q.get("node"));
          return new AdminServer.Reply(200, "application/json", pipeline.json().render(r.resources()));
        }, () -> "{}", AdminServer.Options.defaults().withToken(AdminToken.fromFile(token))).start()) {
      String url = "http://127.0.0.1:" + admin.port() + "/";
      String dump = CliRun.run("render", "--manifests", DiffServerTest.SHOP, "--node", DiffServerTest.FRONTEND, "--format",
          "config-dump").out();
      String running = Dumps.write(Dumps.envoyStyle(dump, DiffServerTest.FRONTEND));
      CliRun.Result without = CliRun.withStdin(running, "diff", "--config-dump", "-", "--server", url);
      assertThat(without.code()).isEqualTo(2);
      assertThat(without.err()).contains("HTTP 401").contains("(give --server-token-file)");
      CliRun.Result with = CliRun.withStdin(running, "diff", "--config-dump", "-", "--server", url, "--server-token-file",
          token.toString());
      assertThat(with.err()).isEmpty();
      assertThat(with.code()).isZero();
    }
  }
}
