package io.appmeshxds.translator.re2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RE2 program sizes without RE2 at hand: values RE2 2022-06-01 printed for these patterns lie
 * within our bounds, and the bounds are exact for the shapes that are (the calibration against RE2
 * itself, over the whole corpus, is {@link Re2PeerTest}); what RE2's parser rejects and re2j does
 * not; the bound that keeps a hostile pattern cheap.
 */
class Re2ProgramSizeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '\t', value = {
      "a\t5\ttrue",
      "^abc$\t4\tfalse",
      ".\t12\tfalse",
      "[^:]\t12\tfalse",
      "(?i)k\t8\tfalse",
      "a{2,5}\t12\tfalse",
      "(a{2}){500}\t2004\ttrue",
      "x{996}\t1000\ttrue",
      "[a-z0-9]{40}\t84\tfalse",
      "(?:a+)?\t5\tfalse",
      "a*a\t6\tfalse",
      "^a|^b\t3\tfalse",
      ".*Firefox.*\t27\tfalse",
      "^.{0,128}(iPhone|Android).*$\t1177\tfalse",
      "(?i)internal-my-load-balancer-1234567890\\.us-west-2\\.elb\\.amazonaws\\.com\\.example(:[0-9]+)?\t88\tfalse",
      "(?i)[^:]*internal-my-load-balancer-1234567890\\.us-west-2\\.elb\\.amazonaws\\.com\\.example(:[0-9]+)?\t96\tfalse"})
  void re2sSizeLiesWithinTheBounds(String pattern, int size, boolean exact) {
    Re2ProgramSize.Result r = Re2ProgramSize.of(pattern);
    assertThat(r.error()).isNull();
    assertThat(r.approximate()).isFalse();
    assertThat(r.lower()).isLessThanOrEqualTo(size);
    assertThat(r.upper()).isGreaterThanOrEqualTo(size);
    if (exact) {
      assertThat(r.lower()).isEqualTo(r.upper());
    }
  }

  @Test
  void theLimitIsInclusive() {
    // x{996}: 996 byte ranges, the match, the fail instruction and the unanchored loop's two.
    assertThat(Re2ProgramSize.of("x{996}").fits(1000)).isTrue();
    assertThat(Re2ProgramSize.of("x{997}").exceeds(1000)).isTrue();
    assertThat(Re2ProgramSize.of("x{997}").fits(1000)).isFalse();
  }

  @Test
  void aPatternWhoseBoundsStraddleTheLimitMayExceedIt() {
    // RE2: 1177. Our bounds hold it, and 1000 lies between them.
    Re2ProgramSize.Result r = Re2ProgramSize.of("^.{0,110}(iPhone|Android).*$");
    assertThat(r.lower()).isLessThanOrEqualTo(1000);
    assertThat(r.upper()).isGreaterThan(1000);
    assertThat(r.mayExceed(1000)).isTrue();
    assertThat(r.fits(1000) || r.exceeds(1000)).isFalse();
    assertThat(Re2ProgramSize.whyRejected("^.{0,110}(iPhone|Android).*$")).isNull();
    assertThat(Re2ProgramSize.whyDoubtful("^.{0,110}(iPhone|Android).*$")).startsWith("RE2 program size between ")
        .contains("may exceed 1000");
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
    // A million instructions and more: bounded from the tree, never built.
    assertThat(wide.upper()).isGreaterThan(700_000);
    assertThat(wide.lower()).isGreaterThan(3_000);
    assertThat(wide.exceeds(1000)).isTrue();
    assertThat(ms).as("milliseconds for both").isLessThan(2_000);
  }

  @Test
  void aVeryLongPatternIsNotMeasured() {
    assertThat(Re2ProgramSize.of("a".repeat(4096)).lower()).isEqualTo(4100);
    assertThat(Re2ProgramSize.of("a".repeat(4097)).error()).startsWith("longer than 4096 characters");
  }

  @Test
  void unicodePropertyClassesCarryTheMarginOnTheUpperBound() {
    Re2ProgramSize.Result letters = Re2ProgramSize.of("\\pL");
    assertThat(letters.approximate()).isTrue();
    // RE2 2022-06-01: 1197 (Re2PeerTest checks it against RE2 itself).
    assertThat(letters.lower()).isLessThanOrEqualTo(1197);
    assertThat(letters.upper()).isGreaterThanOrEqualTo(1197);
    assertThat(Re2ProgramSize.of("\\p{Greek}").lower()).isLessThanOrEqualTo(66);
    assertThat(Re2ProgramSize.of("\\p{Greek}").upper()).isGreaterThanOrEqualTo(66);
  }

  @Test
  void whyRejectedNamesTheSizeAndTheLimit() {
    assertThat(Re2ProgramSize.whyRejected(".*Firefox.*")).isNull();
    assertThat(Re2ProgramSize.whyDoubtful(".*Firefox.*")).isNull();
    assertThat(Re2ProgramSize.whyRejected("x{999}")).isEqualTo("is too large: RE2 program size 1003 "
        + "exceeds 1000, the limit our bootstrap sets (re2.max_program_size.error_level); Envoy would reject the whole route table");
    assertThat(Re2ProgramSize.whyRejected("(?=x)")).startsWith("is not a valid RE2 regular expression: ");
  }
}
