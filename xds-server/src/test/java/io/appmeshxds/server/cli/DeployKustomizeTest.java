package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.Problem;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.appmeshxds.translator.TestPeers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code kubectl kustomize} builds every kustomization under {@code deploy/}, and what it prints
 * parses: App Mesh objects through our loader without errors, every other object as YAML with
 * apiVersion, kind and metadata.name. Fails when kubectl is missing, or is skipped loudly with {@code
 * -Dpeers.optional=true} ({@link TestPeers}); .ci/run installs it.
 */
class DeployKustomizeTest {
  static final Path DEPLOY = Path.of("..", "deploy");
  static final YAMLMapper YAML = new YAMLMapper();

  @BeforeAll
  static void needsKubectl() {
    boolean present = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
    if (!present) {
      TestPeers.missing("kubectl", "kubectl not on PATH (Debian: apt-get install kubernetes-client)");
    }
  }

  @Test
  void everyKustomizationBuildsAndEveryObjectParses() throws Exception {
    List<Path> dirs;
    try (Stream<Path> s = Files.walk(DEPLOY)) {
      dirs = s.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).sorted().toList();
    }
    assertThat(dirs).extracting(d -> DEPLOY.relativize(d).toString().replace(File.separatorChar, '/'))
        .contains("crds", "base", "examples/podinfo", "examples/podinfo-cluster");
    for (Path dir : dirs) {
      String out = kustomize(dir);
      List<JsonNode> docs = documents(out);
      assertThat(docs).as(dir + " builds objects").isNotEmpty();
      for (JsonNode d : docs) {
        assertThat(d.path("apiVersion").isString() && d.path("kind").isString() && d.path("metadata").path("name").isString())
            .as(dir + ": every object has apiVersion, kind and metadata.name: " + d).isTrue();
      }
      LoadResult load = new ManifestLoader().loadText(dir.toString(), out);
      assertThat(load.problems()).as(dir + ": App Mesh objects load without errors").filteredOn(Problem::isError)
          .extracting(Problem::toLine).isEmpty();
    }
  }

  /**
   * Prune safety: the seven CRDs are a kustomization of their own, and each (and the namespace)
   * carries Helm's keep policy and Flux's prune switch, so neither an uninstall nor a pruning
   * GitOps tool deletes them, and with them every App Mesh object in the cluster.
   */
  @Test
  void theCrdsAndTheNamespaceAreProtectedFromDeletionAndPruning() throws Exception {
    List<JsonNode> crds = documents(kustomize(DEPLOY.resolve("crds")));
    assertThat(crds).extracting(d -> d.path("kind").stringValue("")).containsOnly("CustomResourceDefinition").hasSize(7);
    assertThat(crds).extracting(d -> d.path("metadata").path("name").stringValue("")).containsExactlyInAnyOrder(
        "meshes.appmesh.k8s.aws", "virtualnodes.appmesh.k8s.aws", "virtualservices.appmesh.k8s.aws",
        "virtualrouters.appmesh.k8s.aws", "virtualgateways.appmesh.k8s.aws", "gatewayroutes.appmesh.k8s.aws",
        "backendgroups.appmesh.k8s.aws");
    List<JsonNode> base = documents(kustomize(DEPLOY.resolve("base")));
    List<JsonNode> protectedObjects = new ArrayList<>(crds);
    protectedObjects.add(one(base, "Namespace", "appmesh-system"));
    for (JsonNode d : protectedObjects) {
      JsonNode a = d.path("metadata").path("annotations");
      assertThat(a.path("helm.sh/resource-policy").stringValue("")).as(d.path("metadata").path("name") + " keep").isEqualTo("keep");
      assertThat(a.path("kustomize.toolkit.fluxcd.io/prune").stringValue("")).as(d.path("metadata").path("name") + " prune")
          .isEqualTo("disabled");
    }
  }

  @Test
  void baseRunsTheControlPlaneAsTheContractSays() throws Exception {
    List<JsonNode> docs = documents(kustomize(DEPLOY.resolve("base")));
    assertThat(docs.stream().filter(d -> d.path("kind").stringValue("").equals("CustomResourceDefinition")))
        .as("kubectl delete -k deploy/base must not delete the CRDs: they are not in it").isEmpty();
    JsonNode deployment = one(docs, "Deployment", "appmesh-xds");
    assertThat(deployment.path("metadata").path("namespace").stringValue("")).isEqualTo("appmesh-system");
    JsonNode c = deployment.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(c.path("args").toString())
        .isEqualTo("[\"serve\",\"--kubernetes\",\"--bind\",\"0.0.0.0\",\"--config\",\"/etc/appmesh-xds/config.yaml\","
            + "\"--xds-tls-cert\",\"/etc/appmesh-xds-tls/tls.crt\",\"--xds-tls-key\",\"/etc/appmesh-xds-tls/tls.key\","
            + "\"--xds-client-ca\",\"/etc/appmesh-xds-tls/ca.crt\",\"--xds-max-connection-age\",\"1800\"]");
    // The serving certificate comes from a Secret (deploy/cert-manager issues it under this name).
    assertThat(deployment.path("spec").path("template").path("spec").path("volumes").toString())
        .contains("\"secretName\":\"appmesh-xds-xds-tls\"");
    assertThat(c.path("volumeMounts").toString()).contains("\"mountPath\":\"/etc/appmesh-xds-tls\"");
    List<JsonNode> cm = documents(kustomize(DEPLOY.resolve("cert-manager")));
    JsonNode serving = one(cm, "Certificate", "appmesh-xds-xds-tls");
    assertThat(serving.path("spec").path("secretName").stringValue("")).isEqualTo("appmesh-xds-xds-tls");
    assertThat(serving.path("spec").path("dnsNames").toString()).contains("appmesh-xds.appmesh-system.svc");
    assertThat(c.path("livenessProbe").path("httpGet").path("path").stringValue("")).isEqualTo("/healthz");
    assertThat(c.path("readinessProbe").path("httpGet").path("path").stringValue("")).isEqualTo("/ready");
    assertThat(c.path("resources").path("requests").isObject() && c.path("resources").path("limits").isObject()).isTrue();
    assertThat(deployment.path("spec").path("template").path("spec").path("securityContext").path("runAsNonRoot")
        .booleanValue()).isTrue();
    JsonNode service = one(docs, "Service", "appmesh-xds");
    List<Integer> ports = new ArrayList<>();
    service.path("spec").path("ports").forEach(p -> ports.add(p.path("port").intValue()));
    assertThat(ports).containsExactlyInAnyOrder(18000, 18001, 9090);
    JsonNode role = one(docs, "Role", "appmesh-xds-leader-election");
    assertThat(role.path("metadata").path("namespace").stringValue("")).isEqualTo("appmesh-system");
    assertThat(role.path("rules").get(0).path("resources").toString()).isEqualTo("[\"leases\"]");
    JsonNode cr = one(docs, "ClusterRole", "appmesh-xds");
    assertThat(cr.toString()).doesNotContain("\"pods\"", "\"secrets\"", "\"*\"", "\"create\"", "\"delete\"");
    List<String> crRules = new ArrayList<>();
    cr.path("rules").forEach(r -> crRules.add(r.path("apiGroups") + " " + r.path("resources") + " " + r.path("verbs")));
    // Gateway API: read, and only the status written (routes' status.parents[], Gateways' and
    // GatewayClasses' conditions and listeners).
    assertThat(crRules).contains(
        "[\"gateway.networking.k8s.io\"] [\"httproutes\",\"grpcroutes\",\"referencegrants\",\"gateways\",\"gatewayclasses\"] [\"get\",\"list\",\"watch\"]",
        "[\"gateway.networking.k8s.io\"] [\"httproutes/status\",\"grpcroutes/status\",\"gateways/status\","
            + "\"gatewayclasses/status\"] [\"update\",\"patch\"]");
    // Pods are read only by proxy authorization's service-account check, and only read.
    JsonNode pods = one(docs, "ClusterRole", "appmesh-xds-proxy-authorization");
    List<String> rules = new ArrayList<>();
    pods.path("rules").forEach(r -> rules.add(r.path("apiGroups") + " " + r.path("resources") + " " + r.path("verbs")));
    assertThat(rules).containsExactly("[\"\"] [\"pods\"] [\"get\",\"list\",\"watch\"]");
    JsonNode binding = one(docs, "ClusterRoleBinding", "appmesh-xds-proxy-authorization");
    assertThat(binding.path("roleRef").path("name").stringValue("")).isEqualTo("appmesh-xds-proxy-authorization");
    assertThat(binding.path("subjects").get(0).path("name").stringValue("")).isEqualTo("appmesh-xds");
  }

  /**
   * The NetworkPolicy: it selects the control plane's pods, names ports the Deployment declares,
   * and admits xDS/ALS from meshed namespaces, the admin port from the monitoring namespace only,
   * and the webhook port from any source (the API server is not a pod); the example's namespaces
   * carry the label that admits them.
   */
  @Test
  void baseLimitsWhoReachesWhichPort() throws Exception {
    List<JsonNode> docs = documents(kustomize(DEPLOY.resolve("base")));
    JsonNode np = one(docs, "NetworkPolicy", "appmesh-xds");
    assertThat(np.path("metadata").path("namespace").stringValue("")).isEqualTo("appmesh-system");
    JsonNode pod = one(docs, "Deployment", "appmesh-xds").path("spec").path("template");
    np.path("spec").path("podSelector").path("matchLabels").properties().forEach(e ->
        assertThat(pod.path("metadata").path("labels").path(e.getKey()).stringValue("")).isEqualTo(e.getValue().stringValue("")));
    assertThat(np.path("spec").path("policyTypes").toString()).isEqualTo("[\"Ingress\"]");
    java.util.Map<String, Integer> named = new java.util.HashMap<>();
    pod.path("spec").path("containers").get(0).path("ports")
        .forEach(p -> named.put(p.path("name").stringValue(""), p.path("containerPort").intValue()));
    java.util.Map<Integer, String> sources = new java.util.TreeMap<>();
    for (JsonNode rule : np.path("spec").path("ingress")) {
      List<String> from = new ArrayList<>();
      rule.path("from").forEach(f -> from.add(f.path("namespaceSelector").path("matchLabels").toString()));
      for (JsonNode p : rule.path("ports")) {
        Integer port = named.get(p.path("port").stringValue(""));
        assertThat(port).as("a port the Deployment names: " + p).isNotNull();
        assertThat(sources.put(port, rule.has("from") ? String.join(" | ", from) : "anyone")).as("one rule per port").isNull();
      }
    }
    String meshed = "{\"appmesh.k8s.aws/sidecarInjectorWebhook\":\"enabled\"} | {\"appmesh-xds.io/xds-access\":\"allowed\"}";
    assertThat(sources).containsExactly(java.util.Map.entry(9090, "{\"kubernetes.io/metadata.name\":\"monitoring\"}"),
        java.util.Map.entry(9443, "anyone"), java.util.Map.entry(18000, meshed), java.util.Map.entry(18001, meshed));
    for (JsonNode ns : documents(kustomize(DEPLOY.resolve("examples/podinfo-cluster")))) {
      if (ns.path("kind").stringValue("").equals("Namespace") && !ns.path("metadata").path("name").stringValue("")
          .equals("appmesh-system")) {
        assertThat(ns.path("metadata").path("labels").path("appmesh.k8s.aws/sidecarInjectorWebhook").stringValue(""))
            .as("example namespace " + ns.path("metadata").path("name") + " may reach xDS").isEqualTo("enabled");
      }
    }
  }

  @Test
  void cloudMapOverlayAddsExactlyWhatPodRegistrationUses() throws Exception {
    List<JsonNode> docs = documents(kustomize(DEPLOY.resolve("cloudmap")));
    one(docs, "Deployment", "appmesh-xds");
    JsonNode cr = one(docs, "ClusterRole", "appmesh-xds-cloudmap");
    List<String> rules = new ArrayList<>();
    cr.path("rules").forEach(r -> rules.add(r.path("apiGroups") + " " + r.path("resources") + " " + r.path("verbs")));
    assertThat(rules).containsExactly("[\"\"] [\"pods\"] [\"get\",\"list\",\"watch\"]",
        "[\"\"] [\"pods/status\"] [\"patch\"]", "[\"\"] [\"nodes\"] [\"get\"]");
    JsonNode binding = one(docs, "ClusterRoleBinding", "appmesh-xds-cloudmap");
    assertThat(binding.path("subjects").get(0).path("name").stringValue("")).isEqualTo("appmesh-xds");
    assertThat(binding.path("subjects").get(0).path("namespace").stringValue("")).isEqualTo("appmesh-system");
    JsonNode sa = one(docs, "ServiceAccount", "appmesh-xds");
    assertThat(sa.path("metadata").path("annotations").path("eks.amazonaws.com/role-arn").stringValue(""))
        .startsWith("arn:aws:iam::");
    assertThat(one(docs, "ClusterRole", "appmesh-xds").toString()).as("the base role is unchanged")
        .doesNotContain("\"pods\"", "\"nodes\"");
  }

  /**
   * The injection webhook as App Mesh's was wired ({@code config/webhook/pod_mutator_patch.yaml}:
   * namespaces labelled {@code appmesh.k8s.aws/sidecarInjectorWebhook} enabled or disabled, pods on
   * CREATE, {@code sideEffects: None}), plus ours: the migration switch, an object selector,
   * reinvocation, a short timeout, v1 reviews only; a Service on 443 to the replicas' 9443; the
   * config file with the injection section loaded by serve; RBAC for exactly the Secret and the
   * configuration it writes.
   */
  @Test
  void baseInstallsTheInjectionWebhook() throws Exception {
    List<JsonNode> docs = documents(kustomize(DEPLOY.resolve("base")));
    JsonNode mwc = one(docs, "MutatingWebhookConfiguration", "appmesh-xds");
    JsonNode w = mwc.path("webhooks").get(0);
    assertThat(w.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
    assertThat(w.path("sideEffects").stringValue("")).isEqualTo("None");
    assertThat(w.path("failurePolicy").stringValue("")).isEqualTo("Fail");
    assertThat(w.path("reinvocationPolicy").stringValue("")).isEqualTo("IfNeeded");
    assertThat(w.path("timeoutSeconds").intValue()).isBetween(1, 10);
    assertThat(w.path("rules").get(0).path("operations").toString()).isEqualTo("[\"CREATE\"]");
    assertThat(w.path("rules").get(0).path("resources").toString()).isEqualTo("[\"pods\"]");
    JsonNode ns = w.path("namespaceSelector").path("matchExpressions");
    assertThat(ns.get(0).path("key").stringValue("")).isEqualTo("appmesh.k8s.aws/sidecarInjectorWebhook");
    assertThat(ns.get(0).path("values").toString()).isEqualTo("[\"enabled\",\"disabled\"]");
    assertThat(w.path("objectSelector").path("matchExpressions").isArray()).isTrue();
    JsonNode svc = w.path("clientConfig").path("service");
    assertThat(svc.path("namespace").stringValue("") + "/" + svc.path("name").stringValue("") + svc.path("path").stringValue(""))
        .isEqualTo("appmesh-system/appmesh-xds-webhook/mutate-v1-pod");
    JsonNode service = one(docs, "Service", "appmesh-xds-webhook");
    assertThat(service.path("spec").path("ports").get(0).path("port").intValue()).isEqualTo(443);
    JsonNode c = one(docs, "Deployment", "appmesh-xds").path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(c.path("ports").toString()).contains("\"name\":\"https-webhook\"", "\"containerPort\":9443");
    String config = one(docs, "ConfigMap", "appmesh-xds-config").path("data").path("config.yaml").stringValue("");
    assertThat(io.appmeshxds.tracing.config.ConfigLoader.parse("config.yaml", config).injection().failurePolicy().name())
        .as("injection.failurePolicy matches the webhook's failurePolicy").isEqualTo(w.path("failurePolicy").stringValue(""));
    JsonNode role = one(docs, "Role", "appmesh-xds-webhook-certificate");
    assertThat(role.path("metadata").path("namespace").stringValue("")).isEqualTo("appmesh-system");
    assertThat(role.toString()).contains("\"secrets\"").doesNotContain("\"delete\"", "\"list\"", "\"watch\"");
    JsonNode cr = one(docs, "ClusterRole", "appmesh-xds-webhook");
    assertThat(cr.path("rules").get(0).path("resourceNames").toString()).isEqualTo("[\"appmesh-xds\"]");
  }

  /** The example cluster writes no sidecar by hand: the webhook injects (InjectCommandTest shows what). */
  @Test
  void podinfoClusterHasNoHandWrittenSidecars() throws Exception {
    List<JsonNode> docs = documents(kustomize(DEPLOY.resolve("examples/podinfo-cluster")));
    JsonNode podinfo = one(docs, "Deployment", "podinfo").path("spec").path("template");
    assertThat(podinfo.path("spec").path("initContainers").isMissingNode()).isTrue();
    assertThat(podinfo.path("spec").path("containers").size()).isEqualTo(1);
    assertThat(podinfo.path("spec").path("containers").get(0).path("name").stringValue("")).isEqualTo("podinfod");
    JsonNode gw = one(docs, "Deployment", "appmesh-gateway").path("spec").path("template");
    JsonNode envoy = gw.path("spec").path("containers").get(0);
    assertThat(envoy.path("name").stringValue("")).isEqualTo("envoy");
    assertThat(envoy.has("args") || envoy.has("command") || gw.path("spec").has("volumes")).as("no bootstrap written by hand").isFalse();
    assertThat(gw.path("metadata").path("annotations").path("prometheus.io/port").stringValue("")).isEqualTo("9901");
    assertThat(docs).noneSatisfy(d -> assertThat(d.path("metadata").path("name").stringValue("")).contains("bootstrap"))
        .anySatisfy(d -> assertThat(d.path("kind").stringValue("")).isEqualTo("MutatingWebhookConfiguration"));
    JsonNode canary = one(docs, "Canary", "podinfo");
    assertThat(canary.path("apiVersion").stringValue("")).isEqualTo("flagger.app/v1beta1");
    assertThat(canary.path("spec").path("provider").stringValue("")).isEqualTo("appmesh:v1beta2");
  }

  static JsonNode one(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> d.path("kind").stringValue("").equals(kind) && d.path("metadata").path("name").stringValue("").equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  static String kustomize(Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
      }
      assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + Files.readString(err, StandardCharsets.UTF_8)).isZero();
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static List<JsonNode> documents(String yaml) {
    List<JsonNode> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        out.add(YAML.readTree(doc));
      }
    }
    return out;
  }
}
