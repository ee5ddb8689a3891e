package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.re2.Re2Literal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A gateway hostname match is judged by the RE2 program size of the {@code :authority} pattern the
 * gateway emits, against the limit our bootstrap sets (1000), not by its length: a 76-character ELB
 * name (refused by the old 60-character rule) is served; a legal 253-character name of k's, whose
 * case-insensitive pattern is 1013 instructions in RE2 (each k also matches the Kelvin sign; our
 * lower bound is 1011), is refused with the size and the limit.
 */
class HostnameProgramSizeTest {
  static final String ELB = "internal-appmesh-gateways-1234567890.us-west-2.elb.amazonaws.com.example.org";
  static final String KS = String.join(".", "k".repeat(63), "k".repeat(63), "k".repeat(63), "k".repeat(61));

  static String mesh(String hostname) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: web, labels: {mesh: web}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata: {name: web}
        spec: {namespaceSelector: {matchLabels: {mesh: web}}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualGateway
        metadata: {name: gw, namespace: web}
        spec:
          namespaceSelector: {matchLabels: {mesh: web}}
          listeners: [{portMapping: {port: 8080, protocol: http}}]
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: app, namespace: web}
        spec:
          listeners: [{portMapping: {port: 8080, protocol: http}}]
          serviceDiscovery: {dns: {hostname: app.web.svc.cluster.local}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: app, namespace: web}
        spec: {provider: {virtualNode: {virtualNodeRef: {name: app}}}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: GatewayRoute
        metadata: {name: by-host, namespace: web}
        spec:
          httpRoute:
            match: {hostname: {exact: %s}}
            action: {target: {virtualService: {virtualServiceRef: {name: app}}}}
        """.formatted(hostname);
  }

  static GoldenRunner.Output render(String hostname) {
    GoldenRunner runner = new GoldenRunner(Path.of("."), () -> new Planner(List.of(GatewayModule.planner()), List.of()),
        GatewayModule.extensions(), () -> new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks()));
    return runner.render("hostname", mesh(hostname));
  }

  @Test
  void aSeventySixCharacterHostnameIsServed() {
    assertThat(ELB).hasSize(76);
    GoldenRunner.Output o = render(ELB);
    JsonNode status = YAMLMapper.shared().readTree(o.out()).get("statuses").get("GatewayRoute web/by-host");
    assertThat(status.get("condition").asText()).isEqualTo("GatewayRouteActive=True (Accepted)");
    assertThat(YAMLMapper.shared().readTree(o.xds()).findValuesAsString("regex"))
        .contains("(?i)" + Re2Literal.of(ELB) + "(:[0-9]+)?");
  }

  @Test
  void aLegalHostnameWhosePatternIsOverTheLimitIsRefusedWithItsSize() {
    assertThat(KS).hasSize(253);
    GoldenRunner.Output o = render(KS);
    JsonNode status = YAMLMapper.shared().readTree(o.out()).get("statuses").get("GatewayRoute web/by-host");
    assertThat(status.get("condition").asText()).isEqualTo("GatewayRouteActive=False (Unsupported)");
    assertThat(status.get("message").asText()).startsWith("spec.httpRoute.match.hostname: ")
        .contains("RE2 program size at least 1011 exceeds 1000, the limit our bootstrap sets (re2.max_program_size.error_level)");
  }
}
