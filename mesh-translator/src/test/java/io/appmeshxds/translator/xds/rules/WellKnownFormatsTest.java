package io.appmeshxds.translator.xds.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WellKnownFormatsTest {

  @Test
  void ipv4() {
    assertThat(WellKnownFormats.isIpv4("0.0.0.0")).isTrue();
    assertThat(WellKnownFormats.isIpv4("255.255.255.255")).isTrue();
    for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ",
        "1..2.3", "a.b.c.d", "1.2.3.-4", "1234.1.1.1"}) {
      assertThat(WellKnownFormats.isIpv4(bad)).as(bad).isFalse();
    }
  }

  @Test
  void ipv6() {
    for (String good : new String[] {"::", "::1", "1::", "fe80::1", "2001:db8::8a2e:370:7334",
        "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:192.168.0.1", "64:ff9b::10.0.0.1",
        "ABCD:ef01::"}) {
      assertThat(WellKnownFormats.isIpv6(good)).as(good).isTrue();
    }
    for (String bad : new String[] {"", ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "12345::", "g::1", "[::1]", "fe80::1%eth0", "::1.2.3", "1.2.3.4::",
        ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7::8"}) {
      assertThat(WellKnownFormats.isIpv6(bad)).as(bad).isFalse();
    }
  }

  @Test
  void hostnames() {
    assertThat(WellKnownFormats.isHostname("a")).isTrue();
    assertThat(WellKnownFormats.isHostname("xn--bcher-kva.example.")).isTrue();
    assertThat(WellKnownFormats.isHostname("a".repeat(63) + ".com")).isTrue();
    for (String bad : new String[] {"", ".", "a..b", "-a.com", "a-.com", "a_b.com", "a".repeat(64),
        "a b", "é.com", ("a".repeat(60) + ".").repeat(5)}) {
      assertThat(WellKnownFormats.isHostname(bad)).as(bad).isFalse();
    }
  }

  @Test
  void headerNamesFollowEnvoysStrictRegex() {
    // ^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$ — "+-." is a range, so ',' is accepted too.
    assertThat(WellKnownFormats.isHeaderName("x-request-id")).isTrue();
    assertThat(WellKnownFormats.isHeaderName(":path")).isTrue();
    assertThat(WellKnownFormats.isHeaderName("a,b")).isTrue();
    assertThat(WellKnownFormats.isHeaderName(":")).isFalse();
    assertThat(WellKnownFormats.isHeaderName("a:b")).isFalse();
    assertThat(WellKnownFormats.isHeaderName("a/b")).isFalse();
    assertThat(WellKnownFormats.isHeaderValue("v\u0080é")).isTrue();
    assertThat(WellKnownFormats.isHeaderValue("a\u007fb")).isFalse();
    assertThat(WellKnownFormats.isHeaderString("a\u0001b")).isTrue();
    assertThat(WellKnownFormats.isHeaderString("a\u0000b")).isFalse();
  }

  @Test
  void emailsAndUuids() {
    assertThat(WellKnownFormats.isEmail("first.last+tag@example.com")).isTrue();
    assertThat(WellKnownFormats.isEmail("\"quoted local\"@example.com")).isTrue();
    assertThat(WellKnownFormats.isEmail("no-at-sign")).isFalse();
    assertThat(WellKnownFormats.isEmail(".lead@example.com")).isFalse();
    assertThat(WellKnownFormats.isEmail("a".repeat(65) + "@example.com")).isFalse();
    assertThat(WellKnownFormats.isUuid("123E4567-E89B-12D3-A456-426614174000")).isTrue();
    assertThat(WellKnownFormats.isUuid("123e4567-e89b-12d3-a456-42661417400g")).isFalse();
  }

  @Test
  void durationsAreSpelledLikeEnvoy() {
    assertThat(Text.duration(Duration.ZERO)).isEqualTo("0s");
    assertThat(Text.duration(Duration.ofNanos(1))).isEqualTo("1ns");
    assertThat(Text.duration(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
    assertThat(Text.duration(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Text.duration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Text.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Text.duration(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(Text.duration(Duration.ofSeconds(-3))).isEqualTo("-3s");
  }
}
