package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks contributed by other modules land in the object's status; a warning keeps it served. */
class ObjectValidatorTest {
  static final String MESH = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: demo, labels: {mesh: m}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata: {name: m}
      spec: {namespaceSelector: {matchLabels: {mesh: m}}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: a, namespace: demo, annotations: {example.io/flag: "bad"}}
      spec: {podSelector: {matchLabels: {app: a}}}
      """;

  static List<Problem> flagCheck(io.appmeshxds.translator.api.MeshObject o, boolean error) {
    if (o instanceof VirtualNode vn && "bad".equals(vn.metadata().annotations().get("example.io/flag"))) {
      ObjectRef ref = ObjectRef.of(o);
      return List.of(error ? Problem.error(Reason.InvalidSpec, ref, "metadata.annotations[example.io/flag]", "bad flag")
          : Problem.warning(ref, "metadata.annotations[example.io/flag]", "bad flag; ignored"));
    }
    return List.of();
  }

  @Test
  void aWarningIsReportedAndTheObjectIsServed() {
    BuildResult r = new MeshModelBuilder(new LocalRuleCache(), List.of(o -> flagCheck(o, false)), List.of())
        .build(TestManifests.resources(MESH));
    ObjectStatus s = r.status().get(new ObjectRef("VirtualNode", "demo", "a"));
    assertThat(s.accepted()).isTrue();
    assertThat(s.condition().isTrue()).isTrue();
    assertThat(s.condition().message()).isEqualTo("1 warning(s): metadata.annotations[example.io/flag]: bad flag; ignored");
    assertThat(r.model().mesh("m").nodes()).containsOnlyKeys("a_demo");
  }

  @Test
  void anErrorRejectsTheObject() {
    BuildResult r = new MeshModelBuilder(new LocalRuleCache(), List.of(o -> flagCheck(o, true)), List.of())
        .build(TestManifests.resources(MESH));
    assertThat(r.status().get(new ObjectRef("VirtualNode", "demo", "a")).accepted()).isFalse();
    assertThat(r.model().mesh("m").nodes()).isEmpty();
  }
}
