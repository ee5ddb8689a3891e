package io.appmeshxds.server.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code appmesh-xds}. */
@Command(
    name = "appmesh-xds",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Self-hosted Envoy control plane for AWS App Mesh (appmesh.k8s.aws/v1beta2) objects.",
    subcommands = {ServeCommand.class, ValidateCommand.class, RenderCommand.class, DiffCommand.class, BootstrapCommand.class, InjectCommand.class, StatusCommand.class, DemoCommand.class, ConvertCommand.class,
      ExportLogsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return configure(new CommandLine(new Main())).execute(args);
  }

  /** The error handling every entry point uses (main, tests). */
  static CommandLine configure(CommandLine cl) {
    cl.setParameterExceptionHandler(Main::badUsage);
    cl.setExecutionExceptionHandler(Main::failed);
    return cl;
  }

  /**
   * Usage errors, with an unknown option named as such: picocli reports a missing positional
   * parameter before an unmatched option ({@code validate --bogus} said "Missing required
   * parameter: 'PATH'"), which hides the real mistake.
   */
  static int badUsage(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    java.io.PrintWriter err = cmd.getErr();
    CommandLine.ParameterException shown = ex;
    if (!(ex instanceof CommandLine.UnmatchedArgumentException)) {
      List<String> unknown = unknownOptions(cmd, args);
      if (!unknown.isEmpty()) {
        shown = new CommandLine.UnmatchedArgumentException(cmd, unknown);
      }
    }
    err.println(shown.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(shown, err)) {
      err.print(cmd.getHelp().fullSynopsis());
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    }
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Option-like arguments after the subcommand's name that it does not declare. */
  static List<String> unknownOptions(CommandLine cmd, String[] args) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(cmd.getCommandName())) {
        start = i + 1;
        break;
      }
    }
    for (int i = start; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      if (a.length() > 1 && a.startsWith("-") && !a.equals("-")) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        if (cmd.getCommandSpec().findOption(name) == null && !(name.startsWith("-") && isNumber(name))) {
          out.add(a);
        }
      }
    }
    return out;
  }

  private static boolean isNumber(String s) {
    return s.matches("-[0-9]+");
  }

  /**
   * A command that could not run: a port already in use is one line naming the address (it was a
   * 19-line stack trace); anything unexpected keeps its stack trace, after a one-line summary.
   */
  static int failed(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    java.io.PrintWriter err = cmd.getErr();
    String bind = bindFailure(ex);
    if (bind != null) {
      err.println("error: " + bind);
      return 1;
    }
    err.println("error: " + cmd.getCommandName() + " failed: " + ex);
    ex.printStackTrace(err);
    return 1;
  }

  /** "address in use" anywhere in the cause chain, as one line, or null. */
  static String bindFailure(Throwable ex) {
    String address = null;
    boolean inUse = false;
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = String.valueOf(t.getMessage());
      java.util.regex.Matcher a = java.util.regex.Pattern.compile("Failed to bind to address /?(\\S+)").matcher(m);
      if (a.find()) {
        address = a.group(1);
      }
      inUse |= t instanceof java.net.BindException || m.contains("Address already in use");
    }
    if (!inUse) {
      return null;
    }
    return (address == null ? "a port this command listens on" : address) + " is already in use (another process listens"
        + " there); stop it or choose other ports (serve: --xds-port, --admin-port, --als-port, --webhook-port)";
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
