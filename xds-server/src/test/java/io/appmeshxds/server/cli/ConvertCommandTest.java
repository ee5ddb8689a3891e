package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code appmesh-xds convert --to gateway-api}: one focused case per mapping rule, with the exact output. */
class ConvertCommandTest {

  static final Path DIR = Path.of("src/test/resources/convert");

  /** The base mesh (two VirtualNodes behind a router of {@code protocol}) with {@code routes} appended. */
  static String mesh(String protocol, String routes) throws IOException {
    return Files.readString(DIR.resolve("base.yaml")).replace("PROTO", protocol) + Files.readString(DIR.resolve(routes));
  }

  /** The one document of {@code kind} in the output. */
  static String doc(CliRun.Result r, String kind) {
    return Arrays.stream(r.out().split("(?m)^---\n")).filter(d -> d.contains("\nkind: " + kind + "\n")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in:\n" + r.out() + "\n" + r.err()));
  }

  @Test
  void weightsTimeoutAndDroppedRetryAndIdle() throws IOException {
    CliRun.Result r = CliRun.withStdin(mesh("http", "weights.yaml"), "convert", "--to", "gateway-api", "-");
    assertThat(doc(r, "HTTPRoute")).isEqualTo("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: api
          namespace: web
          annotations:
            appmesh-xds.io/converted-from: VirtualRouter web/api
        spec:
          parentRefs:
          - group: ""
            kind: Service
            name: api
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: /
            backendRefs:
            - name: api-v1
              port: 8080
              weight: 90
            - name: api-v2
              port: 8080
              weight: 10
            timeouts:
              request: 2s500ms
        """);
    assertThat(r.code()).isEqualTo(3);
  }

  @Test
  void headerMatchKindsMethodAndQuery() throws IOException {
    CliRun.Result r = CliRun.withStdin(mesh("http", "headers.yaml"), "convert", "--to", "gateway-api", "-");
    assertThat(doc(r, "HTTPRoute")).isEqualTo("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: api
          namespace: web
          annotations:
            appmesh-xds.io/converted-from: VirtualRouter web/api
        spec:
          parentRefs:
          - group: ""
            kind: Service
            name: api
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: /
              headers:
              - type: Exact
                name: x-exact
                value: a
              - type: RegularExpression
                name: x-prefix
                value: ^b\\..*
              - type: RegularExpression
                name: x-suffix
                value: .*\\.c$
              - type: RegularExpression
                name: x-regex
                value: d+
              - type: RegularExpression
                name: x-present
                value: .*
              queryParams:
              - type: Exact
                name: q
                value: "1"
              method: POST
            backendRefs:
            - name: api-v2
              port: 8080
              weight: 100
            timeouts:
              request: 15s
          - matches:
            - path:
                type: PathPrefix
                value: /
            backendRefs:
            - name: api-v1
              port: 8080
              weight: 100
            timeouts:
              request: 15s
        """);
  }

  @Test
  void grpcRouteMethodMatch() throws IOException {
    CliRun.Result r = CliRun.withStdin(mesh("grpc", "grpc.yaml"), "convert", "--to", "gateway-api", "-");
    assertThat(doc(r, "GRPCRoute")).isEqualTo("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata:
          name: api
          namespace: web
          annotations:
            appmesh-xds.io/converted-from: VirtualRouter web/api
        spec:
          parentRefs:
          - group: ""
            kind: Service
            name: api
          rules:
          - matches:
            - method:
                type: Exact
                service: pkg.Api
                method: Get
            backendRefs:
            - name: api-v2
              port: 8080
              weight: 100
          - matches:
            - method:
                type: Exact
                service: pkg.Api
            backendRefs:
            - name: api-v1
              port: 8080
              weight: 100
        """);
  }

  @Test
  void gatewayWithTlsListenerAndRouteWithHostname() throws IOException {
    CliRun.Result r = CliRun.withStdin(mesh("http", "weights.yaml") + Files.readString(DIR.resolve("gateway.yaml")),
        "convert", "--to", "gateway-api", "-");
    assertThat(doc(r, "Gateway")).isEqualTo("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: ingress
          namespace: web
          annotations:
            appmesh-xds.io/converted-from: VirtualGateway web/ingress
        spec:
          gatewayClassName: appmesh-xds
          listeners:
          - name: http-8443
            port: 8443
            protocol: HTTPS
            tls:
              mode: Terminate
              certificateRefs:
              - group: ""
                kind: Secret
                name: ingress-cert
        """);
    String route = Arrays.stream(r.out().split("(?m)^---\n")).filter(d -> d.contains("converted-from: GatewayRoute"))
        .findFirst().orElseThrow();
    assertThat(route).isEqualTo("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: ingress-api
          namespace: web
          annotations:
            appmesh-xds.io/converted-from: GatewayRoute web/api
        spec:
          parentRefs:
          - group: gateway.networking.k8s.io
            kind: Gateway
            name: ingress
          hostnames:
          - api.example.com
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: /api
            filters:
            - type: URLRewrite
              urlRewrite:
                hostname: api.web.svc.cluster.local
                path:
                  type: ReplacePrefixMatch
                  replacePrefixMatch: /
            backendRefs:
            - name: api
              port: 80
        """);
    assertThat(r.err()).contains("approximated GatewayRoute web/api spec.httpRoute.match.prefix: path: {type: PathPrefix, value: /api}")
        .contains("approximated VirtualGateway web/ingress spec.listeners[0].tls.certificate.sds: tls.certificateRefs: Secret ingress-cert");
  }

  @Test
  void lossReportListsRetryOutlierDetectionAndConnectionPoolsAsDropped(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws IOException {
    Path golden = Path.of("../mesh-translator/src/test/resources/golden/sidecar");
    Path report = tmp.resolve("report.json");
    CliRun.Result r = CliRun.run("convert", "--to", "gateway-api", "--output-dir", tmp.resolve("out").toString(),
        "--report", report.toString(), "--report-format", "json",
        golden.resolve("retry-policies.in.yaml").toString(),
        golden.resolve("health-checks-outlier-detection.in.yaml").toString(),
        golden.resolve("listener-timeouts-connection-pools.in.yaml").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    java.util.List<java.util.Map<String, String>> rows = tools.jackson.databind.json.JsonMapper.shared()
        .readValue(report.toFile(), new tools.jackson.core.type.TypeReference<>() {});
    java.util.function.Function<String, java.util.List<String>> dropped = suffix -> rows.stream()
        .filter(e -> e.get("outcome").equals("dropped") && e.get("field").endsWith(suffix))
        .map(e -> e.get("object") + " " + e.get("field")).toList();
    assertThat(dropped.apply(".retryPolicy")).isNotEmpty().allMatch(s -> s.startsWith("VirtualRouter ")
        && s.matches(".* spec\\.routes\\[\\d+\\]\\.(httpRoute|http2Route|grpcRoute)\\.retryPolicy"));
    assertThat(dropped.apply(".outlierDetection")).isNotEmpty().allMatch(s -> s.startsWith("VirtualNode ")
        && s.matches(".* spec\\.listeners\\[\\d+\\]\\.outlierDetection"));
    assertThat(dropped.apply(".connectionPool")).isNotEmpty().allMatch(s -> s.matches(".* spec\\.listeners\\[\\d+\\]\\.connectionPool"));
    assertThat(dropped.apply(".healthCheck")).isNotEmpty();
    try (var files = Files.list(tmp.resolve("out"))) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).isNotEmpty().allMatch(n -> n.endsWith(".yaml"));
    }
  }

  @Test
  void inputWithErrorsIsRefusedWithValidateLinesAndUsageErrorsExitTwo() {
    CliRun.Result bad = CliRun.withStdin("""
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: x, namespace: web}
        spec:
          provider: {virtualRouter: {virtualRouterRef: {name: missing}}}
        """, "convert", "--to", "gateway-api", "-");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).contains("error").contains("nothing converted");
    assertThat(CliRun.run("convert", "--to", "istio", "-").code()).isEqualTo(2);
    assertThat(CliRun.run("convert", "-").code()).isEqualTo(2);
  }

  @Test
  void allExactInputExitsZero() throws IOException {
    // A router whose every field carries exactly: default prefix, exact header, request timeout.
    String routes = """
            - name: only
              httpRoute:
                match:
                  prefix: /
                  headers: [{name: x-user, match: {exact: a}}]
                action:
                  weightedTargets:
                    - {virtualNodeRef: {name: api-v1}, weight: 100}
                timeout:
                  perRequest: {unit: s, value: 5}
        """;
    String in = Files.readString(DIR.resolve("base.yaml")).replace("PROTO", "http") + routes;
    CliRun.Result r = CliRun.withStdin(in, "convert", "--to", "gateway-api", "-");
    // Every written field carries, but App Mesh's default retry policy (the route has none) does not:
    // the converted rule is served without retries (ConvertServesIdenticallyTest found it unreported).
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.err().lines().filter(l -> l.startsWith("approximated ") || l.startsWith("dropped ")).toList())
        .containsExactly("dropped VirtualRouter web/api spec.routes[0].httpRoute.retryPolicy: unset, so App Mesh retried "
            + "with its default policy (up to 2 retries on connection failure, reset, refused stream, gRPC unavailable "
            + "and HTTP 503); Gateway API's core has no retry field and the converted rule has no retries");
    // The same objects with the service provided by a node: nothing is lost, exit 0.
    String plain = in.replace("virtualRouter: {virtualRouterRef: {name: api}}", "virtualNode: {virtualNodeRef: {name: api-v1}}");
    CliRun.Result p = CliRun.withStdin(plain, "convert", "--to", "gateway-api", "-");
    assertThat(p.code()).as(p.err()).isEqualTo(0);
    assertThat(p.err()).contains("exact VirtualService web/api spec.provider.virtualNode: nothing to convert")
        .doesNotContain("approximated ").doesNotContain("dropped ");
  }

  @Test
  void bundledExampleWithFlaggerDerivedObjects() {
    CliRun.Result r = CliRun.run("convert", "--to", "gateway-api", "../deploy/examples/podinfo");
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    // The router Flagger derives from the Canary, with its weights, on the apex Service.
    String route = Arrays.stream(r.out().split("(?m)^---\n")).filter(d -> d.contains("converted-from: VirtualRouter demo/podinfo\n"))
        .findFirst().orElseThrow();
    assertThat(route).contains("""
          parentRefs:
          - group: ""
            kind: Service
            name: podinfo
        """).contains("""
            backendRefs:
            - name: podinfo-canary
              port: 9898
              weight: 0
            - name: podinfo-primary
              port: 9898
              weight: 100
        """);
    assertThat(r.err()).contains("dropped VirtualRouter demo/podinfo spec.routes[0].httpRoute.retryPolicy: no core Gateway API field")
        .contains("exact GatewayRoute demo/podinfo spec.httpRoute.action.target: backendRef Service demo/podinfo port 9898")
        .contains("4 object(s) written;");
  }

  @Test
  void routeOrderThatGatewayApiPrecedenceWouldChangeIsApproximated() throws IOException {
    // App Mesh takes priority 0 (/) first: every request goes to v1. Gateway API picks the longest
    // prefix, so /api would now reach v2.
    String routes = """
            - name: all
              priority: 0
              httpRoute:
                match: {prefix: /}
                action: {weightedTargets: [{virtualNodeRef: {name: api-v1}, weight: 100}]}
            - name: api
              priority: 1
              httpRoute:
                match: {path: {exact: /api}}
                action: {weightedTargets: [{virtualNodeRef: {name: api-v2}, weight: 100}]}
        """;
    String in = Files.readString(DIR.resolve("base.yaml")).replace("PROTO", "http") + routes;
    CliRun.Result r = CliRun.withStdin(in, "convert", "--to", "gateway-api", "-");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("approximated VirtualRouter web/api spec.routes: route order: Gateway API picks the most "
        + "specific match");
    String swapped = routes.replace("priority: 0", "priority: 9").replace("priority: 1", "priority: 0");
    CliRun.Result ok = CliRun.withStdin(Files.readString(DIR.resolve("base.yaml")).replace("PROTO", "http") + swapped,
        "convert", "--to", "gateway-api", "-");
    assertThat(ok.err()).contains("exact VirtualRouter web/api spec.routes: route order: Gateway API's match precedence "
        + "keeps App Mesh's priority order");
  }

  @Test
  void backendInAnotherNamespaceGetsAReferenceGrant() throws IOException {
    String in = (Files.readString(DIR.resolve("base.yaml")) + Files.readString(DIR.resolve("weights.yaml")))
        .replace("PROTO", "http")
        .replace("hostname: api-v2.web.svc.cluster.local", "hostname: api-v2.other.svc.cluster.local");
    CliRun.Result r = CliRun.withStdin(in, "convert", "--to", "gateway-api", "-");
    assertThat(doc(r, "HTTPRoute")).contains("""
            - name: api-v2
              namespace: other
              port: 8080
              weight: 10
        """);
    assertThat(doc(r, "ReferenceGrant")).isEqualTo("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata:
          name: appmesh-xds-converted
          namespace: other
        spec:
          from:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
            namespace: web
          to:
          - group: ""
            kind: Service
        """);
    assertThat(r.err()).contains("approximated VirtualRouter web/api spec.routes[0].httpRoute.action.weightedTargets[1]: "
        + "backendRef Service other/api-v2 is not in the input");
    // Every document of the stream, the ReferenceGrant too, fits fabric8's model with no unknown field.
    tools.jackson.dataformat.yaml.YAMLMapper yaml = new tools.jackson.dataformat.yaml.YAMLMapper();
    for (String d : r.out().split("(?m)^---\n")) {
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> m = yaml.readValue(d, java.util.Map.class);
      io.appmeshxds.server.convert.GatewayApiModel.parse(m);
    }
  }
}
