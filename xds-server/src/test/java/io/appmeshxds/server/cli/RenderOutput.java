package io.appmeshxds.server.cli;

import java.nio.file.Path;

/** {@code appmesh-xds render} run as a user runs it, for tests outside this package. */
public record RenderOutput(int code, String out, String err) {
  public static RenderOutput run(Path manifests, String node, boolean configDump) {
    CliRun.Result r = configDump ? CliRun.run("render", "--manifests", manifests.toString(), "--node", node, "--format", "config-dump")
        : CliRun.run("render", "--manifests", manifests.toString(), "--node", node);
    return new RenderOutput(r.code(), r.out(), r.err());
  }
}
