package io.appmeshxds.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The header-matcher dialect picked from what real clients put in {@code node.user_agent_*}. */
class DialectTest {
  @Test
  void envoyAndMissingNames() {
    assertThat(Dialect.of("envoy", "1.34.0")).isEqualTo(Dialect.ENVOY);
    assertThat(Dialect.of("", "")).isEqualTo(Dialect.ENVOY);
    assertThat(Dialect.of(null, null)).isEqualTo(Dialect.ENVOY);
  }

  @Test
  void grpcJavaAndGoByTheirRelease() {
    assertThat(Dialect.of("gRPC Java", "1.85.1")).isEqualTo(Dialect.GRPC);
    assertThat(Dialect.of("gRPC Java", "1.55.0")).isEqualTo(Dialect.GRPC_LEGACY);
    assertThat(Dialect.of("gRPC Go", "1.56.0")).isEqualTo(Dialect.GRPC);
    assertThat(Dialect.of("gRPC Go", "")).isEqualTo(Dialect.GRPC_LEGACY);
  }

  @Test
  void grpcJsByItsOwnNumbering() {
    assertThat(Dialect.of("gRPC Node Pure JS", "1.14.1")).isEqualTo(Dialect.GRPC); // grpc-js-xds 1.14.1, seen on the wire
    assertThat(Dialect.of("gRPC Node Pure JS", "1.8.0")).isEqualTo(Dialect.GRPC_LEGACY);
  }

  @Test
  void cCoreByTheWrappingLanguagesReleaseNotItsCoreVersion() {
    // Debian bookworm python3-grpcio 1.51.1, as seen on the wire; it NACKs string_match
    // ("Invalid route header matcher specified.").
    assertThat(Dialect.of("gRPC C-core linux Python", "C-core 29.0.0 Python 1.51.1")).isEqualTo(Dialect.GRPC_LEGACY);
    assertThat(Dialect.of("gRPC C-core linux Python", "C-core 36.0.0 Python 1.60.0")).isEqualTo(Dialect.GRPC);
    assertThat(Dialect.of("gRPC C-core linux Ruby", "C-core 33.0.0 Ruby 1.56.0")).isEqualTo(Dialect.GRPC);
    // C++ reports only the core version, which is not a gRPC release: legacy fields, accepted by all.
    assertThat(Dialect.of("gRPC C-core linux", "C-core 36.0.0")).isEqualTo(Dialect.GRPC_LEGACY);
  }
}
