package io.appmeshxds.server.cli;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.xds.XdsTranslator;
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
      "{\"listeners\":[…],\"routes\":[…],\"clusters\":[…],\"endpoints\":[…],\"secrets\":[…]} (proto3 JSON; Any carries @type).",
      "Exit codes: 0, 1 if the node is unknown or the manifests are invalid for it, 2 usage/IO error."
    })
final class RenderCommand implements Callable<Integer> {

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
      key = NodeKey.proxyless(key.mesh(), key.name(), legacy ? Dialect.GRPC_LEGACY : Dialect.GRPC);
    }
    LoadResult load = new ManifestLoader().loadPaths(manifests);
    if (!load.ioErrors().isEmpty()) {
      load.ioErrors().forEach(e -> err.println("error: " + e));
      err.flush();
      return 2;
    }
    BuildResult built = pipeline.modelBuilder().build(MeshResources.of(load));
    ObjectStatus own = ownStatus(built, key);
    if (own != null && !own.accepted()) {
      err.println("error: " + own.object() + " is rejected: " + own.condition().message());
      err.flush();
      return 1;
    }
    ProxyPlan plan = pipeline.planner().plan(key, new PlanContext(built.model()));
    if (plan == null) {
      err.println("error: unknown node " + node + ": no accepted " + (key.kind() == NodeKey.Kind.GATEWAY ? "VirtualGateway" : "VirtualNode")
          + " " + key.name() + " in mesh " + key.mesh());
      err.flush();
      return 1;
    }
    if (own != null) {
      own.problems().stream().filter(p -> !p.isError()).forEach(p -> err.println("warning: " + p.fieldAndMessage()));
    }
    plan.notes().forEach(n -> err.println("note: " + n));
    out.println(pipeline.json().render(new XdsTranslator(pipeline.extensions()).translate(plan)));
    out.flush();
    err.flush();
    return 0;
  }

  /** Status of the node's own object, found by App Mesh name. */
  private static ObjectStatus ownStatus(BuildResult built, NodeKey key) {
    String kind = key.kind() == NodeKey.Kind.GATEWAY ? "VirtualGateway" : "VirtualNode";
    for (ObjectStatus s : built.status().objects().values()) {
      ObjectRef r = s.object();
      if (r.kind().equals(kind) && (r.name() + "_" + r.namespace()).equals(key.name())) {
        return s;
      }
    }
    MeshGraph g = built.model().mesh(key.mesh());
    return g == null ? null : null;
  }
}
