package io.appmeshxds.server.cli;

import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;

/** {@code --config FILE} of {@code serve} and {@code render}: a bad file is a usage error (exit 2). */
final class ConfigFile {
  private ConfigFile() {}

  /** The config, {@link ControlPlaneConfig#defaults()} without a file. */
  static ControlPlaneConfig load(CommandLine.Model.CommandSpec spec, Path file) {
    if (file == null) {
      return ControlPlaneConfig.defaults();
    }
    try {
      return ConfigLoader.load(file);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--config " + file + ": cannot read: " + e);
    } catch (ConfigLoader.ConfigException e) {
      // Each problem is "<file>: <key.path>: <message>".
      throw new CommandLine.ParameterException(spec.commandLine(), "--config: " + String.join("; ", e.problems()));
    }
  }
}
