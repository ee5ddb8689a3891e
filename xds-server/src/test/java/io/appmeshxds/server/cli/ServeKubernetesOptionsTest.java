package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage errors of the cluster-mode options exit with 2 before anything starts. */
class ServeKubernetesOptionsTest {

  static int run(StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void namespaceNeedsKubernetes() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "serve", "--namespace", "demo")).isEqualTo(2);
    assertThat(err.toString()).contains("--namespace needs --kubernetes");
  }

  @Test
  void kubernetesAndManifestsDoNotMix() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "serve", "--kubernetes", "--manifests", ".")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot be combined");
  }

  @Test
  void helpListsTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--kubernetes", "--namespace=NS");
  }
}
