package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.plan.ProxyPlanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden cases of gateway translation: statuses (with the gateway's composability check) and the
 * gateway proxies' plans and Envoy resources. Sidecars are left out of these files (their own golden
 * cases cover them).
 */
class GatewayGoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden/gateway");

  /** The pipeline as the server wires it, with gateways only (endpoint options from the case's directive). */
  static GoldenRunner runner() {
    return GoldenRunner.withOptions(DIR, o -> new Planner(o, List.of(GatewayModule.planner(o), NO_SIDECARS), List.of()),
        GatewayModule.extensions(), () -> new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks()));
  }

  @TestFactory
  Stream<DynamicTest> cases() throws IOException {
    return runner().tests();
  }

  /** The Flagger cases are environment.yaml + one phase file of mesh-translator's fixtures, verbatim. */
  @ParameterizedTest
  @CsvSource({"compose-flagger-ab-testing, ab-testing", "compose-flagger-canary-step, canary-step-weight-10"})
  void flaggerCasesAreTheFixtures(String golden, String phase) throws IOException {
    String text = Files.readString(DIR.resolve(golden + ".in.yaml"), StandardCharsets.UTF_8);
    String body = text.substring(text.indexOf('\n') + 1);
    assertThat(body).isEqualTo(TestManifests.resource("flagger/environment.yaml") + "---\n"
        + TestManifests.resource("flagger/" + phase + ".yaml"));
  }

  @Test
  void everyCaseHasAGateway() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      assertThat(s.filter(p -> p.toString().endsWith(".xds.yaml")).toList()).allSatisfy(p ->
          assertThat(Files.readString(p)).contains("virtualGateway/"));
    }
  }

  /** Replaces the sidecar planner so golden files show gateway proxies only. */
  static final ProxyPlanner NO_SIDECARS = new ProxyPlanner() {
    @Override
    public NodeKey.Kind kind() {
      return NodeKey.Kind.SIDECAR;
    }

    @Override
    public List<NodeKey> keys(MeshModel model) {
      return List.of();
    }

    @Override
    public ProxyPlan plan(NodeKey key, PlanContext ctx) {
      return null;
    }
  };
}
