package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.input.Severity;
import org.junit.jupiter.api.Test;

/**
 * A {@code virtualServiceARN} reaches what is not in this input (another account's service in a
 * shared mesh, another mesh, another cluster's part of the same mesh): a backend to it is a warning
 * and is not served here.
 */
class CrossAccountArnTest {
  static final String BASE = TestManifests.resource("model/base.yaml");
  static final ObjectRef UI = new ObjectRef("VirtualNode", "demo", "ui");
  static final String FIELD = "spec.backends[1].virtualService.virtualServiceARN";

  static String ui(String arn) {
    return "\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: ui, namespace: demo}\n"
        + "spec: {backends: [{virtualService: {virtualServiceRef: {name: podinfo}}}, {virtualService: {virtualServiceARN: \""
        + arn + "\"}}]}\n";
  }

  static BuildResult build(String text) {
    return new MeshModelBuilder().build(TestManifests.resources(text));
  }

  static String shared(String owner) {
    return BASE.replace("  name: appmesh\nspec:\n", "  name: appmesh\nspec:\n  meshOwner: \"" + owner + "\"\n");
  }

  static ResolvedNode resolvedUi(BuildResult r) {
    return r.model().mesh("appmesh").nodes().get("ui_demo");
  }

  @Test
  void aServiceInAMeshThatIsNotInTheInputIsAWarningAndIsNotServed() {
    BuildResult r = build(BASE + ui("arn:aws:appmesh:us-west-2:444455556666:mesh/backend-mesh/virtualService/yelb-appserver.yelb"));
    ObjectStatus s = r.status().get(UI);
    assertThat(s.accepted()).isTrue();
    assertThat(s.problems()).extracting(Problem::severity, Problem::field, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, FIELD, "virtual service yelb-appserver.yelb is in mesh"
            + " backend-mesh, which is not in this input (another account's or cluster's mesh): not served here; this node"
            + " gets no route to it"));
    assertThat(s.condition().message()).contains("not served here");
    assertThat(resolvedUi(r).backends()).extracting(ResolvedNode.Backend::service).containsExactly("podinfo.demo");
  }

  @Test
  void anotherAccountsServiceInASharedMeshIsAWarning() {
    // The multi-account walkthrough: the mesh is shared (meshOwner), the service is created by the other account.
    BuildResult sameOwner = build(shared("111122223333")
        + ui("arn:aws:appmesh:us-west-2:111122223333:mesh/appmesh/virtualService/yelb-appserver.yelb"));
    assertThat(sameOwner.status().get(UI).accepted()).isTrue();
    assertThat(sameOwner.status().get(UI).problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo(
        "virtual service yelb-appserver.yelb is not in this input; mesh appmesh is shared (owner 111122223333), so it is"
            + " another account's or cluster's: not served here; this node gets no route to it"));
    BuildResult otherAccount = build(shared("111122223333")
        + ui("arn:aws:appmesh:us-west-2:444455556666:mesh/appmesh/virtualService/yelb-appserver.yelb"));
    assertThat(otherAccount.status().get(UI).problems()).singleElement().satisfies(p -> assertThat(p.message()).startsWith(
        "virtual service yelb-appserver.yelb belongs to account 444455556666, not to mesh appmesh's owner 111122223333"));
    assertThat(resolvedUi(otherAccount).backends()).hasSize(1);
  }

  /**
   * A backend's ARN naming this input's own (unshared) mesh but a service not in the input: AWS's
   * howto-k8s-cross-cluster walkthrough does exactly this (cluster 1's front reaches colorapp,
   * which cluster 2 holds in the same mesh of the same account), and App Mesh accepted it. So it is
   * a warning that says the node gets no route to it, not an error (it was one until the
   * cross-cluster layout was validated one cluster at a time).
   */
  @Test
  void aMissingServiceOfTheInputsOwnMeshIsAWarningAsAnotherClusterMayHoldIt() {
    BuildResult r = build(BASE + ui("arn:aws:appmesh:us-west-2:111122223333:mesh/appmesh/virtualService/podinfo-typo.demo"));
    ObjectStatus s = r.status().get(UI);
    assertThat(s.accepted()).isTrue();
    assertThat(s.problems()).singleElement().satisfies(p -> {
      assertThat(p.severity()).isEqualTo(Severity.WARNING);
      assertThat(p.field()).isEqualTo(FIELD);
      assertThat(p.message()).isEqualTo("virtual service with App Mesh name podinfo-typo.demo is not in this input (mesh"
          + " appmesh): not served here, as if another cluster held it; this node gets no route to it");
    });
    assertThat(resolvedUi(r).backends()).extracting(ResolvedNode.Backend::service).containsExactly("podinfo.demo");
  }

  @Test
  void aServiceOfTheInputIsResolvedByItsArn() {
    BuildResult r = build(shared("111122223333")
        + ui("arn:aws:appmesh:us-west-2:111122223333:mesh/appmesh/virtualService/podinfo.demo").replace(
            "{virtualService: {virtualServiceRef: {name: podinfo}}}, ", ""));
    assertThat(r.status().get(UI).problems()).isEmpty();
    assertThat(resolvedUi(r).backends()).extracting(ResolvedNode.Backend::service).containsExactly("podinfo.demo");
  }

  @Test
  void aGatewayRouteToAnotherAccountsServiceIsUnsupported() {
    String gr = "\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: GatewayRoute\nmetadata: {name: remote, namespace: demo}\n"
        + "spec: {httpRoute: {match: {prefix: /remote}, action: {target: {virtualService: {virtualServiceARN: "
        + "\"arn:aws:appmesh:us-west-2:444455556666:mesh/backend-mesh/virtualService/yelb-appserver.yelb\"}}}}}\n";
    BuildResult r = build(BASE + gr);
    ObjectStatus s = r.status().get(new ObjectRef("GatewayRoute", "demo", "remote"));
    assertThat(s.accepted()).isFalse();
    assertThat(s.condition().reason()).isEqualTo(Reason.Unsupported);
    assertThat(s.problems()).singleElement().satisfies(p -> {
      assertThat(p.severity()).isEqualTo(Severity.UNSUPPORTED);
      assertThat(p.message()).endsWith(": not served here, so this object cannot be served");
    });
  }

  @Test
  void aServiceOfAnotherMeshOfTheInputIsStillACrossMeshError() {
    String other = "\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: other}\nspec: {}\n";
    BuildResult r = build(BASE + other + ui("arn:aws:appmesh:us-west-2:111122223333:mesh/other/virtualService/x.demo"));
    assertThat(r.status().get(UI).problems()).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo(Reason.CrossMeshReference);
      assertThat(p.message()).isEqualTo("ARN names mesh other, not appmesh");
    });
  }
}
