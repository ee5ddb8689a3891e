package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.inject.InjectionSettings;
import io.appmeshxds.server.inject.Injector;
import io.appmeshxds.server.inject.MeshView;
import io.appmeshxds.server.testing.Admissions;
import io.appmeshxds.server.webhook.AdmissionHandler;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code inject} on the example cluster's workloads prints the pods the webhook would produce: each
 * printed pod template is compared, as data, with the webhook's answer for a pod made from the
 * input template (its JSON patch applied); every other document passes through.
 */
class InjectCommandTest {
  static final Path CLUSTER = Path.of("..", "deploy", "examples", "podinfo-cluster");
  static final YAMLMapper YAML = YAMLMapper.builder().build();

  record Out(int code, String out, String err) {}

  static Out run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "inject";
    System.arraycopy(args, 0, full, 1, args.length);
    return new Out(cl.execute(full), out.toString(), err.toString());
  }

  static List<JsonNode> documents(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    for (String part : yaml.split("(?m)^---\\s*$")) {
      if (!part.isBlank()) {
        docs.add(Admissions.JSON.readTree(YAML.readTree(part).toString()));
      }
    }
    return docs;
  }

  @Test
  void injectOnTheExampleClusterPrintsWhatTheWebhookWouldProduce() throws Exception {
    Out o = run("-f", CLUSTER.resolve("podinfo.yaml").toString(), "-f", CLUSTER.resolve("gateway.yaml").toString(),
        "--manifests", Admissions.EXAMPLE.toString());
    assertThat(o.code()).as(o.err()).isZero();
    List<JsonNode> printed = documents(o.out());
    List<JsonNode> inputs = new ArrayList<>(documents(Files.readString(CLUSTER.resolve("podinfo.yaml"))));
    inputs.addAll(documents(Files.readString(CLUSTER.resolve("gateway.yaml"))));
    assertThat(printed).hasSameSizeAs(inputs).hasSize(2);

    ControlPlaneConfig cfg = ControlPlaneConfig.defaults();
    MeshView view = Admissions.view(cfg, List.of(Admissions.EXAMPLE));
    AdmissionHandler webhook = new AdmissionHandler(new Injector(InjectionSettings.of(cfg)), cfg.injection().failurePolicy(),
        () -> view, AdmissionHandler.Counters.NONE);
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode in = inputs.get(i);
      String ns = in.path("metadata").path("namespace").asString();
      ObjectNode pod = Admissions.JSON.createObjectNode();
      pod.put("apiVersion", "v1");
      pod.put("kind", "Pod");
      ObjectNode meta = ((ObjectNode) in.path("spec").path("template").path("metadata")).deepCopy();
      meta.put("generateName", in.path("metadata").path("name").asString() + "-");
      meta.put("namespace", ns);
      pod.set("metadata", meta);
      pod.set("spec", in.path("spec").path("template").path("spec"));
      JsonNode response = Admissions.JSON.readTree(webhook.handle(Admissions.review("u" + i, ns, pod).getBytes(StandardCharsets.UTF_8)))
          .path("response");
      assertThat(response.path("allowed").asBoolean()).isTrue();
      JsonNode byWebhook = Admissions.patched(pod, response);
      JsonNode template = printed.get(i).path("spec").path("template");
      assertThat(template.path("spec")).as(in.path("metadata").path("name").asString()).isEqualTo(byWebhook.path("spec"));
      assertThat(template.path("metadata").path("annotations")).isEqualTo(byWebhook.path("metadata").path("annotations"));
      assertThat(template.path("metadata").path("labels")).isEqualTo(byWebhook.path("metadata").path("labels"));
      // Everything but the template is printed as it was read.
      ObjectNode rest = (ObjectNode) printed.get(i).deepCopy();
      ((ObjectNode) rest.path("spec")).remove("template");
      ObjectNode inRest = (ObjectNode) in.deepCopy();
      ((ObjectNode) inRest.path("spec")).remove("template");
      assertThat(rest).isEqualTo(inRest);
      nodes.add(template.path("metadata").path("annotations").path("appmesh-xds.io/proxy").asString());
    }
    assertThat(nodes).containsExactly("mesh/appmesh/virtualNode/podinfo-canary_demo",
        "mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway");
  }

  /** A pod App Mesh would refuse: printed unchanged, reported on stderr with App Mesh's message, exit 1; stdin works. */
  @Test
  void aRefusedPodIsReportedAndPrintedUnchanged(@TempDir Path dir) throws Exception {
    String job = """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: demo}
        spec:
          template:
            metadata: {labels: {app: migrate}}
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: busybox:1.36}]
        """;
    Path f = dir.resolve("job.yaml");
    Files.writeString(f, job);
    Out o = run("-f", f.toString(), "--manifests", Admissions.EXAMPLE.toString());
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err()).contains("Job demo/migrate: refused: sidecarInject enabled but no matching VirtualNode or VirtualGateway found");
    assertThat(documents(o.out()).get(0)).isEqualTo(documents(job).get(0));
    assertThat(run("-f", dir.resolve("missing.yaml").toString()).code()).isEqualTo(2);
  }
}
