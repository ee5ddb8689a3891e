package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.Problem;
import io.appmeshxds.translator.status.Reason;
import io.appmeshxds.translator.status.StatusReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates and resolves a snapshot of inputs into a {@link MeshModel} and a {@link StatusReport}.
 *
 * <p>Kinds are resolved in dependency order (Mesh, BackendGroup, VirtualNode, VirtualRouter,
 * VirtualService, VirtualGateway, GatewayRoute), so "the referenced object is active" is known when
 * it is needed. A rejected object never invalidates another by itself; objects that require it to
 * be active (a router's targets, a service's provider, a gateway route's target) report
 * ReferenceNotActive.
 *
 * <p>Contributed {@link ComposabilityCheck}s run on each gateway route that passes every other
 * rule, against the mesh resolved so far; their errors reject it like any other rule's.
 *
 * <p>Last good: when the current version of an object is rejected and {@code lastGood} holds an
 * earlier version that still passes, the earlier version is served and the condition says so.
 */
public final class MeshModelBuilder {

  private static final List<Kind> ORDER = List.of(Kind.Mesh, Kind.BackendGroup, Kind.VirtualNode, Kind.VirtualRouter,
      Kind.VirtualService, Kind.VirtualGateway, Kind.GatewayRoute);

  private final LocalRuleCache cache;
  private final List<ObjectValidator> validators;
  private final List<ComposabilityCheck> checks;

  public MeshModelBuilder() {
    this(new LocalRuleCache());
  }

  public MeshModelBuilder(LocalRuleCache cache) {
    this(cache, List.of(), List.of());
  }

  /**
   * A builder that also runs {@code validators} on every object (after the built-in local rules)
   * and {@code checks} on every gateway route that passes the other rules (the gateway module
   * contributes one: can the route be composed with its target's routes?).
   */
  public MeshModelBuilder(LocalRuleCache cache, List<ObjectValidator> validators, List<ComposabilityCheck> checks) {
    this.cache = cache;
    this.validators = List.copyOf(validators);
    this.checks = List.copyOf(checks);
  }

  /** Builds without last-good versions. */
  public BuildResult build(MeshResources in) {
    return build(in, Map.of());
  }

  /** Builds; rejected objects fall back to their version in {@code lastGood} when that one passes. */
  public BuildResult build(MeshResources in, Map<ObjectRef, MeshObject> lastGood) {
    BuildContext ctx = new BuildContext(in, checks);
    Map<ObjectRef, List<Problem>> loadProblems = new HashMap<>();
    List<Problem> unattached = new ArrayList<>();
    for (Problem p : in.loadProblems()) {
      if (p.object() != null && p.object().appMeshKind() != null) {
        loadProblems.computeIfAbsent(p.object(), k -> new ArrayList<>()).add(p);
      } else {
        unattached.add(p);
      }
    }
    Map<ObjectRef, ObjectStatus> statuses = new TreeMap<>();
    for (Kind kind : ORDER) {
      if (kind == Kind.GatewayRoute && !checks.isEmpty()) {
        // Why: checks judge a gateway route against its target's routes, which are final by now.
        ctx.beforeGatewayRoutes = assemble(ctx, in);
      }
      for (MeshObject current : in.<MeshObject>ofKind(kind)) {
        ObjectRef ref = ObjectRef.of(current);
        List<Problem> loaded = loadProblems.getOrDefault(ref, List.of());
        Evaluation cur = evaluate(current, ctx);
        Evaluation used = cur.ok() ? cur : null;
        MeshObject previous = lastGood.get(ref);
        if (used == null && previous != null && !previous.equals(current)) {
          Evaluation old = evaluate(previous, ctx);
          used = old.ok() ? old : null;
        }
        if (used != null) {
          ctx.accept(ref, new BuildContext.Accepted(used.object(), Names.awsName(used.object()), used.mesh(), used.resolved()));
        }
        List<Problem> problems = new ArrayList<>(loaded);
        problems.addAll(cur.problems());
        boolean rejected = !cur.ok() || loaded.stream().anyMatch(Problem::isError);
        Long served = rejected && used != null ? used.object().metadata().generationOrZero() : null;
        statuses.put(ref, status(ref, current, problems, rejected, served, in));
      }
    }
    // Objects that did not even load (no version in the input) still get a False condition.
    loadProblems.forEach((ref, ps) -> statuses.computeIfAbsent(ref, r -> status(r, null, ps, true, null, in)));
    cache.endBuild();
    return new BuildResult(assemble(ctx, in), new StatusReport(statuses, attachSources(unattached, in)), served(ctx));
  }

  private record Evaluation(MeshObject object, String mesh, Object resolved, List<Problem> problems) {
    boolean ok() {
      return problems.stream().noneMatch(Problem::isError);
    }
  }

  private Evaluation evaluate(MeshObject o, BuildContext ctx) {
    Findings f = new Findings(ObjectRef.of(o));
    f.addAll(cache.get(o));
    for (ObjectValidator v : validators) {
      f.addAll(v.validate(o));
    }
    if (o instanceof Mesh m) {
      return new Evaluation(o, Names.awsName(m), null, f.list());
    }
    Mesh mesh = ctx.meshOf(o, f);
    if (mesh == null) {
      return new Evaluation(o, null, null, f.list());
    }
    String meshName = Names.awsName(mesh);
    if (ctx.accepted(ObjectRef.of(mesh)) == null) {
      f.error(Reason.MeshNotActive, "", "mesh " + mesh.name() + " is rejected; see its status");
    }
    ctx.checkNameConflict(o, meshName, f);
    if (f.hasErrors()) {
      return new Evaluation(o, meshName, null, f.list());
    }
    Object resolved = null;
    try {
      if (o instanceof VirtualNode vn) {
        resolved = NodeResolver.resolve(vn, meshName, ctx, f);
      } else if (o instanceof VirtualRouter vr) {
        resolved = RouterResolver.resolve(vr, meshName, ctx, f);
      } else if (o instanceof VirtualService vs) {
        resolved = ServiceResolver.resolve(vs, meshName, ctx, f);
      } else if (o instanceof VirtualGateway vg) {
        resolved = vg;
      } else if (o instanceof GatewayRoute gr) {
        resolved = GatewayResolver.resolve(gr, meshName, ctx, f);
      } else if (o instanceof BackendGroup bg) {
        NodeResolver.check(bg, meshName, ctx, f);
      }
    } catch (RuntimeException e) {
      // A resolver bug rejects this object only; everything else is still built.
      f.error(Reason.InvalidSpec, "", "internal error while resolving: " + e);
    }
    return new Evaluation(o, meshName, resolved, f.list());
  }

  private static ObjectStatus status(
      ObjectRef ref, MeshObject current, List<Problem> problems, boolean rejected, Long served, MeshResources in) {
    List<Problem> withSources = attachSources(problems, in);
    Kind kind = ref.appMeshKind();
    long generation = current == null ? 0 : current.metadata().generationOrZero();
    Condition c = null;
    if (kind != null && kind.conditionType() != null) {
      if (!rejected) {
        long warnings = withSources.stream().filter(p -> !p.isError()).count();
        c = new Condition(kind.conditionType(), "True", Reason.Accepted, warnings == 0 ? "" : warnings + " warning(s): "
            + join(withSources, false));
      } else {
        Problem first = withSources.stream().filter(Problem::isError).findFirst().orElseThrow();
        String msg = join(withSources, true);
        if (served != null) {
          msg += " (still serving the last accepted version, generation " + served + ")";
        }
        c = new Condition(kind.conditionType(), "False", first.reason(), msg);
      }
    }
    return new ObjectStatus(ref, generation, c, withSources, served);
  }

  private static String join(List<Problem> ps, boolean errors) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : ps) {
      if (p.isError() == errors) {
        if (sb.length() > 0) {
          sb.append("; ");
        }
        sb.append(p.fieldAndMessage());
      }
    }
    return sb.length() > 4000 ? sb.substring(0, 4000) + "…" : sb.toString();
  }

  private static List<Problem> attachSources(List<Problem> ps, MeshResources in) {
    List<Problem> out = new ArrayList<>(ps.size());
    for (Problem p : ps) {
      out.add(p.source() == null && p.object() != null && in.sources().containsKey(p.object())
          ? p.withSource(in.sources().get(p.object())) : p);
    }
    return out;
  }

  private static Map<ObjectRef, MeshObject> served(BuildContext ctx) {
    Map<ObjectRef, MeshObject> out = new HashMap<>();
    ctx.allAccepted().forEach((r, a) -> out.put(r, a.object()));
    return out;
  }

  private static MeshModel assemble(BuildContext ctx, MeshResources in) {
    Map<String, Map<Kind, Map<String, Object>>> byMesh = new TreeMap<>();
    for (BuildContext.Accepted a : ctx.allAccepted().values()) {
      if (a.object().kind() == Kind.Mesh || a.resolved() == null) {
        continue;
      }
      byMesh.computeIfAbsent(a.mesh(), k -> new HashMap<>())
          .computeIfAbsent(a.object().kind(), k -> new TreeMap<>())
          .put(a.awsName(), a.resolved());
    }
    TreeMap<String, MeshGraph> meshes = new TreeMap<>();
    for (BuildContext.Accepted a : ctx.allAccepted().values()) {
      if (!(a.object() instanceof Mesh mesh)) {
        continue;
      }
      Map<Kind, Map<String, Object>> k = byMesh.getOrDefault(a.awsName(), Map.of());
      java.util.SortedMap<String, ResolvedGatewayRoute> grs = cast(k.get(Kind.GatewayRoute));
      Map<String, List<String>> routesByGateway = new TreeMap<>();
      grs.values().forEach(gr -> routesByGateway.computeIfAbsent(gr.gateway(), x -> new ArrayList<>()).add(gr.awsName()));
      java.util.SortedMap<String, ResolvedGateway> gateways = new TreeMap<>();
      Map<String, VirtualGateway> vgs = cast(k.get(Kind.VirtualGateway));
      vgs.forEach((name, vg) -> gateways.put(name, new ResolvedGateway(ObjectRef.of(vg), name, vg,
          routesByGateway.getOrDefault(name, List.of()))));
      Mesh.EgressFilterType egress = mesh.spec().egressFilter() != null && mesh.spec().egressFilter().type() != null
          ? mesh.spec().egressFilter().type() : Mesh.EgressFilterType.DROP_ALL;
      meshes.put(a.awsName(), new MeshGraph(a.awsName(), mesh, egress, cast(k.get(Kind.VirtualNode)),
          cast(k.get(Kind.VirtualService)), cast(k.get(Kind.VirtualRouter)), gateways, grs));
    }
    return new MeshModel(meshes, in);
  }

  @SuppressWarnings("unchecked")
  private static <V> java.util.SortedMap<String, V> cast(Map<String, Object> m) {
    return m == null ? new TreeMap<>() : new TreeMap<>((Map<String, V>) (Map<String, ?>) m);
  }
}
