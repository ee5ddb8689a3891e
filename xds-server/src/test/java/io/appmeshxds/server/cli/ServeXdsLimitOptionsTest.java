package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.grpc.XdsLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s xDS limit flags: parsed into the limits, defaults when absent, a bad value is a usage error naming the flag. */
class ServeXdsLimitOptionsTest {

  @Test
  void flagsBecomeTheLimitsAndAbsentOnesKeepTheirDefaults() {
    ServeCommand serve = new ServeCommand();
    CommandLine cl = new CommandLine(serve);
    cl.parseArgs("--xds-max-streams-per-peer", "7", "--xds-max-streams", "900", "--xds-max-request-bytes", "1048576",
        "--xds-max-resource-names", "5000", "--xds-max-node-id-chars", "400", "--xds-max-node-bytes", "2048",
        "--xds-max-version-chars", "128", "--xds-max-nack-message-chars", "300", "--xds-max-logged-chars", "200",
        "--xds-log-lines-per-minute", "10");
    XdsLimits l = serve.xdsLimits.limits(cl.getCommandSpec());
    assertThat(l).isEqualTo(new XdsLimits(7, 900, 1 << 20, 5000, 400, 2048, 128, 300, 200, 10));
    ServeCommand plain = new ServeCommand();
    CommandLine c2 = new CommandLine(plain);
    c2.parseArgs();
    assertThat(plain.xdsLimits.limits(c2.getCommandSpec())).isEqualTo(XdsLimits.defaults());
  }

  @Test
  void aBadValueExitsWithTwoAndNamesTheFlag() {
    StringWriter err = new StringWriter();
    assertThat(ServeKubernetesOptionsTest.run(err, "serve", "--xds-max-streams-per-peer", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--xds-max-streams-per-peer must be between 1 and 1000000 (got 0)");
    StringWriter err2 = new StringWriter();
    assertThat(ServeKubernetesOptionsTest.run(err2, "serve", "--xds-max-request-bytes", "70000", "--xds-max-node-bytes",
        "100000")).isEqualTo(2);
    assertThat(err2.toString()).contains("--xds-max-node-bytes (100000) cannot exceed --xds-max-request-bytes (70000)");
  }

  @Test
  void helpListsTheLimitFlags() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("serve", "--help")).isZero();
    for (String flag : XdsLimits.FLAGS) {
      assertThat(out.toString()).contains(flag);
    }
  }
}
