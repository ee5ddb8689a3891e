package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.source.DnsRefresher;
import io.appmeshxds.server.testing.MeshFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Admin HTTP endpoints on a running control plane, and DNS answers for external host names. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminHttpTest {
  @TempDir static Path dir;
  RunningMesh mesh;

  @BeforeAll
  void start() throws Exception {
    mesh = new RunningMesh(dir);
    mesh.apex.call(); // a connected proxyless client, so connection and push metrics have values
  }

  @AfterAll
  void stop() throws Exception {
    mesh.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.cp.adminPort() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyHealthzAndStatus() throws Exception {
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(get("/healthz").body()).isEqualTo("ok\n");
    String status = get("/status").body();
    assertThat(status).contains("\"ready\" : true").contains("\"proxyless\" : 1").contains("\"kind\" : \"VirtualRouter\"")
        .contains("\"type\" : \"VirtualRouterActive\"");
  }

  @Test
  void metricsInPrometheusText() throws Exception {
    String m = get("/metrics").body();
    assertThat(m).contains("appmeshxds_connected_proxies{kind=\"proxyless\"} 1.0")
        .containsPattern("appmeshxds_pushes_total\\{type=\"rds\"} [1-9]")
        .contains("appmeshxds_translation_seconds_bucket")
        .contains("appmeshxds_objects{condition=\"true\",kind=\"VirtualNode\"} 3.0");
  }

  @Test
  void configDumpMatchesRenderShape() throws Exception {
    HttpResponse<String> r = get("/config_dump?node=" + MeshFiles.LOADTESTER);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"listeners\"").contains("\"routes\"").contains("\"clusters\"").contains("\"endpoints\"")
        .contains("\"secrets\"").contains("lds_egress_0.0.0.0_15001");
    assertThat(get("/config_dump?node=" + MeshFiles.LOADTESTER + "&proxyless=true").body()).contains("podinfo.demo:9898");
    assertThat(get("/config_dump?node=mesh/appmesh/virtualNode/nope_demo").statusCode()).isEqualTo(404);
    assertThat(get("/config_dump").statusCode()).isEqualTo(400);
    assertThat(get("/config_dump?node=bogus").statusCode()).isEqualTo(400);
  }

  @Test
  void externalHostNamesAreResolvedByTheControlPlane() throws Exception {
    mesh.files.write("external.yaml", """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: external, namespace: demo}
        spec:
          listeners: [{portMapping: {port: 443, protocol: tcp}}]
          serviceDiscovery: {dns: {hostname: localhost}}
        """);
    RunningMesh.await(() -> mesh.cp.store().refs().toString().contains("external"), 10_000);
    new DnsRefresher(mesh.cp.store()).refresh();
    Map<String, List<String>> answers = mesh.cp.store().snapshot().dnsAnswers();
    assertThat(answers).containsKey("localhost");
    assertThat(answers.get("localhost")).contains("127.0.0.1");
    // Kubernetes Service host names are never looked up: EndpointSlices answer for them.
    assertThat(answers).doesNotContainKey("podinfo-primary.demo.svc.cluster.local");
  }
}
