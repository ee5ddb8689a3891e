package io.appmeshxds.server.cli;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.configdump.ConfigDumpWriter;
import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code appmesh-xds render}: prints the Envoy resources a node would receive. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the Envoy resources NODE_ID would receive, as one JSON object",
      "{\"listeners\":[…],\"routes\":[…],\"clusters\":[…],\"endpoints\":[…],\"secrets\":[…]} (proto3 JSON; Any carries @type;",
      "sensitive fields such as a private key read \"[redacted]\", as in Envoy's dump). ACM is never called: ACM secrets show stand-ins.",
      "With --format config-dump: the same resources in the shape of Envoy's admin /config_dump?include_eds "
          + "(envoy.admin.v3.ConfigDump, proto field names: configs[] of clusters, endpoints, listeners, routes, secrets; "
          + "each resource a dynamic_* entry with our version_info and no last_updated; sensitive fields read \"[redacted]\"), "
          + "to compare with a running Envoy's dump by any tool, or with `appmesh-xds diff`.",
      "AWS Cloud Map nodes: without --cloud-map their clusters have no endpoints (a note says so); with it, "
          + "the instances Cloud Map returns now.",
      "Exit codes: 0, 1 if the node is unknown or the manifests are invalid for it, 2 usage/IO error."
    })
final class RenderCommand implements Callable<Integer> {

  /** Output shapes, by their option value. */
  enum Format {
    JSON("json"),
    CONFIG_DUMP("config-dump");

    private final String label;

    Format(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  @Option(names = "--manifests", required = true, paramLabel = "PATH", description = "Manifest file or directory (repeatable).")
  List<Path> manifests;

  @Option(names = "--node", required = true, paramLabel = "NODE_ID",
      description = "mesh/<mesh>/virtualNode/<name>, mesh/<mesh>/virtualGateway/<name>, or the full ARN form.")
  String node;

  @Option(names = "--proxyless", description = "Render what a proxyless gRPC client with this VirtualNode's identity receives.")
  boolean proxyless;

  @Option(names = "--legacy-header-matchers", description = "With --proxyless: header matchers for gRPC clients older than 1.56.")
  boolean legacy;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML); its tracing section shapes the output.")
  Path config;

  @Option(names = "--cloud-map", description = {
      "Ask AWS Cloud Map for the instances of the manifests' awsCloudMap VirtualNodes (once, as the server does: "
          + "the config's aws section, the SDK's default credential chain) and render them as endpoints.",
      "Without it render calls no AWS API: those clusters have no endpoints and a note names each."})
  boolean cloudMap;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", converter = FormatConverter.class,
      description = {"json (default): the resources by type, as above.",
          "config-dump: Envoy's ConfigDump shape (Envoy proxies only: a proxyless gRPC client has no /config_dump)."})
  Format format;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  Pipeline pipeline;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (pipeline == null) {
      pipeline = Pipelines.standard(ConfigFile.load(spec, config));
    }
    NodeKey key = NodeKey.parse(node, null, "envoy", "");
    if (key == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--node " + node + ": expected mesh/<mesh>/virtualNode/<name> or mesh/<mesh>/virtualGateway/<name>");
    }
    if (proxyless) {
      if (key.kind() != NodeKey.Kind.SIDECAR) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--proxyless needs a virtualNode identity");
      }
      // Why refuse: a gRPC client reports its config through CSDS (ClientConfig), not an admin
      // /config_dump; a ConfigDump of it would be a shape no real peer prints.
      if (format == Format.CONFIG_DUMP) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--format config-dump is the shape of Envoy's admin /config_dump; a proxyless gRPC client has none "
                + "(it reports its config through CSDS): use --format json with --proxyless");
      }
      key = NodeKey.proxyless(key.mesh(), key.name(), legacy ? Dialect.GRPC_LEGACY : Dialect.GRPC);
    }
    NodeConfig.Result r = NodeConfig.translate(pipeline, manifests, key, node, cloudMap ? askCloudMap() : null);
    if (r.failure() != null) {
      r.errors().forEach(err::println);
      err.flush();
      return r.failure() == NodeConfig.Failure.IO ? 2 : 1;
    }
    r.messages().forEach(err::println);
    // Both shapes redact sensitive fields (a secret's key) as Envoy's own dump does.
    out.println(format == Format.CONFIG_DUMP ? ConfigDumpWriter.json(r.resources())
        : pipeline.json().render(ConfigDumpWriter.redacted(r.resources())));
    out.flush();
    err.flush();
    return 0;
  }

  /** Cloud Map, asked once per question with the config's aws section; a failure is that question's answer. */
  private NodeConfig.CloudMapLookup askCloudMap() {
    io.appmeshxds.tracing.config.ControlPlaneConfig.Aws aws = ConfigFile.load(spec, config).aws();
    return questions -> {
      java.util.Map<io.appmeshxds.translator.input.CloudMapQuery, io.appmeshxds.translator.input.CloudMapAnswer> out =
          new java.util.TreeMap<>();
      try (io.appmeshxds.server.aws.AwsClients clients = new io.appmeshxds.server.aws.AwsClients(aws);
          var client = clients.serviceDiscoveryWithoutRetries()) {
        for (var q : questions) {
          try {
            out.put(q, io.appmeshxds.server.cloudmap.CloudMapDiscovery.discover(client, aws.cloudMap(), q));
          } catch (software.amazon.awssdk.core.exception.SdkException e) {
            out.put(q, io.appmeshxds.translator.input.CloudMapAnswer.failing(
                io.appmeshxds.server.cloudmap.CloudMapErrors.describe(e), java.time.Instant.now()));
          }
        }
      } catch (RuntimeException e) {
        // No client at all (no region, …): every question failed the same way.
        String why = e.getClass().getSimpleName() + ": " + e.getMessage();
        questions.forEach(q -> out.putIfAbsent(q, io.appmeshxds.translator.input.CloudMapAnswer.failing(why, java.time.Instant.now())));
      }
      return out;
    };
  }

  /** {@code json} or {@code config-dump}. */
  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.toString().equals(value)) {
          return f;
        }
      }
      throw new CommandLine.TypeConversionException("expected json or config-dump, not " + value);
    }
  }
}
