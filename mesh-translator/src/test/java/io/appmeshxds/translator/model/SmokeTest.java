package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.status.ObjectStatus;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void baseMeshIsAccepted() {
    BuildResult r = new MeshModelBuilder().build(TestManifests.resources(TestManifests.resource("model/base.yaml")));
    for (ObjectStatus s : r.status().objects().values()) {
      System.out.println(s.object() + " -> " + s.condition() + " " + s.problems());
    }
    System.out.println(r.model());
    assertThat(r.status().hasErrors()).isFalse();
  }
}
