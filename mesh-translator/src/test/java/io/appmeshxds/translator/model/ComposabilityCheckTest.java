package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's hook for contributed gateway route checks. */
class ComposabilityCheckTest {

  static final String TEXT = TestManifests.resource("flagger/environment.yaml") + "\n---\n"
      + TestManifests.resource("flagger/ab-testing.yaml");
  static final ObjectRef ROUTE = ObjectRef.of(Kind.GatewayRoute, "demo", "podinfo");

  @Test
  void errorRejectsTheGatewayRouteWithItsReason() {
    List<MeshGraph> seen = new ArrayList<>();
    ComposabilityCheck check = (route, mesh) -> {
      seen.add(mesh);
      return List.of(Problem.error(Reason.NotComposable, route.ref(), "spec.httpRoute.action.target", "nothing composes"));
    };
    BuildResult r = new MeshModelBuilder(new LocalRuleCache(), List.of(), List.of(check)).build(TestManifests.resources(TEXT));
    ObjectStatus s = r.status().get(ROUTE);
    assertThat(s.condition().status()).isEqualTo("False");
    assertThat(s.condition().reason()).isEqualTo(Reason.NotComposable);
    assertThat(s.condition().message()).contains("nothing composes");
    assertThat(r.model().mesh("appmesh").gatewayRoutes()).isEmpty();
    assertThat(r.model().mesh("appmesh").gateways().get("appmesh-gateway_appmesh-gateway").routes()).isEmpty();
    // The check saw the mesh resolved so far: routers and services, no gateway routes yet.
    assertThat(seen).singleElement().satisfies(m -> {
      assertThat(m.routers()).containsKey("podinfo_demo");
      assertThat(m.services()).containsKey("podinfo.demo");
      assertThat(m.gatewayRoutes()).isEmpty();
    });
  }

  @Test
  void warningKeepsTheGatewayRoute() {
    ComposabilityCheck check = (route, mesh) -> List.of(Problem.warning(route.ref(), "spec.httpRoute", "partly composed"));
    BuildResult r = new MeshModelBuilder(new LocalRuleCache(), List.of(), List.of(check)).build(TestManifests.resources(TEXT));
    ObjectStatus s = r.status().get(ROUTE);
    assertThat(s.condition().isTrue()).isTrue();
    assertThat(s.condition().message()).contains("partly composed");
    assertThat(r.model().mesh("appmesh").gatewayRoutes()).containsOnlyKeys("podinfo_demo");
  }

  @Test
  void withoutChecksNothingChanges() {
    BuildResult r = new MeshModelBuilder().build(TestManifests.resources(TEXT));
    assertThat(r.status().get(ROUTE).condition().isTrue()).isTrue();
  }
}
