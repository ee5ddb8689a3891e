package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.cli.Main;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.MeshFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code appmesh-xds status} against a running control plane (its admin {@code /proxies}): a
 * grpc-java xDS client, an Envoy-like client that NACKs its clusters, and a proxy that names its
 * VirtualNode by the Kubernetes name instead of the App Mesh name, each listed as it is.
 */
class ProxyStatusTest {
  @TempDir Path dir;

  static final String PRIMARY = "mesh/appmesh/virtualNode/podinfo-primary_demo";
  static final String WRONG = "mesh/appmesh/virtualNode/podinfo-primary";

  record Out(int code, String out, String err) {}

  static Out status(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "status";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new Out(code, out.toString(), err.toString());
  }

  @Test
  void statusListsEveryConnectedProxyItsStateItsNacksAndUnknownIdsWithASuggestion() throws Exception {
    try (RunningMesh mesh = new RunningMesh(dir);
        AdsTestClient nacking = new AdsTestClient(mesh.cp.xdsPort(), PRIMARY, false).nack(AdsTestClient.CDS).start();
        AdsTestClient wrong = new AdsTestClient(mesh.cp.xdsPort(), WRONG, false).start()) {
      assertThat(mesh.apex.call()).isNotEmpty(); // the grpc-java client is connected and routes
      RunningMesh.await(() -> nacking.responses(AdsTestClient.CDS) > 0, 20_000);
      RunningMesh.await(() -> mesh.cp.proxies().toString().contains("lastNack"), 20_000);
      String server = "http://127.0.0.1:" + mesh.cp.adminPort();

      Out table = status("--server", server);
      assertThat(table.code()).as(table.err()).isZero();
      List<String> lines = List.of(table.out().split("\n"));
      assertThat(lines.get(0)).startsWith("NODE").contains("KIND", "LDS", "RDS", "CDS", "EDS", "SDS", "CONNECTED SINCE", "REPLICA");
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(MeshFiles.LOADTESTER).contains("proxyless", "SYNCED"));
      String primaryLine = lines.stream().filter(l -> l.startsWith(PRIMARY + " ")).findFirst().orElseThrow();
      assertThat(primaryLine).contains("sidecar", "NACKED");
      assertThat(lines.get(lines.indexOf(primaryLine) + 1)).startsWith("    last NACK (cds ").contains("test client rejects");
      String wrongLine = lines.stream().filter(l -> l.startsWith(WRONG + " ")).findFirst().orElseThrow();
      assertThat(wrongLine).contains("unknown");
      assertThat(lines.get(lines.indexOf(wrongLine) + 1)).isEqualTo("    no VirtualNode or VirtualGateway is served under"
          + " this id; did you mean " + PRIMARY + "?");

      JsonNode json = JsonMapper.shared().readTree(status("--server", server, "--output", "json").out());
      assertThat(json.path("proxies").size()).isEqualTo(3);
      for (JsonNode p : json.path("proxies")) {
        if (p.path("nodeId").asString("").equals(PRIMARY)) {
          JsonNode cds = p.path("types").path("cds");
          assertThat(cds.path("lastNack").path("version").asString("")).isEqualTo(cds.path("sent").asString("x"));
          assertThat(cds.path("acked").isNull()).as("it never ACKed a cluster version").isTrue();
          assertThat(p.path("types").path("lds").path("state").asString("")).isEqualTo("SYNCED");
        }
      }
    }
  }

  @Test
  void aDisconnectedProxyIsGoneFromTheListAndAnUnreachableServerIsOneLine() throws Exception {
    try (RunningMesh mesh = new RunningMesh(dir)) {
      AdsTestClient gone = new AdsTestClient(mesh.cp.xdsPort(), PRIMARY, false).start();
      RunningMesh.await(gone::complete, 20_000);
      RunningMesh.await(() -> mesh.cp.proxies().toString().contains(PRIMARY), 5_000);
      gone.close();
      RunningMesh.await(() -> !mesh.cp.proxies().toString().contains(PRIMARY), 10_000);
      assertThat(status("--server", "http://127.0.0.1:" + mesh.cp.adminPort()).out()).doesNotContain(PRIMARY);
    }
    Out down = status("--server", "http://127.0.0.1:1");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err().strip()).startsWith("error: http://127.0.0.1:1/proxies: cannot reach it").doesNotContain("\n");
  }

}
