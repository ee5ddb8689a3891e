package io.appmeshxds.server.inject;

import static io.appmeshxds.server.testing.Admissions.container;
import static io.appmeshxds.server.testing.Admissions.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Admissions;
import io.appmeshxds.server.webhook.AdmissionHandler;
import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.xds.rules.ProtoRules;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Pods in, pods out, through the webhook: each case's pod goes to {@link AdmissionHandler} in an
 * AdmissionReview, the response's JSON patch is applied to it, and the result must equal the
 * case's {@code .out.yaml} ({@code -Dgolden.update=true} rewrites them). The tests below then
 * assert, case by case, the facts App Mesh's injector produced for the same input, citing where
 * (github.com/aws/aws-app-mesh-controller-for-k8s @ 7588d122, {@code pkg/inject/}).
 */
class InjectionGoldenTest {
  static final Path DIR = Path.of("src", "test", "resources", "inject");
  static final YAMLMapper YAML = YAMLMapper.builder().build();
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  /** One case run through the webhook. */
  record Run(JsonNode in, JsonNode response, JsonNode out) {
    JsonNode envoy() {
      return container(out, "containers", "envoy");
    }

    JsonNode proxyinit() {
      return container(out, "initContainers", "proxyinit");
    }

    String annotation(String key) {
      return out.path("metadata").path("annotations").path(key).asString(null);
    }
  }

  static Stream<String> cases() throws Exception {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".in.yaml")).map(n -> n.replace(".in.yaml", ""))
          .sorted().toList().stream();
    }
  }

  static Run run(String name) throws Exception {
    Path config = DIR.resolve(name + ".config.yaml");
    ControlPlaneConfig cfg = Files.exists(config) ? ConfigLoader.load(config) : ControlPlaneConfig.defaults();
    List<Path> manifests = new ArrayList<>(List.of(Admissions.EXAMPLE));
    if (Files.exists(DIR.resolve(name + ".mesh.yaml"))) {
      manifests.add(DIR.resolve(name + ".mesh.yaml"));
    }
    MeshView view = Admissions.view(cfg, manifests);
    JsonNode pod = Admissions.JSON.readTree(YAML.readTree(DIR.resolve(name + ".in.yaml").toFile()).toString());
    var handler = new AdmissionHandler(new Injector(InjectionSettings.of(cfg)), cfg.injection().failurePolicy(), () -> view,
        AdmissionHandler.Counters.NONE);
    String uid = "uid-" + name;
    JsonNode review = Admissions.JSON.readTree(handler.handle(
        Admissions.review(uid, pod.path("metadata").path("namespace").asString(), pod).getBytes(StandardCharsets.UTF_8)));
    JsonNode response = review.path("response");
    assertThat(review.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asString()).isEqualTo("AdmissionReview");
    assertThat(response.path("uid").asString()).isEqualTo(uid);
    return new Run(pod, response, response.path("allowed").asBoolean() ? Admissions.patched(pod, response) : null);
  }

  /** An .out.yaml, .refused.txt, .config.yaml or .mesh.yaml whose case (its .in.yaml) is gone fails here. */
  @Test
  void noGoldenFileIsLeftWithoutItsCase() throws Exception {
    assertThat(cases()).as("cases in %s", DIR).isNotEmpty();
    io.appmeshxds.translator.golden.GoldenRunner.assertNoStaleFiles(DIR, java.util.Set.of("README.md"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theWebhooksPatchGivesTheExpectedPod(String name) throws Exception {
    Run r = run(name);
    Path out = DIR.resolve(name + ".out.yaml");
    Path refused = DIR.resolve(name + ".refused.txt");
    if (r.out() == null) {
      String message = r.response().path("status").path("message").asString() + "\n";
      if (UPDATE) {
        Files.writeString(refused, message);
        Files.deleteIfExists(out);
      }
      assertThat(message).isEqualTo(Files.readString(refused));
      assertThat(out).doesNotExist();
      return;
    }
    if (UPDATE) {
      Files.writeString(out, YAML.writeValueAsString(r.out()));
      Files.deleteIfExists(refused);
    }
    assertThat(r.out()).isEqualTo(Admissions.JSON.readTree(YAML.readTree(out.toFile()).toString()));
    assertThat(refused).doesNotExist();
  }

  /** Every injected bootstrap parses as Envoy's Bootstrap, passes the proto rules and names the pod's node. */
  @ParameterizedTest
  @MethodSource("cases")
  void everyInjectedBootstrapParsesAndPassesEnvoysRules(String name) throws Exception {
    Run r = run(name);
    String node = r.out() == null ? null : r.annotation("appmesh-xds.io/proxy");
    if (node == null) {
      return;
    }
    Bootstrap b = Admissions.bootstrap(r.envoy());
    assertThat(ProtoRules.check(b, true)).isEmpty();
    assertThat(b.getNode().getId()).isEqualTo(node);
    assertThat(b.getNode().getCluster()).isEqualTo(node);
    // The fidelity settings (BootstrapFactory, facts 10, 11, 14), and the admin interface on loopback.
    assertThat(b.getLayeredRuntime().getLayers(0).getStaticLayer().getFieldsOrThrow("re2.max_program_size.error_level")
        .getNumberValue()).isEqualTo(1000);
    assertThat(b.getDynamicResources().getLdsConfig().hasInitialFetchTimeout()).isTrue();
    assertThat(b.getStatsConfig().getStatsTagsList()).extracting(t -> t.getTagName())
        .contains("appmesh.mesh", "appmesh.listener_protocol", "appmesh.listener_port", "envoy_rds_route_config");
    assertThat(b.getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    var xds = b.getStaticResources().getClustersList().stream().filter(c -> c.getName().equals("appmesh_xds")).findFirst().orElseThrow();
    var addr = xds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertThat(addr.getAddress() + ":" + addr.getPortValue()).isEqualTo("appmesh-xds.appmesh-system:18000");
  }

  /**
   * Flagger's primary: {@code proxyinit} with App Mesh's eight variables ({@code init_proxy.go}
   * {@code proxyInitContainerTemplate}; {@code proxy.go}: ports 15000/15001, UID 1337, ignored ports
   * 22; {@code config.go} {@code --ignored-ips} 169.254.169.254; {@code APPMESH_APP_PORTS} from the
   * VirtualNode's listeners, {@code getAppPorts}), {@code NET_ADMIN}; the Envoy container named
   * {@code envoy}, UID 1337, port {@code stats} 9901, node id {@code mesh/<mesh>/virtualNode/<awsName>}
   * in {@code APPMESH_RESOURCE_ARN} and {@code APPMESH_VIRTUAL_NODE_NAME} ({@code sidecar_builder.go}
   * {@code buildEnvoySidecar}, {@code updateEnvMapForEnvoy}), requests 10m/32Mi and no limits
   * ({@code config.go}), preStop waiting 20 s ({@code --prestop-delay}), readiness timings 1/10/1/1/3
   * ({@code envoyReadinessProbe}), first in the list with a postStart hook when waitUntilProxyReady
   * ({@code envoy.go} {@code mutate}), {@code fsGroup: 1337} ({@code iam_for_service_accounts.go}).
   */
  @Test
  void flaggerPrimaryGetsAppMeshsInitContainerAndEnvoy() throws Exception {
    Run r = run("flagger-primary");
    JsonNode init = r.proxyinit();
    assertThat(env(init)).containsExactly(
        Map.entry("APPMESH_START_ENABLED", "1"), Map.entry("APPMESH_IGNORE_UID", "1337"),
        Map.entry("APPMESH_ENVOY_INGRESS_PORT", "15000"), Map.entry("APPMESH_ENVOY_EGRESS_PORT", "15001"),
        Map.entry("APPMESH_APP_PORTS", "9898"), Map.entry("APPMESH_EGRESS_IGNORED_IP", "169.254.169.254"),
        Map.entry("APPMESH_EGRESS_IGNORED_PORTS", "22"), Map.entry("APPMESH_ENABLE_IPV6", "1"));
    assertThat(init.path("image").asString()).isEqualTo("840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-proxy-route-manager:v7-prod");
    assertThat(init.path("securityContext").path("capabilities").path("add").toString()).isEqualTo("[\"NET_ADMIN\"]");
    JsonNode envoy = r.envoy();
    assertThat(r.out().path("spec").path("containers").get(0).path("name").asString()).isEqualTo("envoy");
    assertThat(envoy.path("securityContext").path("runAsUser").asLong()).isEqualTo(1337);
    assertThat(envoy.path("ports").get(0).path("name").asString()).isEqualTo("stats");
    assertThat(envoy.path("ports").get(0).path("containerPort").asInt()).isEqualTo(9901);
    assertThat(env(envoy)).containsEntry("APPMESH_RESOURCE_ARN", "mesh/appmesh/virtualNode/podinfo-primary_demo")
        .containsEntry("APPMESH_VIRTUAL_NODE_NAME", "mesh/appmesh/virtualNode/podinfo-primary_demo");
    assertThat(envoy.path("resources").toString()).isEqualTo("{\"requests\":{\"cpu\":\"10m\",\"memory\":\"32Mi\"}}");
    assertThat(envoy.path("lifecycle").path("preStop").path("exec").path("command").get(2).asString()).endsWith("; sleep 20");
    assertThat(envoy.path("lifecycle").path("postStart").path("exec").path("command").get(2).asString())
        .contains("i < 180", "/ready");
    JsonNode probe = envoy.path("readinessProbe");
    assertThat(List.of(probe.path("initialDelaySeconds").asInt(), probe.path("periodSeconds").asInt(), probe.path("timeoutSeconds").asInt(),
        probe.path("successThreshold").asInt(), probe.path("failureThreshold").asInt())).containsExactly(1, 10, 1, 1, 3);
    assertThat(envoy.path("image").asString()).isEqualTo("envoyproxy/envoy:v1.34.13");
    assertThat(r.out().path("spec").path("securityContext").path("fsGroup").asLong()).isEqualTo(1337);
    assertThat(r.annotation("appmesh-xds.io/proxy")).isEqualTo("mesh/appmesh/virtualNode/podinfo-primary_demo");
    // The app's own containers are kept as they were, after Envoy.
    assertThat(r.out().path("spec").path("containers").get(1)).isEqualTo(r.in().path("spec").path("containers").get(0));
  }

  /** Flagger's canary target (label app=podinfo) is VirtualNode podinfo-canary's pod (Flagger's appmesh:v1beta2 router). */
  /**
   * With {@code injection.xdsTls} and a CSI driver: the pod gets the driver's volume at the mount
   * path, and its bootstrap verifies the control plane (CA and DNS SAN) and presents the pod's own
   * certificate, all as files in that volume.
   */
  @Test
  void mutualTlsToTheControlPlaneMountsTheCsiCertificateAndVerifiesTheServer() throws Exception {
    Run r = run("xds-mtls");
    assertThat(r.out().path("spec").path("volumes").toString())
        .contains("{\"csi\":{\"driver\":\"spiffe.csi.cert-manager.io\",\"readOnly\":true},\"name\":\"appmesh-xds-tls\"}");
    assertThat(r.envoy().path("volumeMounts").toString()).contains("\"mountPath\":\"/var/run/secrets/spiffe.io\"");
    Bootstrap b = Admissions.bootstrap(r.envoy());
    var xds = b.getStaticResources().getClustersList().stream().filter(c -> c.getName().equals("appmesh_xds")).findFirst()
        .orElseThrow();
    var tls = xds.getTransportSocket().getTypedConfig()
        .unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("appmesh-xds.appmesh-system.svc");
    var v = tls.getCommonTlsContext().getValidationContext();
    assertThat(v.getTrustedCa().getFilename()).isEqualTo("/var/run/secrets/spiffe.io/ca.crt");
    assertThat(v.getMatchTypedSubjectAltNamesList()).extracting(m -> m.getSanType().name() + " " + m.getMatcher().getExact())
        .containsExactly("DNS appmesh-xds.appmesh-system.svc");
    assertThat(tls.getCommonTlsContext().getTlsCertificates(0).getPrivateKey().getFilename())
        .isEqualTo("/var/run/secrets/spiffe.io/tls.key");
  }

  @Test
  void flaggerCanaryIsTheCanaryNode() throws Exception {
    Run r = run("flagger-canary");
    assertThat(env(r.envoy())).containsEntry("APPMESH_VIRTUAL_NODE_NAME", "mesh/appmesh/virtualNode/podinfo-canary_demo");
    assertThat(env(r.proxyinit())).containsEntry("APPMESH_APP_PORTS", "9898");
  }

  /** {@code getAppPorts}: a VirtualNode without listeners gives an empty {@code APPMESH_APP_PORTS} (nothing intercepted inbound). */
  @Test
  void aNodeWithoutListenersInterceptsNoAppPort() throws Exception {
    Run r = run("plain");
    assertThat(env(r.proxyinit())).containsEntry("APPMESH_APP_PORTS", "");
    assertThat(env(r.envoy())).containsEntry("APPMESH_RESOURCE_ARN", "mesh/appmesh/virtualNode/flagger-loadtester_demo");
  }

  /**
   * {@code virtualgateway_envoy.go}: no init container, no new container; the existing {@code envoy}
   * gets {@code mesh/<mesh>/virtualGateway/<awsName>} (replacing the old value in place), the
   * configured image (no skip annotation), a readiness probe because it had none; no fsGroup
   * (App Mesh's gateway path has no such mutator).
   */
  @Test
  void aGatewayPodKeepsItsEnvoyContainerAndGetsTheGatewaysIdentity() throws Exception {
    Run r = run("gateway");
    assertThat(r.proxyinit()).isNull();
    assertThat(r.out().path("spec").path("containers").size()).isEqualTo(1);
    JsonNode envoy = r.envoy();
    assertThat(env(envoy)).containsExactly(
        Map.entry("APPMESH_RESOURCE_ARN", "mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway"),
        Map.entry("ENVOY_LOG_LEVEL", "info"),
        Map.entry("APPMESH_VIRTUAL_NODE_NAME", "mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway"));
    assertThat(envoy.path("image").asString()).isEqualTo("envoyproxy/envoy:v1.34.13");
    assertThat(envoy.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/ready");
    assertThat(envoy.path("ports").toString()).isEqualTo(r.in().path("spec").path("containers").get(0).path("ports").toString());
    assertThat(r.out().path("spec").path("securityContext").isMissingNode()).isTrue();
  }

  /** {@code determineSidecarInjectMode}: the pod annotation {@code disabled} wins over the namespace's {@code enabled}. */
  @Test
  void theOptOutAnnotationLeavesThePodAlone() throws Exception {
    Run r = run("opt-out");
    assertThat(r.response().path("allowed").asBoolean()).isTrue();
    assertThat(r.response().has("patch")).isFalse();
    assertThat(r.out()).isEqualTo(r.in());
  }

  /**
   * Every per-pod annotation: {@code ports}, {@code egressIgnoredIPs}, {@code egressIgnoredPorts},
   * {@code ipv6: disabled} ({@code proxy.go} {@code buildProxyConfig}); {@code cpuRequest} …
   * {@code memoryLimit} on Envoy only, the init container keeping the configured values
   * ({@code injectAppMeshPatches} gives proxyinit the config's resources; {@code envoy.go}
   * {@code getSidecarCPURequest} …); {@code sidecarEnv}/{@code sidecarEnvJson} without overriding the
   * controller's keys ({@code updateEnvMapForEnvoy}); {@code secretMounts} as read-only secret
   * volumes ({@code mutateSecretMounts}); an existing fsGroup kept.
   */
  @Test
  void explicitAnnotationsAreHonouredAsAppMeshHonouredThem() throws Exception {
    Run r = run("explicit-annotations");
    assertThat(env(r.proxyinit())).containsEntry("APPMESH_APP_PORTS", "9898,9899")
        .containsEntry("APPMESH_EGRESS_IGNORED_IP", "169.254.169.254,10.0.0.10")
        .containsEntry("APPMESH_EGRESS_IGNORED_PORTS", "22,3306").containsEntry("APPMESH_ENABLE_IPV6", "0");
    assertThat(r.proxyinit().path("resources").toString()).isEqualTo("{\"requests\":{\"cpu\":\"10m\",\"memory\":\"32Mi\"}}");
    JsonNode envoy = r.envoy();
    assertThat(envoy.path("resources").toString())
        .isEqualTo("{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"},\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}}");
    assertThat(env(envoy)).containsEntry("DD_ENV", "qa1").containsEntry("TEAM", "payments")
        .containsEntry("APPMESH_RESOURCE_ARN", "mesh/appmesh/virtualNode/podinfo-primary_demo");
    assertThat(envoy.path("volumeMounts").toString()).contains("\"mountPath\":\"/etc/podinfo/tls\"", "\"name\":\"podinfo-tls\"",
        "\"readOnly\":true");
    assertThat(r.out().path("spec").path("volumes").toString()).contains("\"secretName\":\"podinfo-tls\"");
    assertThat(r.out().path("spec").path("securityContext").path("fsGroup").asLong()).isEqualTo(2000);
  }

  /** {@code cni_proxy.go}: no init container; seven annotations, App Mesh's values winning over the pod's. */
  @Test
  void cniModeWritesTheSettingsAsAnnotations() throws Exception {
    Run r = run("cni");
    assertThat(r.proxyinit()).isNull();
    for (var e : Map.of("appmesh.k8s.aws/ports", "9898", "appmesh.k8s.aws/egressIgnoredIPs", "169.254.169.254",
        "appmesh.k8s.aws/egressIgnoredPorts", "22", "appmesh.k8s.aws/proxyEgressPort", "15001",
        "appmesh.k8s.aws/proxyIngressPort", "15000", "appmesh.k8s.aws/ignoredUID", "1337",
        "appmesh.k8s.aws/sidecarInjectorWebhook", "enabled").entrySet()) {
      assertThat(r.annotation(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(r.envoy()).isNotNull();
  }

  /** {@code membership_designator.go} {@code Designate}: several matching VirtualNodes refuse the pod, with App Mesh's message. */
  @Test
  void severalMatchingNodesRefuseThePod() throws Exception {
    Run r = run("several-nodes");
    assertThat(r.response().path("allowed").asBoolean()).isFalse();
    assertThat(r.response().path("status").path("message").asString())
        .isEqualTo("appmesh-xds: found multiple matching VirtualNodes for pod demo/podinfo-twice: demo/podinfo-canary,demo/podinfo-shadow");
  }

  /** Under {@code failurePolicy: Ignore} the same pod is created unmeshed, annotated with the reason, with a warning. */
  @Test
  void severalMatchingNodesUnderIgnoreLeaveThePodUnmeshedAndSayWhy() throws Exception {
    Run r = run("several-nodes-ignore");
    assertThat(r.response().path("allowed").asBoolean()).isTrue();
    assertThat(r.annotation("appmesh-xds.io/injection-skipped")).startsWith("found multiple matching VirtualNodes");
    assertThat(r.envoy()).isNull();
    assertThat(r.response().path("warnings").get(0).asString()).contains("injection.failurePolicy: Ignore");
  }

  /** {@code inject.go} {@code Inject}: enabled and nothing matches is a refusal; otherwise nothing happens. */
  @Test
  void noMatchingNodeRefusesWhenEnabledAndLeavesAloneOtherwise() throws Exception {
    Run enabled = run("no-match");
    assertThat(enabled.response().path("status").path("message").asString())
        .isEqualTo("appmesh-xds: sidecarInject enabled but no matching VirtualNode or VirtualGateway found");
    Run unspecified = run("no-match-unspecified");
    assertThat(unspecified.response().path("allowed").asBoolean()).isTrue();
    assertThat(unspecified.out()).isEqualTo(unspecified.in());
  }

  /** {@code xray.go}: container {@code xray-daemon}, UID 1337, UDP port {@code xray} 2000, {@code AWS_REGION}, the sidecar resources. */
  @Test
  void xrayTracingAddsAppMeshsDaemonContainer() throws Exception {
    Run r = run("xray");
    JsonNode x = container(r.out(), "containers", "xray-daemon");
    assertThat(x.path("securityContext").path("runAsUser").asLong()).isEqualTo(1337);
    assertThat(x.path("ports").get(0).toString()).isEqualTo("{\"containerPort\":2000,\"name\":\"xray\",\"protocol\":\"UDP\"}");
    assertThat(env(x)).containsExactly(Map.entry("AWS_REGION", "us-west-2"));
    assertThat(x.path("resources").toString()).isEqualTo("{\"requests\":{\"cpu\":\"10m\",\"memory\":\"32Mi\"}}");
    // Without waitUntilProxyReady Envoy is appended (envoy.go mutate), after the app and before the daemon.
    List<String> names = new ArrayList<>();
    r.out().path("spec").path("containers").forEach(c -> names.add(c.path("name").asString()));
    assertThat(names).containsExactly("podinfod", "envoy", "xray-daemon");
    assertThat(r.envoy().path("lifecycle").has("postStart")).isFalse();
  }

  /** Two more VirtualNodes in demo whose tracing differs from the config's, by the annotation TracingOverrides reads. */
  static final String OVERRIDDEN_NODES = """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: traced, namespace: demo, annotations: {appmesh-xds.io/tracing: xray}}
      spec:
        podSelector: {matchLabels: {app: traced}}
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        serviceDiscovery: {dns: {hostname: traced.demo.svc.cluster.local}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: untraced, namespace: demo, annotations: {appmesh-xds.io/tracing: none}}
      spec:
        podSelector: {matchLabels: {app: untraced}}
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        serviceDiscovery: {dns: {hostname: untraced.demo.svc.cluster.local}}
      """;

  /** The containers of the pod the injector makes of {@code <case>.in.yaml} (or a pod labelled app=LABEL in demo). */
  static List<String> containers(ControlPlaneConfig cfg, List<Path> manifests, String caseOrLabel) throws Exception {
    var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    io.fabric8.kubernetes.api.model.Pod pod = Files.exists(DIR.resolve(caseOrLabel + ".in.yaml"))
        ? serialization.unmarshal(YAML.readTree(DIR.resolve(caseOrLabel + ".in.yaml").toFile()).toString(),
            io.fabric8.kubernetes.api.model.Pod.class)
        : new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("p").withNamespace("demo")
            .addToLabels("app", caseOrLabel).endMetadata().withNewSpec().addNewContainer().withName("app").withImage("busybox:1.36")
            .endContainer().endSpec().build();
    Outcome o = new Injector(InjectionSettings.of(cfg)).inject(pod, pod.getMetadata().getNamespace(), Admissions.view(cfg, manifests));
    assertThat(o.result()).as(caseOrLabel + ": " + o.message()).isEqualTo(Outcome.Result.INJECTED);
    return o.pod().getSpec().getContainers().stream().map(c -> c.getName()).toList();
  }

  /**
   * The X-Ray daemon goes into a pod when the config asks for it ({@code injection.xrayDaemon.enabled})
   * and that pod's proxy traces to X-Ray: {@code tracing.provider} unless its VirtualNode's
   * {@code appmesh-xds.io/tracing} annotation says otherwise (the same resolution the listeners'
   * tracing uses, {@code TracingOverrides}). Not for another provider or none, even when enabled (a
   * daemon nothing sends to), and not when disabled (the daemon runs elsewhere).
   */
  @Test
  void theXrayDaemonJoinsOnlyPodsWhoseProxyTracesToXray(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path overrides = Files.writeString(tmp.resolve("overrides.yaml"), OVERRIDDEN_NODES);
    List<Path> mesh = List.of(Admissions.EXAMPLE, overrides);
    for (String provider : List.of("none", "zipkin", "opentelemetry", "xray")) {
      ControlPlaneConfig enabled = ConfigLoader.parse("c", "tracing: {provider: " + provider + "}\n"
          + "injection: {xrayDaemon: {enabled: true}}\n");
      boolean xray = provider.equals("xray");
      assertThat(containers(enabled, mesh, "flagger-primary")).as(provider).containsExactlyElementsOf(
          xray ? List.of("envoy", "podinfod", "xray-daemon") : List.of("envoy", "podinfod"));
      assertThat(containers(enabled, mesh, "gateway")).as("gateway, " + provider).hasSize(xray ? 2 : 1);
      assertThat(containers(enabled, mesh, "traced")).as("node annotated xray, config " + provider).contains("xray-daemon");
      assertThat(containers(enabled, mesh, "untraced")).as("node annotated none, config " + provider).doesNotContain("xray-daemon");
      ControlPlaneConfig disabled = ConfigLoader.parse("c", "tracing: {provider: " + provider + "}\n");
      assertThat(containers(disabled, mesh, "flagger-primary")).as("daemon not enabled, " + provider).doesNotContain("xray-daemon");
      assertThat(containers(disabled, mesh, "traced")).as("daemon not enabled, node annotated xray").doesNotContain("xray-daemon");
    }
  }

  /**
   * {@code cloudmap_healthy_readiness_gate.go}: a pod of a VirtualNode with {@code awsCloudMap}
   * service discovery gets the readiness gate {@code conditions.appmesh.k8s.aws/aws-cloudmap-healthy}
   * once, and a pod of a DNS node none.
   */
  @Test
  void aCloudMapNodesPodGetsTheCloudMapReadinessGateOnce() throws Exception {
    Run r = run("cloudmap");
    assertThat(r.out().path("spec").path("readinessGates").toString())
        .isEqualTo("[{\"conditionType\":\"conditions.appmesh.k8s.aws/aws-cloudmap-healthy\"}]");
    assertThat(r.annotation("appmesh-xds.io/proxy")).isEqualTo("mesh/appmesh/virtualNode/colorteller_demo");
    assertThat(run("plain").out().path("spec").has("readinessGates")).isFalse();
    // A pod that declares the gate already (its template kept it from App Mesh's injector) keeps one.
    var cfg = ControlPlaneConfig.defaults();
    MeshView view = Admissions.view(cfg, List.of(Admissions.EXAMPLE, DIR.resolve("cloudmap.mesh.yaml")));
    var pod = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(r.in().toString(), io.fabric8.kubernetes.api.model.Pod.class);
    pod.getSpec().setReadinessGates(List.of(new io.fabric8.kubernetes.api.model.PodReadinessGate(Injector.CLOUD_MAP_GATE)));
    Outcome o = new Injector(InjectionSettings.of(cfg)).inject(pod, "demo", view);
    assertThat(o.result()).isEqualTo(Outcome.Result.INJECTED);
    assertThat(o.pod().getSpec().getReadinessGates()).extracting(g -> g.getConditionType()).containsExactly(Injector.CLOUD_MAP_GATE);
  }

  /** Re-invocation (reinvocationPolicy: IfNeeded) and already-injected pods: the webhook's own output comes back unchanged. */
  @Test
  void aReinvokedPodIsLeftAlone() throws Exception {
    for (String name : List.of("flagger-primary", "gateway", "cni", "explicit-annotations")) {
      Run first = run(name);
      var cfg = ControlPlaneConfig.defaults();
      MeshView view = Admissions.view(cfg, List.of(Admissions.EXAMPLE));
      var handler = new AdmissionHandler(new Injector(InjectionSettings.of(cfg)), cfg.injection().failurePolicy(), () -> view,
          AdmissionHandler.Counters.NONE);
      JsonNode again = Admissions.JSON.readTree(handler.handle(Admissions.review("again", first.out().path("metadata")
          .path("namespace").asString(), first.out()).getBytes(StandardCharsets.UTF_8))).path("response");
      assertThat(again.path("allowed").asBoolean()).as(name).isTrue();
      assertThat(again.has("patch")).as(name).isFalse();
    }
  }
}
