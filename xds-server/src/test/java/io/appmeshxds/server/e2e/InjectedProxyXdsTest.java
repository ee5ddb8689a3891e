package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.inject.InjectionSettings;
import io.appmeshxds.server.inject.Injector;
import io.appmeshxds.server.inject.MeshView;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Admissions;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.server.webhook.AdmissionHandler;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The identity the webhook injects is the one the control plane serves: with the podinfo mesh served
 * in-process, the node id of an injected pod's bootstrap, given to a grpc-java xDS client (the load
 * tester's pod), routes its calls to podinfo's primary backend; given to an Envoy-like ADS client
 * (podinfo-primary's pod), it receives that node's ingress listener and route configuration.
 */
class InjectedProxyXdsTest {
  @TempDir Path dir;

  JsonNode injected(String name, MeshView view) throws Exception {
    ControlPlaneConfig cfg = ControlPlaneConfig.defaults();
    JsonNode pod = Admissions.JSON.readTree(YAMLMapper.builder().build()
        .readTree(Path.of("src/test/resources/inject", name + ".in.yaml").toFile()).toString());
    var handler = new AdmissionHandler(new Injector(InjectionSettings.of(cfg)), cfg.injection().failurePolicy(), () -> view,
        AdmissionHandler.Counters.NONE);
    JsonNode response = Admissions.JSON.readTree(handler.handle(Admissions.review("u", pod.path("metadata").path("namespace")
        .asString(), pod).getBytes(StandardCharsets.UTF_8))).path("response");
    return Admissions.patched(pod, response);
  }

  @Test
  void theInjectedNodeIdReceivesThatNodesRoutes() throws Exception {
    try (RunningMesh mesh = new RunningMesh(dir)) {
      MeshView view = MeshView.of(mesh.cp.reconciler().lastBuild());
      Bootstrap loadtester = Admissions.bootstrap(Admissions.container(injected("plain", view), "containers", "envoy"));
      assertThat(loadtester.getNode().getId()).isEqualTo("mesh/appmesh/virtualNode/flagger-loadtester_demo");
      try (XdsChannel client = new XdsChannel(mesh.cp.xdsPort(), loadtester.getNode().getId(), "podinfo.demo:9898")) {
        assertThat(client.call()).isEqualTo("primary");
      }

      Bootstrap primary = Admissions.bootstrap(Admissions.container(injected("flagger-primary", view), "containers", "envoy"));
      try (AdsTestClient envoy = new AdsTestClient(mesh.cp.xdsPort(), primary.getNode().getId(), false).start()) {
        RunningMesh.await(() -> envoy.held().getOrDefault(AdsTestClient.RDS, java.util.Map.of()).containsKey("rds_ingress_http_9898"),
            20_000);
        assertThat(envoy.held().get(AdsTestClient.LDS).keySet()).contains("lds_ingress_0.0.0.0_15000", "lds_egress_0.0.0.0_15001");
        assertThat(envoy.held().get(AdsTestClient.CDS).keySet()).contains("cds_ingress_appmesh_podinfo-primary_demo_http_9898");
      }
    }
  }
}
