package io.appmeshxds.server.cli;

import io.appmeshxds.server.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code appmesh-xds demo}. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the example mesh end to end on this machine, with no Envoy and no cluster: two gRPC backends",
      "(podinfo primary and canary), a proxyless gRPC client with the load tester's identity, and a canary walked",
      "the way Flagger walks it (weights 0 → 10 → 50 → 100, then an A/B test on the user-agent). Takes under a minute."
    })
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return new Demo(spec.commandLine().getOut()).run();
  }
}
