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

  /** The webhook of {@code serve --kubernetes}, on the example mesh with the default config. */
  static AdmissionHandler webhook() {
    ControlPlaneConfig cfg = ControlPlaneConfig.defaults();
    MeshView view = Admissions.view(cfg, List.of(Admissions.EXAMPLE));
    return new AdmissionHandler(new Injector(InjectionSettings.of(cfg)), cfg.injection().failurePolicy(), () -> view,
        AdmissionHandler.Counters.NONE);
  }

  /** A pod as the API server hands it to the webhook, answered, its patch applied. */
  static JsonNode admitted(AdmissionHandler webhook, JsonNode pod, String ns) {
    JsonNode response = Admissions.JSON.readTree(webhook.handle(Admissions.review("u", ns, pod).getBytes(StandardCharsets.UTF_8)))
        .path("response");
    assertThat(response.path("allowed").asBoolean()).as(response.toString()).isTrue();
    return Admissions.patched(pod, response);
  }

  /** Where a kind keeps its pod template (a bare Pod is its own). */
  static JsonNode template(JsonNode doc) {
    return switch (doc.path("kind").asString()) {
      case "Pod" -> doc;
      case "CronJob" -> doc.path("spec").path("jobTemplate").path("spec").path("template");
      default -> doc.path("spec").path("template");
    };
  }

  /**
   * Asserts that a printed workload holds, as its pod template, what the webhook makes of a pod its
   * controller would create from the input's template (a bare Pod: the webhook's pod itself), and
   * that everything else is printed as read. Returns the node the pod was injected as.
   */
  static String assertInjectedAsTheWebhookWould(AdmissionHandler webhook, JsonNode in, JsonNode printed) {
    String kind = in.path("kind").asString();
    String ns = in.path("metadata").path("namespace").asString();
    String name = kind + " " + in.path("metadata").path("name").asString();
    JsonNode byWebhook;
    if (kind.equals("Pod")) {
      byWebhook = admitted(webhook, in, ns);
      assertThat(printed).as(name).isEqualTo(byWebhook);
    } else {
      ObjectNode pod = Admissions.JSON.createObjectNode();
      pod.put("apiVersion", "v1");
      pod.put("kind", "Pod");
      ObjectNode meta = ((ObjectNode) template(in).path("metadata")).deepCopy();
      meta.put("generateName", in.path("metadata").path("name").asString() + "-");
      meta.put("namespace", ns);
      pod.set("metadata", meta);
      pod.set("spec", template(in).path("spec"));
      byWebhook = admitted(webhook, pod, ns);
      JsonNode t = template(printed);
      assertThat(t.path("spec")).as(name).isEqualTo(byWebhook.path("spec"));
      assertThat(t.path("metadata").path("annotations")).as(name).isEqualTo(byWebhook.path("metadata").path("annotations"));
      assertThat(t.path("metadata").path("labels")).as(name).isEqualTo(byWebhook.path("metadata").path("labels"));
      assertThat(t.path("metadata").has("name")).as(name + ": no name put into the template").isFalse();
      ObjectNode rest = (ObjectNode) printed.deepCopy();
      ObjectNode inRest = (ObjectNode) in.deepCopy();
      ((ObjectNode) template(rest)).removeAll();
      ((ObjectNode) template(inRest)).removeAll();
      assertThat(rest).as(name + ": all but the template as read").isEqualTo(inRest);
    }
    assertThat(byWebhook.path("spec").path("containers").toString()).as(name + " is injected").contains("\"name\":\"envoy\"");
    return byWebhook.path("metadata").path("annotations").path("appmesh-xds.io/proxy").asString();
  }

  /** A StatefulSet, a DaemonSet, a CronJob (jobTemplate.spec.template) and a bare Pod, in two files. */
  static final String STATEFUL_AND_DAEMON = """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: podinfo-primary, namespace: demo}
      spec:
        serviceName: podinfo-primary
        selector: {matchLabels: {app: podinfo-primary}}
        template:
          metadata: {labels: {app: podinfo-primary}}
          spec:
            containers: [{name: podinfod, image: ghcr.io/stefanprodan/podinfo:6.7.1, ports: [{containerPort: 9898}]}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: demo}
      data: {level: info}
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: flagger-loadtester, namespace: demo}
      spec:
        selector: {matchLabels: {app: flagger-loadtester}}
        template:
          metadata:
            labels: {app: flagger-loadtester}
            annotations: {appmesh.k8s.aws/cpuRequest: 20m}
          spec:
            containers: [{name: loadtester, image: ghcr.io/fluxcd/flagger-loadtester:0.34.0}]
      """;
  static final String CRON_AND_POD = """
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: load, namespace: demo}
      spec:
        schedule: "*/5 * * * *"
        jobTemplate:
          spec:
            template:
              metadata: {labels: {app: flagger-loadtester}}
              spec:
                restartPolicy: OnFailure
                containers: [{name: hey, image: ghcr.io/fluxcd/flagger-loadtester:0.34.0}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: podinfo-debug, namespace: demo, labels: {app: podinfo}}
      spec:
        containers: [{name: podinfod, image: ghcr.io/stefanprodan/podinfo:6.7.1, ports: [{containerPort: 9898}]}]
      """;

  /** {@code -f DIR}: every manifest file below it, in path order; each workload kind injected as the webhook would. */
  @Test
  void everyWorkloadKindInADirectoryIsInjectedAsTheWebhookWould(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a-workloads.yaml"), STATEFUL_AND_DAEMON);
    Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(dir.resolve("jobs").resolve("b-cron-and-pod.yml"), CRON_AND_POD);
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    Out o = run("-f", dir.toString(), "--manifests", Admissions.EXAMPLE.toString());
    assertThat(o.code()).as(o.err()).isZero();
    List<JsonNode> inputs = new ArrayList<>(documents(STATEFUL_AND_DAEMON));
    inputs.addAll(documents(CRON_AND_POD));
    List<JsonNode> printed = documents(o.out());
    assertThat(printed).extracting(d -> d.path("kind").asString())
        .containsExactly("StatefulSet", "ConfigMap", "DaemonSet", "CronJob", "Pod");
    AdmissionHandler webhook = webhook();
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).path("kind").asString().equals("ConfigMap")) {
        assertThat(printed.get(i)).isEqualTo(inputs.get(i));
        continue;
      }
      nodes.add(assertInjectedAsTheWebhookWould(webhook, inputs.get(i), printed.get(i)));
    }
    assertThat(nodes).containsExactly("mesh/appmesh/virtualNode/podinfo-primary_demo", "mesh/appmesh/virtualNode/flagger-loadtester_demo",
        "mesh/appmesh/virtualNode/flagger-loadtester_demo", "mesh/appmesh/virtualNode/podinfo-canary_demo");
    // The DaemonSet's annotation reached its Envoy, as the webhook reads it from the pod.
    assertThat(template(printed.get(2)).path("spec").path("containers").toString()).contains("\"cpu\":\"20m\"");
  }

  /** {@code -f -}: the same documents from stdin print the same as from a file. */
  @Test
  void stdinIsInjectedAsAFileIs(@TempDir Path dir) throws Exception {
    String both = STATEFUL_AND_DAEMON + "---\n" + CRON_AND_POD;
    Path f = Files.writeString(dir.resolve("all.yaml"), both);
    Out fromFile = run("-f", f.toString(), "--manifests", Admissions.EXAMPLE.toString());
    java.io.InputStream stdin = System.in;
    Out fromStdin;
    try {
      System.setIn(new java.io.ByteArrayInputStream(both.getBytes(StandardCharsets.UTF_8)));
      fromStdin = run("-f", "-", "--manifests", Admissions.EXAMPLE.toString());
    } finally {
      System.setIn(stdin);
    }
    assertThat(fromStdin.code()).as(fromStdin.err()).isZero();
    assertThat(fromStdin.out()).isEqualTo(fromFile.out());
    List<JsonNode> inputs = documents(both);
    List<JsonNode> printed = documents(fromStdin.out());
    assertThat(printed).hasSameSizeAs(inputs);
    AdmissionHandler webhook = webhook();
    for (int i = 0; i < inputs.size(); i++) {
      if (!inputs.get(i).path("kind").asString().equals("ConfigMap")) {
        assertInjectedAsTheWebhookWould(webhook, inputs.get(i), printed.get(i));
      }
    }
    // A refusal read from stdin names "-" as its source.
    System.setIn(new java.io.ByteArrayInputStream("""
        apiVersion: v1
        kind: Pod
        metadata: {name: stray, namespace: demo, labels: {app: nobody}}
        spec: {containers: [{name: a, image: busybox:1.36}]}
        """.getBytes(StandardCharsets.UTF_8)));
    try {
      Out refused = run("-f", "-", "--manifests", Admissions.EXAMPLE.toString());
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).startsWith("-:0: Pod demo/stray: refused: ");
    } finally {
      System.setIn(stdin);
    }
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
