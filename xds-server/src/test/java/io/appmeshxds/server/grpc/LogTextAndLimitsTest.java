package io.appmeshxds.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Escaping and capping of client text, the log rate limiter, and validation of the limits. */
class LogTextAndLimitsTest {

  @Test
  void controlCharactersBecomeVisibleEscapes() {
    String evil = "node\n2026-12-07 ERROR forged line\r\u001b[31mred\u0000nul\ttab\\back\u2028sep\u0007bell";
    String out = LogText.escape(evil, 1000);
    assertThat(out).doesNotContain("\n", "\r", "\u001b", "\u0000", "\t", "\u2028", "\u0007")
        .isEqualTo("node\\n2026-12-07 ERROR forged line\\r\\e[31mred\\0nul\\ttab\\\\back\\u2028sep\\u0007bell");
    // Ordinary text (and non-ASCII letters) is left alone, and not copied.
    String plain = "mesh/appmesh/virtualNode/podinfo-primary_demo é 名";
    assertThat(LogText.escape(plain, 1000)).isSameAs(plain);
  }

  @Test
  void longTextIsCutWithAMarkerSayingHowMuch() {
    String big = "x".repeat(100_000);
    assertThat(LogText.escape(big, 256)).hasSize(256 + "…[+99744 chars]".length()).endsWith("…[+99744 chars]");
    assertThat(LogText.cap(big, 1024)).endsWith("…[+98976 chars]").startsWith("xxx");
    assertThat(LogText.cap("short", 1024)).isEqualTo("short");
    assertThat(LogText.escape(null, 10)).isEqualTo("null");
  }

  @Test
  void rateLimitedLogLetsNPerMinuteThroughAndCountsTheRest() {
    AtomicLong now = new AtomicLong(0);
    RateLimitedLog log = new RateLimitedLog(3, now::get);
    assertThat(log.tryAcquire()).isZero();
    assertThat(log.tryAcquire()).isZero();
    assertThat(log.tryAcquire()).isZero();
    for (int i = 0; i < 1000; i++) {
      assertThat(log.tryAcquire()).isEqualTo(-1);
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(59));
    assertThat(log.tryAcquire()).isEqualTo(-1);
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    // The first line of the next minute reports what was held back.
    assertThat(log.tryAcquire()).isEqualTo(1001);
    assertThat(log.tryAcquire()).isZero();
    assertThat(log.suppressedTotal()).isEqualTo(1001);
    assertThat(RateLimitedLog.note(1001)).contains("1001");
    assertThat(RateLimitedLog.note(0)).isEmpty();
  }

  @Test
  void limitsAreValidatedWithTheFlagName() {
    XdsLimits d = XdsLimits.defaults();
    assertThat(d.maxStreamsPerPeer()).isEqualTo(100);
    assertThat(d.maxRequestBytes()).isEqualTo(4 << 20);
    assertThatThrownBy(() -> d.withStreams(0, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--xds-max-streams-per-peer must be between 1 and 1000000 (got 0)");
    assertThatThrownBy(() -> d.withRequest(1000, 10)).hasMessageContaining("--xds-max-request-bytes must be between 65536");
    assertThatThrownBy(() -> d.withText(10, 256, 1024, 512, 60)).hasMessageContaining("--xds-max-node-id-chars");
    assertThatThrownBy(() -> new XdsLimits(100, 20_000, 65536, 20_000, 512, 1 << 20, 256, 1024, 512, 60))
        .hasMessageContaining("--xds-max-node-bytes (1048576) cannot exceed --xds-max-request-bytes (65536)");
    // Several problems are reported together.
    assertThatThrownBy(() -> new XdsLimits(0, 0, 65536, 20_000, 512, 1024, 256, 1024, 512, 0))
        .hasMessageContaining("--xds-max-streams-per-peer").hasMessageContaining("--xds-max-streams ")
        .hasMessageContaining("--xds-log-lines-per-minute");
  }
}
