package io.appmeshxds.tracing.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.tracing.config.ControlPlaneConfig.Provider;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Severity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Annotation values: valid ones override, invalid ones fall back to the mesh default and warn. */
class TracingOverridesTest {

  @Test
  void validValuesOverrideTheMeshDefault() {
    var e = TracingOverrides.resolve(Map.of(TracingOverrides.PROVIDER, " zipkin ", TracingOverrides.SAMPLING, "0.5%"),
        Provider.xray, 5);
    assertThat(e.provider()).isEqualTo(Provider.zipkin);
    assertThat(e.samplingPercent()).isEqualTo(0.5);
    assertThat(e.ignored()).isEmpty();
    assertThat(TracingOverrides.resolve(Map.of(TracingOverrides.PROVIDER, "none"), Provider.xray, 5).provider())
        .isEqualTo(Provider.none);
  }

  @Test
  void invalidValuesFallBackToTheMeshDefault() {
    for (String bad : new String[] {"", "-1", "100.1", "1e2", "NaN", "five", "50%%"}) {
      var e = TracingOverrides.resolve(Map.of(TracingOverrides.SAMPLING, bad), Provider.xray, 5);
      assertThat(e.samplingPercent()).as(bad).isEqualTo(5.0);
      assertThat(e.ignored()).as(bad).hasSize(1);
    }
    var e = TracingOverrides.resolve(Map.of(TracingOverrides.PROVIDER, "XRay"), Provider.opentelemetry, 5);
    assertThat(e.provider()).isEqualTo(Provider.opentelemetry);
    assertThat(e.ignored()).containsExactly("appmesh-xds.io/tracing=XRay: not a tracing provider (xray, opentelemetry, zipkin or none)");
  }

  @Test
  void theValidatorWarnsOnVirtualNodesAndIgnoresOtherKindsAndOtherAnnotations() {
    ObjectMeta meta = new ObjectMeta("a", "ns", Map.of(), Map.of(TracingOverrides.SAMPLING, "lots",
        "example.io/tracing", "x", TracingOverrides.PROVIDER, "xray"), null, null, null);
    var problems = new TracingOverrides().validate(new VirtualNode(meta, null));
    assertThat(problems).extracting(Problem::severity).containsExactly(Severity.WARNING);
    assertThat(problems.get(0).fieldAndMessage()).isEqualTo("metadata.annotations[appmesh-xds.io/tracing-sampling]: "
        + "not a percentage between 0 and 100 (got \"lots\"); ignored, the mesh-wide setting applies");
    assertThat(new TracingOverrides().validate(new Mesh(new ObjectMeta("m", null, Map.of(),
        Map.of(TracingOverrides.SAMPLING, "lots"), null, null, null), null))).isEmpty();
  }
}
