package io.appmeshxds.server.cli;

import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.CloudMapAnswer;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.plan.ClusterId;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

  /** Answers Cloud Map questions for an offline run (null: nobody asks Cloud Map). */
  interface CloudMapLookup {
    Map<CloudMapQuery, CloudMapAnswer> answer(Set<CloudMapQuery> questions);
  }

  /** {@code nodeText} is the node as the user wrote it (for messages). */
  static Result translate(Pipeline pipeline, List<Path> manifests, NodeKey key, String nodeText) {
    return translate(pipeline, manifests, key, nodeText, null);
  }

  /**
   * As {@link #translate(Pipeline, List, NodeKey, String)}, with {@code cloudMap} answering the
   * questions of the manifests' Cloud Map nodes; without it their clusters have no endpoints and a
   * note says so.
   */
  static Result translate(Pipeline pipeline, List<Path> manifests, NodeKey key, String nodeText, CloudMapLookup cloudMap) {
    LoadResult load = ManifestFiles.load(manifests);
    if (!load.ioErrors().isEmpty()) {
      return Result.failed(Failure.IO, load.ioErrors().stream().map(e -> "error: " + e).toList());
    }
    MeshResources in = MeshResources.of(load);
    if (cloudMap != null) {
      Set<CloudMapQuery> questions = new TreeSet<>();
      for (VirtualNode vn : in.<VirtualNode>ofKind(Kind.VirtualNode)) {
        CloudMapQuery q = CloudMapQuery.of(vn);
        if (q != null) {
          questions.add(q);
        }
      }
      if (!questions.isEmpty()) {
        in = in.withCloudMap(cloudMap.answer(questions));
      }
    }
    BuildResult built = pipeline.modelBuilder().build(io.appmeshxds.server.source.AcmReferences.withStandIns(in));
    ObjectStatus own = ownStatus(built, key);
    if (own != null && !own.accepted()) {
      return Result.failed(Failure.NODE, List.of("error: " + own.object() + " is rejected: " + own.condition().message()));
    }
    ProxyPlan plan = pipeline.planner().plan(key, new PlanContext(built.model()));
    if (plan == null) {
      String asked = "mesh/" + key.mesh() + (key.kind() == NodeKey.Kind.GATEWAY ? "/virtualGateway/" : "/virtualNode/") + key.name();
      List<String> close = io.appmeshxds.server.status.NodeSuggestions.closest(asked,
          io.appmeshxds.server.status.NodeSuggestions.known(built.model()));
      return Result.failed(Failure.NODE, List.of("error: unknown node " + nodeText + ": no accepted "
          + (key.kind() == NodeKey.Kind.GATEWAY ? "VirtualGateway" : "VirtualNode") + " " + key.name() + " in mesh " + key.mesh()
          + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")));
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
    cloudMapNotes(built, plan, messages);
    return new Result(new XdsTranslator(pipeline.extensions()).translate(plan), null, List.of(), messages);
  }

  /**
   * A note for each EDS cluster of a Cloud Map node this offline run has no answer for (its
   * endpoints come from Cloud Map at run time), or whose answer failed.
   */
  private static void cloudMapNotes(BuildResult built, ProxyPlan plan, List<String> messages) {
    for (ClusterPlan c : plan.clusters()) {
      if (!(c.id() instanceof ClusterId.Backend b) || c.type() != ClusterPlan.Type.EDS) {
        continue;
      }
      MeshGraph g = built.model().mesh(b.mesh());
      ResolvedNode n = g == null ? null : g.nodes().get(b.node());
      CloudMapQuery q = n == null ? null : CloudMapQuery.of(n.node());
      if (q == null) {
        continue;
      }
      CloudMapAnswer a = built.model().inputs().cloudMap().get(q);
      String name = io.appmeshxds.translator.xds.Names.cluster(b);
      if (a == null) {
        messages.add("note: " + name + ": endpoints come from AWS Cloud Map (" + q + ") at run time; none here "
            + "(render --cloud-map asks Cloud Map, with the config's aws section and the SDK's credentials)");
      } else if (a.failing()) {
        messages.add("note: " + name + ": AWS Cloud Map (" + q + ") did not answer: " + a.error() + "; no endpoints here");
      }
    }
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
