package io.appmeshxds.server.cli;

import static io.appmeshxds.server.cli.DeployKustomizeTest.documents;
import static io.appmeshxds.server.cli.DeployKustomizeTest.kustomize;
import static io.appmeshxds.server.cli.DeployKustomizeTest.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Helm chart ({@code deploy/helm/appmesh-xds}) with a real Helm engine (helm-java embeds
 * Helm's Go library): it lints clean (strict), renders with its defaults the same objects as the
 * kustomize base (apart from Helm's own labels and the Namespace, which Helm leaves to
 * --create-namespace), carries the CRDs unchanged, and maps the values appmesh-controller chart
 * users set (replicas, IRSA annotation, scheduling, PDB, log level, tracing, sidecar image) to the
 * objects and to the control plane's config file.
 */
class HelmChartTest {
  static final Path CHART = Path.of("..", "deploy", "helm", "appmesh-xds");
  /** Labels and annotations only the chart sets. */
  static final List<String> HELM_ONLY = List.of("helm.sh/chart", "app.kubernetes.io/instance", "app.kubernetes.io/version",
      "app.kubernetes.io/managed-by", "checksum/config");

  static List<JsonNode> render(Map<String, Object> values) {
    TemplateCommand t = new Helm(CHART).template().withName("appmesh-xds").withNamespace("appmesh-system").withKubeVersion("1.30.0").skipCrds();
    values.forEach(t::set);
    return documents(t.call());
  }

  static String key(JsonNode d) {
    return d.path("kind").stringValue("") + " " + d.path("metadata").path("name").stringValue("");
  }

  /** Drops what only Helm sets; the config file is compared as the config it loads as. */
  static JsonNode normalized(JsonNode d) {
    ObjectNode n = (ObjectNode) d.deepCopy();
    for (JsonNode meta : List.of(n.path("metadata"), n.path("spec").path("template").path("metadata"))) {
      for (String section : List.of("labels", "annotations")) {
        if (meta.path(section) instanceof ObjectNode o) {
          HELM_ONLY.forEach(o::remove);
          if (o.isEmpty()) {
            ((ObjectNode) meta).remove(section);
          }
        }
      }
    }
    if (n.path("kind").stringValue("").equals("ConfigMap")) {
      ((ObjectNode) n.path("data")).remove("config.yaml");
    }
    return n;
  }

  static ControlPlaneConfig config(List<JsonNode> docs) {
    try {
      return ConfigLoader.parse("config.yaml", one(docs, "ConfigMap", "appmesh-xds-config").path("data").path("config.yaml")
          .stringValue(""));
    } catch (ConfigLoader.ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void theChartLintsCleanEvenStrictly() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
  }

  @Test
  void withItsDefaultsTheChartRendersWhatTheKustomizeBaseDoes() throws Exception {
    List<JsonNode> chart = render(Map.of());
    List<JsonNode> base = documents(kustomize(DeployKustomizeTest.DEPLOY.resolve("base"))).stream()
        .filter(d -> !d.path("kind").stringValue("").equals("Namespace")).toList();
    Map<String, JsonNode> byKey = new TreeMap<>();
    chart.forEach(d -> byKey.put(key(d), d));
    assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(base.stream().map(HelmChartTest::key).toList());
    for (JsonNode b : base) {
      assertThat(normalized(byKey.get(key(b)))).as(key(b)).isEqualTo(normalized(b));
    }
    assertThat(config(chart)).as("the config file loads as the same config").isEqualTo(config(base));
  }

  @Test
  void theChartsCrdsAreTheGeneratedOnes() throws Exception {
    Path committed = DeployKustomizeTest.DEPLOY.resolve("crds");
    List<Path> files;
    try (Stream<Path> s = Files.list(committed)) {
      files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).hasSize(7);
    for (Path f : files) {
      assertThat(CHART.resolve("crds").resolve(f.getFileName())).as(f.getFileName().toString()).hasSameTextualContentAs(f);
    }
    try (Stream<Path> s = Files.list(CHART.resolve("crds"))) {
      assertThat(s.count()).isEqualTo(7);
    }
  }

  @Test
  void appMeshControllerChartValuesCarryOver() {
    Map<String, Object> v = new TreeMap<>();
    v.put("replicaCount", 3);
    v.put("serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn", "arn:aws:iam::111122223333:role/appmesh-xds");
    v.put("nodeSelector.kubernetes\\.io/os", "linux");
    v.put("tolerations[0].key", "dedicated");
    v.put("tolerations[0].operator", "Exists");
    v.put("priorityClassName", "system-cluster-critical");
    v.put("log.level", "debug");
    v.put("region", "eu-west-1");
    v.put("tracing.enabled", true);
    v.put("tracing.provider", "x-ray");
    v.put("sidecar.image.tag", "v1.34.14");
    v.put("podDisruptionBudget.minAvailable", 2);
    List<JsonNode> docs = render(v);
    JsonNode d = one(docs, "Deployment", "appmesh-xds");
    assertThat(d.path("spec").path("replicas").intValue()).isEqualTo(3);
    JsonNode pod = d.path("spec").path("template").path("spec");
    assertThat(pod.path("nodeSelector").path("kubernetes.io/os").stringValue("")).isEqualTo("linux");
    assertThat(pod.path("tolerations").get(0).path("key").stringValue("")).isEqualTo("dedicated");
    assertThat(pod.path("priorityClassName").stringValue("")).isEqualTo("system-cluster-critical");
    List<String> env = new ArrayList<>();
    pod.path("containers").get(0).path("env").forEach(e -> env.add(e.path("name").stringValue("") + "=" + e.path("value").stringValue("")));
    assertThat(env).contains("APPMESH_XDS_LOG_LEVEL=DEBUG");
    assertThat(one(docs, "ServiceAccount", "appmesh-xds").path("metadata").path("annotations").path("eks.amazonaws.com/role-arn")
        .stringValue("")).isEqualTo("arn:aws:iam::111122223333:role/appmesh-xds");
    assertThat(one(docs, "PodDisruptionBudget", "appmesh-xds").path("spec").path("minAvailable").intValue()).isEqualTo(2);
    ControlPlaneConfig c = config(docs);
    assertThat(c.tracing().provider()).isEqualTo(ControlPlaneConfig.Provider.xray);
    assertThat(c.injection().xrayDaemon().enabled()).isTrue();
    assertThat(c.injection().envoy().image()).isEqualTo("envoyproxy/envoy:v1.34.14");
    assertThat(c.aws().region()).isEqualTo("eu-west-1");
    // A changed config file rolls the pods.
    assertThat(d.path("spec").path("template").path("metadata").path("annotations").path("checksum/config").stringValue(""))
        .isNotEqualTo(one(render(Map.of()), "Deployment", "appmesh-xds").path("spec").path("template").path("metadata")
            .path("annotations").path("checksum/config").stringValue(""));
  }

  /** gatewayApi.controllerName: passed to serve; unset, the flag is left out (serve's default). */
  @Test
  void theGatewayApiControllerNameIsASetting() {
    String defaults = one(render(Map.of()), "Deployment", "appmesh-xds").path("spec").path("template").path("spec")
        .path("containers").get(0).path("args").toString();
    assertThat(defaults).doesNotContain("--gateway-controller-name");
    String set = one(render(Map.of("gatewayApi.controllerName", "example.net/mesh")), "Deployment", "appmesh-xds")
        .path("spec").path("template").path("spec").path("containers").get(0).path("args").toString();
    assertThat(set).contains("\"--gateway-controller-name\",\"example.net/mesh\"");
  }

  /** proxyAuthorization.pods false: serve checks namespaces only and the chart grants no pod access. */
  @Test
  void theServiceAccountPodCheckCanBeTurnedOffAndThenNoPodIsRead() {
    List<JsonNode> on = render(Map.of());
    assertThat(one(on, "ClusterRole", "appmesh-xds-proxy-authorization").path("rules").toString()).contains("\"pods\"");
    List<JsonNode> off = render(Map.of("proxyAuthorization.pods", false));
    assertThat(off).noneSatisfy(d -> assertThat(key(d)).startsWith("ClusterRole appmesh-xds-proxy-authorization"));
    assertThat(off).noneSatisfy(d -> assertThat(key(d)).startsWith("ClusterRoleBinding appmesh-xds-proxy-authorization"));
    assertThat(one(off, "Deployment", "appmesh-xds").path("spec").path("template").path("spec").path("containers").get(0)
        .path("args").toString()).contains("\"--proxy-authorization-pods\",\"off\"");
    assertThat(off.stream().filter(d -> d.path("kind").stringValue("").endsWith("Role")).map(JsonNode::toString))
        .isNotEmpty().noneMatch(r -> r.contains("\"pods\""));
  }

  /** The Deployment's args, parsed by serve's own options (so a misspelt flag fails here, not in a crash loop). */
  static ServeCommand serveArgs(List<JsonNode> docs, String kind) {
    List<String> args = new ArrayList<>();
    one(docs, kind, "appmesh-xds").path("spec").path("template").path("spec").path("containers").get(0).path("args")
        .forEach(a -> args.add(a.stringValue("")));
    assertThat(args.get(0)).isEqualTo("serve");
    ServeCommand serve = new ServeCommand();
    new picocli.CommandLine(serve).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    return serve;
  }

  /**
   * xds.maxConnectionAgeSeconds reaches serve's --xds-max-connection-age (the default, 1800 s,
   * spelled out in the base too, which the defaults test compares); 0 turns it off; a negative
   * age is refused with a message instead of a pod that exits with a usage error.
   */
  @Test
  void theMaxConnectionAgeIsAValueThatReachesServe() {
    assertThat(serveArgs(render(Map.of()), "Deployment").maxConnectionAgeSeconds).isEqualTo(1800);
    assertThat(serveArgs(render(Map.of("xds.maxConnectionAgeSeconds", 300)), "Deployment").maxConnectionAgeSeconds)
        .isEqualTo(300);
    assertThat(serveArgs(render(Map.of("xds.maxConnectionAgeSeconds", 0)), "Deployment").maxConnectionAgeSeconds).isZero();
    assertThatThrownBy(() -> render(Map.of("xds.maxConnectionAgeSeconds", -1)))
        .hasMessageContaining("xds.maxConnectionAgeSeconds must be 0 (never) or a number of seconds");
  }

  /**
   * autoscaling.enabled: an HPA on CPU for the workload the chart renders, and the workload no
   * longer pins replicas (else every upgrade would reset what the HPA chose). Scale-up adds one
   * pod per max connection age (+10 % jitter, capped at the HPA's 1800 s): a new replica gets
   * proxies only as their connections end. Refused without a max age, or without a CPU request.
   */
  @Test
  void anOptionalAutoscalerScalesOnCpuPacedByTheMaxConnectionAge() {
    assertThat(render(Map.of())).as("off by default").noneSatisfy(d -> assertThat(d.path("kind").stringValue(""))
        .isEqualTo("HorizontalPodAutoscaler"));
    List<JsonNode> docs = render(Map.of("autoscaling.enabled", true, "autoscaling.maxReplicas", 6,
        "xds.maxConnectionAgeSeconds", 300));
    assertThat(one(docs, "Deployment", "appmesh-xds").path("spec").has("replicas")).as("the HPA owns replicas").isFalse();
    JsonNode hpa = one(docs, "HorizontalPodAutoscaler", "appmesh-xds");
    assertThat(hpa.path("apiVersion").stringValue("")).isEqualTo("autoscaling/v2");
    assertThat(hpa.path("metadata").path("namespace").stringValue("")).isEqualTo("appmesh-system");
    JsonNode spec = hpa.path("spec");
    assertThat(spec.path("scaleTargetRef").toString()).isEqualTo("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"appmesh-xds\"}");
    assertThat(spec.path("minReplicas").intValue()).isEqualTo(2);
    assertThat(spec.path("maxReplicas").intValue()).isEqualTo(6);
    JsonNode metric = spec.path("metrics").get(0);
    assertThat(metric.path("resource").path("name").stringValue("")).isEqualTo("cpu");
    assertThat(metric.path("resource").path("target").path("averageUtilization").intValue()).isEqualTo(70);
    JsonNode up = spec.path("behavior").path("scaleUp").path("policies").get(0);
    assertThat(up.path("type").stringValue("") + " " + up.path("value").intValue() + " per " + up.path("periodSeconds").intValue())
        .isEqualTo("Pods 1 per 331");
    assertThat(serveArgs(docs, "Deployment").maxConnectionAgeSeconds).isEqualTo(300);
    assertThat(one(render(Map.of("autoscaling.enabled", true)), "HorizontalPodAutoscaler", "appmesh-xds").path("spec")
        .path("behavior").path("scaleUp").path("policies").get(0).path("periodSeconds").intValue())
        .as("the default age, 1800 s, +10 %, capped at the HPA's limit").isEqualTo(1800);
    // Your own behavior replaces the paced one; a persistent log buffer makes the target a StatefulSet.
    JsonNode own = one(render(Map.of("autoscaling.enabled", true, "autoscaling.behavior.scaleUp.stabilizationWindowSeconds", 0,
        "cloudWatch.enabled", true, "cloudWatch.persistence.enabled", true)), "HorizontalPodAutoscaler", "appmesh-xds");
    assertThat(own.path("spec").path("behavior").toString()).isEqualTo("{\"scaleUp\":{\"stabilizationWindowSeconds\":0}}");
    assertThat(own.path("spec").path("scaleTargetRef").path("kind").stringValue("")).isEqualTo("StatefulSet");
    assertThatThrownBy(() -> render(Map.of("autoscaling.enabled", true, "xds.maxConnectionAgeSeconds", 0)))
        .hasMessageContaining("autoscaling.enabled needs xds.maxConnectionAgeSeconds > 0");
    assertThatThrownBy(() -> render(Map.of("autoscaling.enabled", true, "resources.requests.cpu", "")))
        .hasMessageContaining("autoscaling.enabled needs resources.requests.cpu");
    assertThatThrownBy(() -> render(Map.of("autoscaling.enabled", true, "autoscaling.minReplicas", 3, "autoscaling.maxReplicas", 2)))
        .hasMessageContaining("autoscaling.maxReplicas (2) is below autoscaling.minReplicas (3)");
  }

  @Test
  void jaegerBecomesZipkinAsAppMeshConfiguredItAndDatadogIsRefusedWithAMessage() {
    ControlPlaneConfig c = config(render(Map.of("tracing.enabled", true, "tracing.provider", "jaeger")));
    assertThat(c.tracing().provider()).isEqualTo(ControlPlaneConfig.Provider.zipkin);
    assertThat(c.tracing().zipkin().collector()).isEqualTo("appmesh-jaeger.appmesh-system:9411");
    assertThatThrownBy(() -> render(Map.of("tracing.enabled", true, "tracing.provider", "datadog")))
        .hasMessageContaining("tracing.provider \"datadog\" is not served by appmesh-xds");
  }

  @Test
  void theConfigValueMergesOverWhatTheValuesGenerate() {
    ControlPlaneConfig c = config(render(Map.of("config.endpoints.perPod.meshes[0]", "*", "config.injection.failurePolicy", "Ignore")));
    assertThat(c.endpoints().perPod().meshes()).containsExactly("*");
    assertThat(c.injection().failurePolicy().name()).isEqualTo("Ignore");
    assertThat(c.injection().xdsAddress()).as("the rest stays").isEqualTo("appmesh-xds.appmesh-system:18000");
  }

  /**
   * webhook.certificates certManager: the webhook's certificate wired as deploy/cert-manager wires
   * it (CertManagerWebhookExampleTest#assertWired: DNS names of the webhook Service in the release
   * namespace, Secret mounted at the config's certDir, CA injection annotation, no RBAC for the
   * generated certificate), with the chart's own CA chain or the user's issuer; the default renders
   * none of it; an unknown mode fails with a message.
   */
  @Test
  void theWebhooksCertificateCanComeFromCertManager() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    TemplateCommand t = new Helm(CHART).template().withName("appmesh-xds").withNamespace("mesh-control").withKubeVersion("1.30.0")
        .skipCrds().set("webhook.certificates", "certManager");
    docs.addAll(documents(t.call()));
    JsonNode cert = CertManagerWebhookExampleTest.assertWired(docs, true);
    assertThat(cert.path("spec").path("dnsNames").get(0).stringValue("")).isEqualTo("appmesh-xds-webhook.mesh-control.svc");
    assertThat(one(docs, "MutatingWebhookConfiguration", "appmesh-xds").path("metadata").path("annotations")
        .path("cert-manager.io/inject-ca-from").stringValue("")).isEqualTo("mesh-control/appmesh-xds-webhook");
    one(docs, "Issuer", "appmesh-xds-webhook-selfsigned");
    // The Secret, the mount and the config agree with the kustomize example's, so the docs hold for both.
    List<JsonNode> example = documents(kustomize(DeployKustomizeTest.DEPLOY.resolve("cert-manager")));
    JsonNode exampleCert = one(example, "Certificate", "appmesh-xds-webhook");
    assertThat(cert.path("spec").path("secretName")).isEqualTo(exampleCert.path("spec").path("secretName"));
    assertThat(config(docs).injection().webhook()).isEqualTo(CertManagerWebhookExampleTest.config(example).injection().webhook());

    // The user's ClusterIssuer instead of the chart's CA chain.
    List<JsonNode> own = render(Map.of("webhook.certificates", "certManager", "webhook.certManager.issuerRef.name", "corp-ca",
        "webhook.certManager.issuerRef.kind", "ClusterIssuer"));
    JsonNode ownCert = CertManagerWebhookExampleTest.assertWired(own, false);
    assertThat(ownCert.path("spec").path("issuerRef").toString()).isEqualTo("{\"kind\":\"ClusterIssuer\",\"name\":\"corp-ca\"}");
    assertThat(own).noneSatisfy(d -> assertThat(d.path("kind").stringValue("")).isEqualTo("Issuer"));

    // The default: generated by the control plane, with the RBAC it needs, and nothing of cert-manager.
    List<JsonNode> generate = render(Map.of());
    assertThat(config(generate).injection().webhook().certificates()).isEqualTo("generate");
    assertThat(generate).noneSatisfy(d -> assertThat(d.path("apiVersion").stringValue("")).startsWith("cert-manager.io/"));
    one(generate, "Role", "appmesh-xds-webhook-certificate");
    one(generate, "ClusterRole", "appmesh-xds-webhook");
    assertThat(one(generate, "MutatingWebhookConfiguration", "appmesh-xds").path("metadata").has("annotations")).isFalse();
    assertThatThrownBy(() -> render(Map.of("webhook.certificates", "files")))
        .hasMessageContaining("webhook.certificates \"files\": use generate").hasMessageContaining("certManager");
  }

  /**
   * The access-log buffer survives a replaced pod when asked: a StatefulSet with a claim per
   * replica mounted where the config file puts the buffer; and a ServiceMonitor when asked.
   */
  @Test
  void persistentLogBufferAndServiceMonitorAreOptions() {
    List<JsonNode> docs = render(Map.of("cloudWatch.enabled", true, "cloudWatch.persistence.enabled", true,
        "cloudWatch.persistence.size", "5Gi", "serviceMonitor.enabled", true));
    assertThat(docs).noneSatisfy(d -> assertThat(d.path("kind").stringValue("")).isEqualTo("Deployment"));
    JsonNode sts = one(docs, "StatefulSet", "appmesh-xds");
    assertThat(sts.path("spec").path("serviceName").stringValue("")).isEqualTo("appmesh-xds");
    JsonNode claim = sts.path("spec").path("volumeClaimTemplates").get(0);
    assertThat(claim.path("metadata").path("name").stringValue("")).isEqualTo("buffer");
    assertThat(claim.path("spec").path("resources").path("requests").path("storage").stringValue("")).isEqualTo("5Gi");
    List<String> mounts = new ArrayList<>();
    sts.path("spec").path("template").path("spec").path("containers").get(0).path("volumeMounts")
        .forEach(m -> mounts.add(m.path("name").stringValue("") + "=" + m.path("mountPath").stringValue("")));
    assertThat(mounts).contains("buffer=/var/lib/appmesh-xds");
    assertThat(sts.path("spec").path("template").path("spec").path("securityContext").path("fsGroup").intValue())
        .as("the claim is writable by the non-root user").isEqualTo(65532);
    ControlPlaneConfig c = config(docs);
    assertThat(c.logging().cloudWatch().bufferDir()).startsWith("/var/lib/appmesh-xds/");
    assertThat(c.logging().cloudWatch().enabled()).isTrue();
    // The access-log port serves TLS from the same Secret, and proxies verify it and present their
    // SPIFFE certificate (serve refuses a plaintext ALS port beyond loopback).
    assertThat(sts.path("spec").path("template").path("spec").path("containers").get(0).path("args").toString())
        .contains("\"--als-tls-cert\"", "\"--als-client-ca\"").doesNotContain("--als-plaintext");
    assertThat(c.logging().cloudWatch().exporterTls().sni()).isEqualTo("appmesh-xds.appmesh-system.svc");
    assertThat(c.logging().cloudWatch().exporterTls().certFile()).isEqualTo("/var/run/secrets/spiffe.io/tls.crt");
    JsonNode sm = one(docs, "ServiceMonitor", "appmesh-xds");
    assertThat(sm.path("spec").path("endpoints").get(0).path("port").stringValue("")).isEqualTo("http-admin");
    assertThat(sm.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").stringValue(""))
        .isEqualTo("appmesh-xds");
    assertThat(render(Map.of())).noneSatisfy(d -> assertThat(d.path("kind").stringValue("")).isIn("StatefulSet", "ServiceMonitor"));
  }
}
