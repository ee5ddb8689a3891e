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
  void gatewayControllerNameMustBeADomainPrefixedPath() {
    for (String bad : new String[] {"no-slash", "Upper.example/x", "example.net/", "/x"}) {
      StringWriter err = new StringWriter();
      assertThat(run(err, "serve", "--kubernetes", "--gateway-controller-name", bad)).as(bad).isEqualTo(2);
      assertThat(err.toString()).contains("--gateway-controller-name " + bad + ": not a Gateway API controller name");
    }
  }

  @Test
  void kubernetesAndManifestsDoNotMix() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "serve", "--kubernetes", "--manifests", ".")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot be combined");
  }

  @Test
  void proxyAuthorizationPodsIsOnOrOffWithKubernetesAndAuthorization() {
    String[][] cases = {
        {"serve", "--proxy-authorization-pods", "off"},
        {"serve", "--kubernetes", "--proxy-authorization-pods", "maybe"},
        {"serve", "--kubernetes", "--proxy-authorization", "off", "--proxy-authorization-pods", "on"}};
    String[] expected = {"--proxy-authorization-pods needs --kubernetes", "--proxy-authorization-pods must be on or off",
        "--proxy-authorization-pods on needs proxy authorization warn or required"};
    for (int i = 0; i < cases.length; i++) {
      StringWriter err = new StringWriter();
      assertThat(run(err, cases[i])).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", cases[i])).contains(expected[i]);
    }
  }

  @Test
  void podsAreConsultedByDefaultInKubernetesModeOnly() {
    TransportSecurityOptions o = new TransportSecurityOptions();
    new CommandLine(o).parseArgs("--proxy-authorization", "required");
    assertThat(o.authorization(true, "127.0.0.1").pods()).isTrue();
    assertThat(o.describe(true)).endsWith("proxy authorization required (namespace, service account's pods)");
    assertThat(o.authorization(false, "127.0.0.1").pods()).isFalse();
    new CommandLine(o).parseArgs("--proxy-authorization", "required", "--proxy-authorization-pods", "off");
    assertThat(o.authorization(true, "127.0.0.1").pods()).isFalse();
    assertThat(o.describe(true)).endsWith("proxy authorization required (namespace only)");
  }

  @Test
  void helpListsTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--kubernetes", "--namespace=NS", "--proxy-authorization-pods=on|off");
  }
}
