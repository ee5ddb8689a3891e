package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** How the CLI reports a mistyped option and a port that is taken: one clear line each. */
class CliErrorsTest {
  @Test
  void anUnknownOptionIsNamedEvenWhenAPositionalParameterIsMissingToo() {
    CliRun.Result r = CliRun.run("validate", "--bogus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("Unknown option: '--bogus'").doesNotContain("Missing required parameter");
  }

  @Test
  void aMistypedOptionGetsTheClosestOne() {
    CliRun.Result r = CliRun.run("render", "--manifest", "x", "--node", "mesh/m/virtualNode/a_b");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--manifest'").contains("--manifests");
  }

  @Test
  void aNegativeNumberIsAValueNotAnUnknownOption() {
    assertThat(Main.unknownOptions(new picocli.CommandLine(new ValidateCommand()), new String[] {"-5", "--output=json", "-"}))
        .isEmpty();
  }

  @Test
  void aPortInUseIsOneLineNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun.Result r = CliRun.run("serve", "--manifests", "../deploy/examples/podinfo", "--bind", "127.0.0.1",
          "--xds-port", String.valueOf(taken.getLocalPort()), "--admin-port", "0");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip()).isEqualTo("error: 127.0.0.1:" + taken.getLocalPort() + " is already in use (another process"
          + " listens there); stop it or choose other ports (serve: --xds-port, --admin-port, --als-port, --webhook-port)");
    }
  }

  @Test
  void renderForTheKubernetesNameSuggestsTheNodeId() {
    CliRun.Result r = CliRun.run("render", "--manifests", "../deploy/examples/podinfo", "--node",
        "mesh/appmesh/virtualNode/podinfo-primary");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("error: unknown node mesh/appmesh/virtualNode/podinfo-primary: no accepted VirtualNode"
        + " podinfo-primary in mesh appmesh; did you mean mesh/appmesh/virtualNode/podinfo-primary_demo?");
  }
}
