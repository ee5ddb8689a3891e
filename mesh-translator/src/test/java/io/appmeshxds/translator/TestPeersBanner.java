package io.appmeshxds.translator;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * A JUnit Platform listener (registered through {@code META-INF/services} of this module's test
 * classes, so also in every module using its test-jar) that prints, when a test run ends, a banner
 * naming every real-peer test {@link TestPeers} skipped and why. Kept apart from {@link TestPeers}
 * so that modules using the test-jar need the launcher API only at run time (Surefire provides it).
 */
public final class TestPeersBanner implements TestExecutionListener {
  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    List<String> s = TestPeers.skipped();
    if (s.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    b.append("\n##################################################################################\n");
    b.append("## ").append(s.size()).append(" real-peer test(s) SKIPPED because -D").append(TestPeers.OPTIONAL)
        .append("=true and the peer is missing:\n");
    s.forEach(l -> b.append("##   ").append(l).append('\n'));
    b.append("## These tests did not run. .ci/run installs every peer.\n");
    b.append("##################################################################################\n");
    // Straight to the process's stderr: Surefire's redirectTestOutputToFile would file System.err away.
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    err.print(b);
    err.flush();
    System.err.print(b);
  }
}
