package io.appmeshxds.server.cli;

import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node would receive from a set of manifests: the steps {@code render} and {@code diff}
 * share (load, validate and resolve, plan the node, translate). Each command decides the exit code
 * of a failure.
 */
final class NodeConfig {
  private NodeConfig() {}

  /** Why there is no configuration. */
  enum Failure {
    /** A manifest path could not be read. */
    IO,
    /** No accepted VirtualNode/VirtualGateway of that name, or it is rejected. */
    NODE
  }

  /**
   * The outcome.
   *
   * @param resources the node's resources, or null on failure
   * @param failure why not, or null
   * @param errors error lines ({@code error: …}) when failed
   * @param messages warnings and planner notes ({@code warning: …}, {@code note: …}) when it worked
   */
  record Result(XdsResources resources, Failure failure, List<String> errors, List<String> messages) {
    Result {
      errors = List.copyOf(errors);
      messages = List.copyOf(messages);
    }

    static Result failed(Failure f, List<String> errors) {
      return new Result(null, f, errors, List.of());
    }
  }

  /** {@code nodeText} is the node as the user wrote it (for messages). */
  static Result translate(Pipeline pipeline, List<Path> manifests, NodeKey key, String nodeText) {
    LoadResult load = new ManifestLoader().loadPaths(manifests);
    if (!load.ioErrors().isEmpty()) {
      return Result.failed(Failure.IO, load.ioErrors().stream().map(e -> "error: " + e).toList());
    }
    MeshResources in = MeshResources.of(load);
    MeshResources withStandIns = io.appmeshxds.server.source.AcmReferences.withStandIns(in);
    BuildResult built = pipeline.modelBuilder().build(withStandIns);
    ObjectStatus own = ownStatus(built, key);
    if (own != null && !own.accepted()) {
      return Result.failed(Failure.NODE, List.of("error: " + own.object() + " is rejected: " + own.condition().message()));
    }
    ProxyPlan plan = pipeline.planner().plan(key, new PlanContext(built.model()));
    if (plan == null) {
      return Result.failed(Failure.NODE, List.of("error: unknown node " + nodeText + ": no accepted "
          + (key.kind() == NodeKey.Kind.GATEWAY ? "VirtualGateway" : "VirtualNode") + " " + key.name() + " in mesh " + key.mesh()));
    }
    List<String> messages = new ArrayList<>();
    if (own != null) {
      own.problems().stream().filter(p -> !p.isError()).forEach(p -> messages.add("warning: " + p.fieldAndMessage()));
    }
    plan.notes().forEach(n -> messages.add("note: " + n));
    if (!plan.secrets().isEmpty()) {
      messages.add("note: " + plan.secrets().size() + " ACM secret(s) show stand-ins: this command does not call ACM; "
          + "a running control plane serves what ACM exports, over SDS, to this proxy only");
    }
    return new Result(new XdsTranslator(pipeline.extensions()).translate(plan), null, List.of(), messages);
  }

  /** Status of the node's own object, found by App Mesh name; null when there is none. */
  private static ObjectStatus ownStatus(BuildResult built, NodeKey key) {
    String kind = key.kind() == NodeKey.Kind.GATEWAY ? "VirtualGateway" : "VirtualNode";
    for (ObjectStatus s : built.status().objects().values()) {
      ObjectRef r = s.object();
      if (r.kind().equals(kind) && (r.name() + "_" + r.namespace()).equals(key.name())) {
        return s;
      }
    }
    return null;
  }
}
