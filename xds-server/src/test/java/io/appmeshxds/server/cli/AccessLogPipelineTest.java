package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The pipeline `serve --config` builds: access-log export only when logging.cloudWatch.enabled. */
class AccessLogPipelineTest {

  static String render(ControlPlaneConfig cfg) {
    RenderCommand cmd = new RenderCommand();
    cmd.pipeline = Pipelines.standard(cfg);
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    int code = cl.execute("--manifests", "../deploy/examples/podinfo", "--node", "mesh/appmesh/virtualNode/podinfo-primary_demo");
    assertThat(code).isZero();
    return out.toString();
  }

  @Test
  void enabledConfigAddsGrpcAccessLoggersAndTheExporterCluster() throws Exception {
    ControlPlaneConfig on = ConfigLoader.parse("c.yaml",
        "logging:\n  cloudWatch:\n    enabled: true\n    exporter: logs.appmesh-system:18001\n");
    String json = render(on).replaceAll("\\s+", "");
    assertThat(json).contains("envoy.access_loggers.http_grpc", "\"clusterName\":\"appmesh_xds_access_logs\"",
        "\"logName\":\"podinfo-primary_demo\"", "LOGICAL_DNS", "\"address\":\"logs.appmesh-system\",\"portValue\":18001");
    assertThat(render(ControlPlaneConfig.defaults())).doesNotContain("http_grpc", "appmesh_xds_access_logs");
  }
}
