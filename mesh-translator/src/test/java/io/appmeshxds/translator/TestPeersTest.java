package io.appmeshxds.translator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing peer fails the build by default; -Dpeers.optional=true turns it into a recorded, loud skip. */
class TestPeersTest {
  private final String saved = System.getProperty(TestPeers.OPTIONAL);

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(TestPeers.OPTIONAL);
    } else {
      System.setProperty(TestPeers.OPTIONAL, saved);
    }
  }

  @Test
  void aMissingPeerFailsUnlessPeersAreOptional() {
    System.setProperty(TestPeers.OPTIONAL, "false");
    assertThatThrownBy(() -> TestPeers.missing("frobnicator", "no frob on PATH"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("test peer missing: frobnicator: no frob on PATH. Install it (.ci/run installs every peer), "
            + "or run with -Dpeers.optional=true to skip the tests that need it.");
    assertThat(TestPeers.skipped()).noneMatch(l -> l.contains("frobnicator"));
  }

  @Test
  void withPeersOptionalTheTestIsAbortedAndListedForTheBanner() {
    org.junit.jupiter.api.Assumptions.assumeFalse("1".equals(System.getenv(TestPeers.REQUIRE_ENV)),
        "APPMESH_XDS_REQUIRE_PEERS=1 overrides -Dpeers.optional");
    System.setProperty(TestPeers.OPTIONAL, "true");
    assertThatThrownBy(() -> TestPeers.missing("frobnicator", "no frob on PATH"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("PEER TEST SKIPPED (-Dpeers.optional=true): frobnicator: no frob on PATH");
    assertThat(TestPeers.skipped()).contains(TestPeersTest.class.getName() + " - frobnicator: no frob on PATH");
    TestPeers.forget("frobnicator");
    assertThat(TestPeers.skipped()).noneMatch(l -> l.contains("frobnicator"));
  }
}
