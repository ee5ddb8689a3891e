package io.appmeshxds.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSuggestionsTest {
  static final List<String> KNOWN = List.of("mesh/appmesh/virtualNode/podinfo-primary_demo",
      "mesh/appmesh/virtualNode/podinfo-canary_demo", "mesh/appmesh/virtualNode/flagger-loadtester_demo",
      "mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway", "mesh/other/virtualNode/billing_prod");

  @Test
  void theKubernetesNameFindsTheAppMeshName() {
    assertThat(NodeSuggestions.closest("mesh/appmesh/virtualNode/podinfo-primary", KNOWN))
        .containsExactly("mesh/appmesh/virtualNode/podinfo-primary_demo");
  }

  @Test
  void theWrongMeshOrKindFindsTheNode() {
    assertThat(NodeSuggestions.closest("mesh/appmesh/virtualNode/billing_prod", KNOWN)).containsExactly("mesh/other/virtualNode/billing_prod");
    assertThat(NodeSuggestions.closest("mesh/appmesh/virtualNode/appmesh-gateway_appmesh-gateway", KNOWN))
        .containsExactly("mesh/appmesh/virtualGateway/appmesh-gateway_appmesh-gateway");
  }

  @Test
  void aTypoFindsTheNearestAndNothingFarIsSuggested() {
    assertThat(NodeSuggestions.closest("mesh/appmesh/virtualNode/podinfo-primry_demo", KNOWN))
        .first().isEqualTo("mesh/appmesh/virtualNode/podinfo-primary_demo");
    assertThat(NodeSuggestions.closest("mesh/appmesh/virtualNode/something-else_x", KNOWN)).isEmpty();
    assertThat(NodeSuggestions.closest("x".repeat(10_000), KNOWN)).isEmpty();
  }

  @Test
  void editDistance() {
    assertThat(NodeSuggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(NodeSuggestions.distance("", "abc")).isEqualTo(3);
    assertThat(NodeSuggestions.distance("same", "same")).isZero();
  }
}
