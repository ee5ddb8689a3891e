package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.admin.AdminServer;
import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.plan.NodeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code diff --server URL}: our side read from a running appmesh-xds's admin {@code /config_dump?node=}
 * (the render JSON, camelCase) instead of from manifests. The admin server here answers from the
 * same manifests, as a control plane serving them would.
 */
class DiffServerTest {
  static final String SHOP = RenderConfigDumpTest.SHOP;
  static final String FRONTEND = RenderConfigDumpTest.FRONTEND;

  AdminServer admin;
  final List<String> asked = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Pipeline pipeline = Pipelines.standard();
    admin = new AdminServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> true, () -> "", q -> {
      asked.add(q.get("node"));
      NodeKey key = NodeKey.parse(q.get("node"), null, "envoy", "");
      NodeConfig.Result r = key == null ? null : NodeConfig.translate(pipeline, List.of(Path.of(SHOP)), key, q.get("node"));
      if (r == null || r.resources() == null) {
        return new AdminServer.Reply(404, "text/plain", "no configuration for " + q.get("node") + "\n");
      }
      return new AdminServer.Reply(200, "application/json", pipeline.json().render(r.resources()));
    }, () -> "{}").start();
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  String url() {
    return "http://127.0.0.1:" + admin.port() + "/";
  }

  String oursDump() {
    return CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "config-dump").out();
  }

  @Test
  void equivalentWhenTheServerPushesWhatTheEnvoyHolds() {
    ObjectNode running = Dumps.envoyStyle(oursDump(), FRONTEND);
    CliRun.Result r = CliRun.withStdin(Dumps.write(running), "diff", "--config-dump", "-", "--server", url());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(asked).containsExactly(FRONTEND);
  }

  @Test
  void aDifferenceIsNamedAsWithManifests() {
    ObjectNode running = Dumps.envoyStyle(oursDump(), FRONTEND);
    Dumps.route(DiffCommandTest.catalog(running), "images").withObject("route").put("timeout", "45s");
    CliRun.Result r = CliRun.withStdin(Dumps.write(running), "diff", "--config-dump", "-", "--server", url());
    CliRun.Result m = CliRun.withStdin(Dumps.write(running), "diff", "--config-dump", "-", "--manifests", SHOP);
    assertThat(r.lines()).hasSize(1).first().asString()
        .startsWith("route rds_egress_http_8080 / virtual host catalog.shop / route images: route.timeout: running \"45s\" ≠ ours ");
    assertThat(r.lines()).isEqualTo(m.lines());
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void aServerThatDoesNotKnowTheNodeOrCannotBeReachedIsAnIoError() {
    String dump = oursDump();
    CliRun.Result unknown = CliRun.withStdin(dump, "diff", "--config-dump", "-", "--node", "mesh/shop/virtualNode/nobody_shop",
        "--server", url());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--server " + url() + ": HTTP 404: no configuration for mesh/shop/virtualNode/nobody_shop");
    admin.close();
    CliRun.Result down = CliRun.withStdin(dump, "diff", "--config-dump", "-", "--node", FRONTEND, "--server", url());
    assertThat(down.code()).isEqualTo(2);
    assertThat(down.err()).contains("cannot reach it").doesNotContain("\tat ");
    CliRun.Result scheme = CliRun.withStdin(dump, "diff", "--config-dump", "-", "--node", FRONTEND, "--server", "ftp://x");
    assertThat(scheme.code()).isEqualTo(2);
    assertThat(scheme.err()).contains("expected an http:// or https:// URL");
  }
}
