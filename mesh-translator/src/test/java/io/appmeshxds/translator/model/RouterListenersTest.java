package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import org.junit.jupiter.api.Test;

/**
 * A VirtualRouter's {@code listeners} is optional in App Mesh's CRD and API, so a router without
 * them was accepted; only an explicit empty list breaks the CRD's {@code minItems: 1}.
 */
class RouterListenersTest {
  static final String BASE = TestManifests.resource("model/base.yaml");
  static final ObjectRef ROUTER = new ObjectRef("VirtualRouter", "demo", "quiet");
  static final ObjectRef SERVICE = new ObjectRef("VirtualService", "demo", "quiet");

  static String mesh(String listeners) {
    return BASE + "\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualRouter\nmetadata: {name: quiet, namespace: demo}\n"
        + "spec: {" + listeners + "routes: [{name: r, httpRoute: {match: {prefix: /}, action: {weightedTargets: "
        + "[{virtualNodeRef: {name: podinfo-primary}, weight: 100}]}}}]}\n"
        + "---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualService\nmetadata: {name: quiet, namespace: demo}\n"
        + "spec: {provider: {virtualRouter: {virtualRouterRef: {name: quiet}}}}\n";
  }

  @Test
  void omittedListenersAreAcceptedWithAWarning() {
    BuildResult r = new MeshModelBuilder().build(TestManifests.resources(mesh("")));
    ObjectStatus router = r.status().get(ROUTER);
    assertThat(router.accepted()).isTrue();
    assertThat(router.problems()).extracting(Problem::field, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("spec.listeners",
            "no listeners: the virtual service this router provides has no port, so it gets no traffic"));
    assertThat(r.accepted()).containsKeys(ROUTER, SERVICE);
    assertThat(r.status().get(SERVICE).accepted()).isTrue();
  }

  @Test
  void anExplicitEmptyListIsRejectedAsTheCrdDid() {
    BuildResult r = new MeshModelBuilder().build(TestManifests.resources(mesh("listeners: [], ")));
    ObjectStatus router = r.status().get(ROUTER);
    assertThat(router.accepted()).isFalse();
    assertThat(router.problems()).filteredOn(Problem::isError).extracting(Problem::field, Problem::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.listeners", Reason.MalformedInput));
    assertThat(r.accepted()).doesNotContainKeys(ROUTER, SERVICE);
  }
}
