package io.appmeshxds.translator.re2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RE2 program sizes without RE2 at hand: values RE2 2022-06-01 printed for these patterns (the
 * calibration against RE2 itself, over the whole corpus, is {@link Re2PeerTest}), what RE2's parser
 * rejects and re2j does not, and the bound that keeps a hostile pattern cheap.
 */
class Re2ProgramSizeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '\t', value = {
      "a\t5",
      "^abc$\t4",
      ".\t12",
      "[^:]\t12",
      "(?i)k\t8",
      "a{2,5}\t12",
      "(a{2}){500}\t2004",
      "(?:a+)?\t5",
      "a*a\t6",
      "^a|^b\t3",
      ".*Firefox.*\t27",
      "^.{0,128}(iPhone|Android).*$\t1177",
      "(?i)internal-my-load-balancer-1234567890\\.us-west-2\\.elb\\.amazonaws\\.com\\.example(:[0-9]+)?\t88",
      "(?i)[^:]*internal-my-load-balancer-1234567890\\.us-west-2\\.elb\\.amazonaws\\.com\\.example(:[0-9]+)?\t96"})
  void sizesAsRe2CountsThem(String pattern, int size) {
    Re2ProgramSize.Result r = Re2ProgramSize.of(pattern);
    assertThat(r.error()).isNull();
    assertThat(r.atLeast()).isFalse();
    assertThat(r.approximate()).isFalse();
    assertThat(r.size()).isEqualTo(size);
  }

  @Test
  void theLimitIsInclusive() {
    // x{996}: 996 byte ranges, the match, the fail instruction and the unanchored loop's two.
    assertThat(Re2ProgramSize.of("x{996}").size()).isEqualTo(1000);
    assertThat(Re2ProgramSize.of("x{996}").fits(1000)).isTrue();
    assertThat(Re2ProgramSize.of("x{997}").fits(1000)).isFalse();
  }

  @Test
  void nestedCountsMultiplyingBeyondAThousandAreRejectedAsRe2Does() {
    assertThat(Re2ProgramSize.of("(a{2}){500}").error()).isNull();
    assertThat(Re2ProgramSize.of("(a{2}){501}").error()).startsWith("invalid repetition size: {501}");
    assertThat(Re2ProgramSize.of("((a{10}){10}){11}").error()).startsWith("invalid repetition size: {11}");
    assertThat(Re2ProgramSize.of("(a{2,}){501}").error()).startsWith("invalid repetition size");
    // Unbounded repetitions do not count; x{1001} is re2j's own error.
    assertThat(Re2ProgramSize.of("(a*){1000}").error()).isNull();
    assertThat(Re2ProgramSize.of("x{1001}").error()).isNotNull();
  }

  @Test
  void aHostilePatternIsBoundedWithoutBuildingIt() {
    long t0 = System.nanoTime();
    Re2ProgramSize.Result nested = Re2ProgramSize.of("((((a{1,1000}){1,1000}){1,1000}){1,1000})");
    Re2ProgramSize.Result wide = Re2ProgramSize.of("(?:[a-z0-9]{1000}){1}(?:\\w{1000})(?:\\pL{1000})");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(nested.error()).startsWith("invalid repetition size");
    // A million instructions and more: a lower bound from the tree walk, never built.
    assertThat(wide.atLeast()).isTrue();
    assertThat(wide.size()).isGreaterThan(700_000);
    assertThat(wide.fits(Integer.MAX_VALUE)).isFalse();
    assertThat(ms).as("milliseconds for both").isLessThan(2_000);
  }

  @Test
  void aVeryLongPatternIsNotMeasured() {
    assertThat(Re2ProgramSize.of("a".repeat(4096)).size()).isEqualTo(4100);
    assertThat(Re2ProgramSize.of("a".repeat(4097)).error()).startsWith("longer than 4096 characters");
  }

  @Test
  void unicodePropertyClassesCarryTheMarginAndStayAboveRe2() {
    Re2ProgramSize.Result letters = Re2ProgramSize.of("\\pL");
    assertThat(letters.approximate()).isTrue();
    // RE2 2022-06-01: 1197; RE2's newer tables only add letters.
    assertThat(letters.size()).isBetween(1197, (int) Math.ceil(1197 * 1.10));
    assertThat(letters.describe()).startsWith("about ");
    assertThat(Re2ProgramSize.of("\\p{Greek}").size()).isBetween(66, 73);
  }

  @Test
  void whyRejectedNamesTheSizeAndTheLimit() {
    assertThat(Re2ProgramSize.whyRejected(".*Firefox.*")).isNull();
    assertThat(Re2ProgramSize.whyRejected("^.{0,128}(iPhone|Android).*$")).isEqualTo("is too large: RE2 program size 1177 "
        + "exceeds 1000, the limit our bootstrap sets (re2.max_program_size.error_level); Envoy would reject the whole route table");
    assertThat(Re2ProgramSize.whyRejected("(?=x)")).startsWith("is not a valid RE2 regular expression: ");
  }
}
