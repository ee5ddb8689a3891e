package io.appmeshxds.tracing.xds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** X-Ray's local sampling manifest (version 2) for a percentage. */
class TracingFactoryTest {

  @Test
  void samplingManifestCarriesTheRateAndOneRequestASecond() {
    assertThat(TracingFactory.samplingManifest(20)).isEqualTo("{\"version\":2,\"rules\":[],\"default\":{\"fixed_target\":1,\"rate\":0.2}}");
    assertThat(TracingFactory.samplingManifest(12.5)).contains("\"rate\":0.125");
    assertThat(TracingFactory.samplingManifest(100)).contains("\"fixed_target\":1,\"rate\":1}");
  }

  @Test
  void zeroPercentMeansNoRequestAtAll() {
    assertThat(TracingFactory.samplingManifest(0)).isEqualTo("{\"version\":2,\"rules\":[],\"default\":{\"fixed_target\":0,\"rate\":0}}");
  }
}
