package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code serve}'s manifest settings are validated with a clear message before anything starts. */
class ServeManifestOptionsTest {

  @Test
  void aSettlePeriodOutOfRangeIsAUsageError() {
    CliRun.Result r = CliRun.run("serve", "--manifest-settle-ms", "-1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--manifest-settle-ms must be between 0 and 600000, not -1").doesNotContain("\tat ");
  }

  @Test
  void aByteLimitThatIsNotOneIsAUsageError() {
    CliRun.Result r = CliRun.run("serve", "--max-manifest-bytes", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'0' is not a byte count (e.g. 33554432, 32Mi, 512Ki)").doesNotContain("\tat ");
  }
}
