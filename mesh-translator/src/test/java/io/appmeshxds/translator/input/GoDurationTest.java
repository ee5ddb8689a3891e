package io.appmeshxds.translator.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's time.ParseDuration, as Flagger reads a Canary's timeouts, in whole milliseconds. */
class GoDurationTest {

  @ParameterizedTest
  @CsvSource({"15s,15000", "250ms,250", "1m30s,90000", "1.5h,5400000", "0,0", "-5s,-5000", "+2s,2000", "1500us,1",
      "999999ns,0", ".5s,500", "2h45m,9900000", "1.s,1000"})
  void parsesWhatGoParses(String text, long millis) {
    assertThat(GoDuration.millis(text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"15", "", "s", "15 s", "1d", "1h-2m", "abc", "5S"})
  void refusesWhatGoRefuses(String text) {
    assertThat(GoDuration.millis(text)).isNull();
  }
}
