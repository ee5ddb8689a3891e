package io.appmeshxds.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code appmesh-xds}. */
@Command(
    name = "appmesh-xds",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Self-hosted Envoy control plane for AWS App Mesh (appmesh.k8s.aws/v1beta2) objects.",
    subcommands = {ServeCommand.class, ValidateCommand.class, RenderCommand.class, DiffCommand.class, BootstrapCommand.class, InjectCommand.class, DemoCommand.class,
      ExportLogsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"appmesh-xds " + (v == null ? "dev" : v)};
    }
  }
}
