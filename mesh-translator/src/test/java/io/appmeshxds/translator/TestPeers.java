package io.appmeshxds.translator;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that run a real peer outside the JVM (grpc-js under Node, gRPC C-core under
 * Debian's python3, kubectl, RE2 through g++): a missing peer fails the build, unless it was run with
 * {@code -Dpeers.optional=true}, which skips those tests instead and prints a banner naming each one
 * and why at the end of the module's test run (and in {@code target/surefire-reports}).
 *
 * <p>{@code .ci/run} installs every peer, so CI runs them all. The old switch {@code
 * APPMESH_XDS_REQUIRE_PEERS=1} is still honored (it wins over {@code peers.optional}).
 *
 * <p>{@link TestPeersBanner} prints the banner.
 */
public final class TestPeers {
  /** The system property (a Maven user property, passed on by Surefire) that makes a missing peer a skip. */
  public static final String OPTIONAL = "peers.optional";
  /** Legacy: set to 1 by .ci/run; a missing peer is then a failure whatever {@link #OPTIONAL} says. */
  public static final String REQUIRE_ENV = "APPMESH_XDS_REQUIRE_PEERS";

  private static final List<String> SKIPPED = new ArrayList<>();

  /** True only when {@code -Dpeers.optional=true} was given (and the legacy switch is not set). */
  public static boolean optional() {
    return Boolean.getBoolean(OPTIONAL) && !"1".equals(System.getenv(REQUIRE_ENV));
  }

  /**
   * Call when {@code peer} cannot run here, {@code why} saying why and how to install it: fails the
   * test, or (with {@code -Dpeers.optional=true}) records it for the banner and aborts the test.
   */
  public static void missing(String peer, String why) {
    missing(null, peer, why);
  }

  /** As {@link #missing(String, String)}, naming {@code test} (e.g. the concrete class of an abstract test). */
  public static void missing(Class<?> test, String peer, String why) {
    String line = peer + ": " + why;
    if (!optional()) {
      throw new AssertionError("test peer missing: " + line + ". Install it (.ci/run installs every peer), or run with -D"
          + OPTIONAL + "=true to skip the tests that need it.");
    }
    String where = test != null ? test.getName() : caller();
    synchronized (SKIPPED) {
      if (!SKIPPED.contains(where + " - " + line)) {
        SKIPPED.add(where + " - " + line);
      }
    }
    System.err.println("PEER TEST SKIPPED (-D" + OPTIONAL + "=true): " + where + " - " + line);
    Assumptions.abort("PEER TEST SKIPPED (-D" + OPTIONAL + "=true): " + line);
  }

  /** The skips recorded so far in this JVM, one line each (for tests of this rule). */
  public static List<String> skipped() {
    synchronized (SKIPPED) {
      return List.copyOf(SKIPPED);
    }
  }

  /** Drops the recorded skips of {@code peer} (TestPeersTest's own, so they do not reach the banner). */
  static void forget(String peer) {
    synchronized (SKIPPED) {
      SKIPPED.removeIf(l -> l.contains(" - " + peer + ": "));
    }
  }

  private static String caller() {
    return StackWalker.getInstance().walk(s -> s.map(StackWalker.StackFrame::getClassName)
        .filter(c -> !c.equals(TestPeers.class.getName()) && c.contains("Test")).findFirst().orElse("?"));
  }
}
