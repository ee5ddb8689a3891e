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
import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.incremental.DepIndex;
import io.appmeshxds.translator.incremental.Reads;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.status.StatusReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import org.pcollections.TreePMap;

/**
 * What the model builder remembers between builds, and the build itself. A build evaluates the
 * objects that changed and, through the recorded reads ({@link DepIndex}), every object whose
 * evaluation read something that changed, kind by kind in dependency order; everything else keeps
 * its evaluation. A change to a Mesh or a Namespace (membership) evaluates everything.
 *
 * <p>The result equals what a build of the same snapshot from scratch would give, with the
 * previous build's served versions as last good (a test checks this on random change sequences).
 */
final class ModelState {
  static final List<Kind> ORDER = List.of(Kind.Mesh, Kind.BackendGroup, Kind.VirtualNode, Kind.VirtualRouter,
      Kind.VirtualService, Kind.VirtualGateway, Kind.GatewayRoute);
  private static final int MAX_PASSES = 8;

  private final LocalRuleCache rules;
  private final List<ObjectValidator> validators;
  private final BuildContext ctx;
  private final DepIndex<ObjectRef> index = new DepIndex<>();
  private final GraphState graph = new GraphState();
  private TreePMap<ObjectRef, ObjectStatus> statuses = TreePMap.empty();
  private TreePMap<ObjectRef, MeshObject> served = TreePMap.empty();
  private Map<ObjectRef, List<Problem>> loadProblems = new HashMap<>();
  private MeshResources in;
  private boolean consistent;
  private int evaluated;
  /** Refs evaluated in this build (their status may have changed); null in a build from scratch. */
  private Set<ObjectRef> touched;
  /** The report of the previous build. */
  private StatusReport lastReport;
  /** The Gateway API routes of the previous build, per mesh and VirtualService. */
  private Map<String, SortedMap<String, ServiceRoutes>> lastGamma = Map.of();
  /** The Gateway API routes and Gateways that have a status. */
  private Set<ObjectRef> gammaRefs = new HashSet<>();
  /** The App Mesh objects the previous build lowered Gateways and their routes into. */
  private NorthSouth.Lowered lastLowered = NorthSouth.Lowered.NONE;

  ModelState(LocalRuleCache rules, List<ObjectValidator> validators, List<ComposabilityCheck> checks) {
    this.rules = rules;
    this.validators = validators;
    this.ctx = new BuildContext(checks);
    ctx.graphForChecks(graph::forChecks);
  }

  /**
   * Builds {@code now}, which differs from the previous snapshot by {@code changes}.
   *
   * @param lastGood versions to fall back to when the current one is rejected; null: the versions
   *     this state served in its previous build
   */
  BuildResult build(MeshResources raw, InputChanges changes, Map<ObjectRef, MeshObject> lastGood) {
    NorthSouth.Lowered lowered = NorthSouth.lower(raw);
    MeshResources now = withLowered(raw, lowered);
    changes = withLowered(changes, lowered);
    lastLowered = lowered;
    Map<ObjectRef, MeshObject> fallback = lastGood != null ? lastGood : served;
    boolean full = !consistent || in == null || changes.all() || !changes.namespaces().isEmpty()
        || changes.refs().stream().anyMatch(r -> Kind.Mesh.name().equals(r.kind()));
    consistent = false;
    evaluated = 0;
    touched = full ? null : new HashSet<>();
    Set<Dep> out = new HashSet<>();
    Pending pending = new Pending();
    if (full) {
      reset(now);
      for (ObjectRef r : now.objects().keySet()) {
        claim(r, now.objects().get(r), out);
        pending.add(r);
      }
      out.clear();
    } else {
      ctx.input(now);
      Set<Dep> changed = inputChanges(now, changes, pending);
      List<ObjectRef> readers = new ArrayList<>();
      for (Dep d : changed) {
        index.dependentsOf(d, readers);
      }
      readers.forEach(pending::add);
      out.addAll(changed);
    }
    Map<ObjectRef, List<Problem>> byRef = new HashMap<>();
    Map<ObjectRef, List<Problem>> gammaLoad = new HashMap<>();
    List<Problem> unattached = new ArrayList<>();
    for (Problem p : now.loadProblems()) {
      if (p.object() != null && p.object().appMeshKind() != null) {
        byRef.computeIfAbsent(p.object(), k -> new ArrayList<>()).add(p);
      } else if (p.object() != null && (now.gatewayApi().get(p.object()) instanceof GatewayApi.Route
          || now.gatewayApi().get(p.object()) instanceof GatewayApi.Gateway)) {
        gammaLoad.computeIfAbsent(p.object(), k -> new ArrayList<>()).add(p);
      } else {
        unattached.add(p);
      }
    }
    Set<ObjectRef> problemRefs = new HashSet<>(byRef.keySet());
    problemRefs.addAll(loadProblems.keySet());
    List<ObjectRef> readersOfProblems = new ArrayList<>();
    for (ObjectRef r : problemRefs) {
      if (full || !Objects.equals(byRef.get(r), loadProblems.get(r))) {
        pending.add(r);
        // Whoever refers to it says whether it is missing or could not be read (BuildContext.resolve).
        index.dependentsOf(new Dep.Input(r), readersOfProblems);
      }
    }
    readersOfProblems.forEach(pending::add);
    loadProblems = byRef;
    in = now;
    evaluatePending(pending, fallback, out);
    if (full) {
      rules.endBuild();
    }
    MeshModel model = gatewayApi(now, gammaLoad, lowered, out);
    consistent = true;
    // Lowered objects have no status of their own: theirs went to the Gateway API objects they stand for.
    TreePMap<ObjectRef, ObjectStatus> shown = lowered.origins().isEmpty() ? statuses : statuses.minusAll(lowered.origins().keySet());
    StatusReport report = StatusReport.after(lastReport, shown, Evaluator.attachSources(unattached, now), touched);
    lastReport = report;
    return new BuildResult(model, report, served, new ModelChanges(full, out, evaluated));
  }

  /**
   * Resolves the Gateway API routes against the App Mesh graph just built (every build, whole: see
   * {@link GammaResolver}), records their statuses, and adds a {@link Dep.Gamma} to {@code out}
   * for every VirtualService whose routes changed; returns the model with them.
   */
  private MeshModel gatewayApi(MeshResources now, Map<ObjectRef, List<Problem>> loaded, NorthSouth.Lowered lowered,
      Set<Dep> out) {
    if (now.gatewayApi().isEmpty() && lastGamma.isEmpty() && gammaRefs.isEmpty()) {
      return graph.model(now, Map.of());
    }
    SortedMap<String, MeshGraph> meshes = graph.model(now, Map.of()).meshes();
    NorthSouth.Statuses ns = NorthSouth.statuses(lowered, statuses, meshes, loaded, now);
    GammaResolver.Result gamma = GammaResolver.resolve(now, meshes, loaded, ns.routes());
    Set<String> meshNames = new HashSet<>(lastGamma.keySet());
    meshNames.addAll(gamma.byMesh().keySet());
    for (String mesh : meshNames) {
      Map<String, ServiceRoutes> before = lastGamma.getOrDefault(mesh, java.util.Collections.emptySortedMap());
      Map<String, ServiceRoutes> after = gamma.byMesh().getOrDefault(mesh, java.util.Collections.emptySortedMap());
      Set<String> services = new HashSet<>(before.keySet());
      services.addAll(after.keySet());
      for (String s : services) {
        if (!Objects.equals(before.get(s), after.get(s))) {
          out.add(new Dep.Gamma(mesh, s));
        }
      }
    }
    lastGamma = gamma.byMesh();
    for (ObjectRef r : gammaRefs) {
      if (!gamma.statuses().containsKey(r)) {
        statuses = statuses.minus(r);
      }
    }
    // A route's parents that are Gateways of ours (their status entries are the Gateway controller's),
    // and each Gateway listener's count of the routes accepted there.
    SortedMap<ObjectRef, ObjectStatus> routeStatuses = gamma.statuses();
    if (!ns.routes().isEmpty()) {
      routeStatuses = new java.util.TreeMap<>(routeStatuses);
      for (Map.Entry<ObjectRef, NorthSouth.RouteFacts> e : ns.routes().entrySet()) {
        routeStatuses.computeIfPresent(e.getKey(), (r, st) -> st.withGatewayParents(List.copyOf(e.getValue().parents())));
      }
    }
    SortedMap<ObjectRef, ObjectStatus> gateways = GatewayApiStatuses.withAttachedRoutes(ns.gateways(), ns.routes(),
        routeStatuses);
    SortedMap<ObjectRef, ObjectStatus> classes = GatewayApiStatuses.classes(now);
    statuses = statuses.plusAll(routeStatuses).plusAll(gateways).plusAll(classes);
    if (touched != null) {
      touched.addAll(gammaRefs);
      touched.addAll(routeStatuses.keySet());
      touched.addAll(gateways.keySet());
      touched.addAll(classes.keySet());
    }
    gammaRefs = new HashSet<>(routeStatuses.keySet());
    gammaRefs.addAll(gateways.keySet());
    gammaRefs.addAll(classes.keySet());
    return graph.model(now, gamma.byMesh());
  }

  /** {@code raw} with the lowered objects added (the same instance when there are none). */
  private static MeshResources withLowered(MeshResources raw, NorthSouth.Lowered lowered) {
    if (lowered.objects().isEmpty()) {
      return raw;
    }
    SortedMap<ObjectRef, MeshObject> objects;
    if (raw.objects() instanceof org.pcollections.PSortedMap<ObjectRef, MeshObject> p) {
      objects = p.plusAll(lowered.objects());
    } else {
      objects = new java.util.TreeMap<>(raw.objects());
      objects.putAll(lowered.objects());
    }
    return raw.withObjects(objects);
  }

  /** {@code changes} plus the lowered objects that differ from the previous build's. */
  private InputChanges withLowered(InputChanges changes, NorthSouth.Lowered lowered) {
    if (changes.all() || lowered.objects().isEmpty() && lastLowered.objects().isEmpty()) {
      return changes;
    }
    Set<ObjectRef> refs = new HashSet<>(changes.refs());
    Set<ObjectRef> keys = new HashSet<>(lowered.objects().keySet());
    keys.addAll(lastLowered.objects().keySet());
    for (ObjectRef r : keys) {
      if (!NorthSouth.same(lowered, lastLowered, r)) {
        refs.add(r);
      }
    }
    return refs.size() == changes.refs().size() ? changes
        : new InputChanges(false, refs, changes.namespaces(), changes.dnsHosts(), changes.cloudMapQueries());
  }

  private void reset(MeshResources now) {
    ctx.reset(now);
    index.clear();
    graph.clear();
    statuses = TreePMap.empty();
    served = TreePMap.empty();
    loadProblems = new HashMap<>();
    gammaRefs = new HashSet<>();
  }

  /** Claims App Mesh names of changed objects, queues them; returns the deps that changed. */
  private Set<Dep> inputChanges(MeshResources now, InputChanges changes, Pending pending) {
    Set<Dep> changed = new HashSet<>();
    for (ObjectRef r : changes.refs()) {
      changed.add(new Dep.Input(r));
      changed.add(new Dep.InputKind(r.kind()));
      if (r.appMeshKind() != null) {
        MeshObject old = in.objects().get(r);
        if (old != null) {
          ctx.forget(old);
          rules.forget(old);
        }
        claim(r, now.objects().get(r), changed);
        pending.add(r);
      } else if ("EndpointSlice".equals(r.kind())) {
        for (EndpointSlice s : new EndpointSlice[] {in.endpointSlices().get(r), now.endpointSlices().get(r)}) {
          if (s != null && s.serviceName() != null) {
            changed.add(new Dep.Slices(s.namespace(), s.serviceName()));
          }
        }
      }
    }
    for (String h : changes.dnsHosts()) {
      changed.add(new Dep.Dns(h));
    }
    for (io.appmeshxds.translator.input.CloudMapQuery q : changes.cloudMapQueries()) {
      changed.add(new Dep.CloudMap(q));
    }
    return changed;
  }

  private void claim(ObjectRef ref, MeshObject o, Set<Dep> changed) {
    NameOwners.Key key = o == null ? null : ctx.nameKey(o);
    for (NameOwners.Key k : ctx.owners.claim(ref, key, key != null && !Names.hasDefaultName(o))) {
      changed.add(k.dep());
    }
  }

  private void evaluatePending(Pending pending, Map<ObjectRef, MeshObject> fallback, Set<Dep> out) {
    List<ObjectRef> readers = new ArrayList<>();
    for (int pass = 0; !pending.isEmpty(); pass++) {
      if (pass == MAX_PASSES) {
        throw new IllegalStateException("model did not settle after " + MAX_PASSES + " passes");
      }
      for (Kind kind : ORDER) {
        TreeSet<ObjectRef> queue = pending.of(kind);
        ObjectRef ref;
        while ((ref = queue.pollFirst()) != null) {
          Set<Dep> changed = evaluate(ref, fallback);
          out.addAll(changed);
          for (Dep d : changed) {
            readers.clear();
            index.dependentsOf(d, readers);
            readers.forEach(pending::add);
          }
        }
      }
    }
  }

  /** Evaluates one object as it is now; returns the state and graph deps that changed. */
  private Set<Dep> evaluate(ObjectRef ref, Map<ObjectRef, MeshObject> fallback) {
    evaluated++;
    if (touched != null) {
      touched.add(ref);
    }
    Set<Dep> changed = new HashSet<>();
    MeshObject current = in.objects().get(ref);
    BuildContext.Accepted before = ctx.peekAccepted(ref);
    ctx.unaccept(ref);
    BuildContext.Accepted after = null;
    if (current == null) {
      index.remove(ref);
      List<Problem> loaded = loadProblems.get(ref);
      statuses = loaded == null ? statuses.minus(ref)
          : statuses.plus(ref, Evaluator.status(ref, null, loaded, true, null, in));
    } else {
      List<Problem> loaded = loadProblems.getOrDefault(ref, List.of());
      MeshObject previous = fallback.get(ref);
      Reads.Recorded<Evaluator.Outcome> r = Reads.record(() -> evaluator().outcome(current, previous));
      index.set(ref, r.deps());
      Evaluator.Evaluation used = r.value().used();
      if (used != null) {
        after = new BuildContext.Accepted(used.object(), Names.awsName(used.object()), used.mesh(), used.resolved());
        if (same(before, after)) {
          after = before;
        }
        ctx.accept(ref, after);
      }
      List<Problem> problems = new ArrayList<>(loaded);
      problems.addAll(r.value().current().problems());
      boolean rejected = !r.value().current().ok() || loaded.stream().anyMatch(Problem::isError);
      Long servedGeneration = rejected && used != null ? used.object().metadata().generationOrZero() : null;
      statuses = statuses.plus(ref, Evaluator.status(ref, current, problems, rejected, servedGeneration, in));
    }
    if (after != before) {
      changed.add(new Dep.State(ref));
      // Same name in the same mesh: the entry is replaced (no add/remove for readers of the names).
      boolean sameEntry = before != null && after != null && after.resolved() != null
          && before.awsName().equals(after.awsName()) && Objects.equals(before.mesh(), after.mesh());
      if (before != null && !sameEntry) {
        graph.remove(ref, before, changed);
      }
      if (after != null) {
        graph.put(ref, after, changed);
        served = served.plus(ref, after.object());
      } else {
        served = served.minus(ref);
      }
    }
    return changed;
  }

  private Evaluator evaluator() {
    return new Evaluator(rules, validators, ctx);
  }

  private static boolean same(BuildContext.Accepted a, BuildContext.Accepted b) {
    return a != null && b != null && (a.object() == b.object() || a.object().equals(b.object()))
        && a.awsName().equals(b.awsName()) && Objects.equals(a.mesh(), b.mesh()) && Objects.equals(a.resolved(), b.resolved());
  }

  /** Refs waiting to be evaluated, by kind, each kind in ref order. */
  private static final class Pending {
    private final Map<Kind, TreeSet<ObjectRef>> byKind = new EnumMap<>(Kind.class);

    void add(ObjectRef r) {
      Kind k = r.appMeshKind();
      if (k != null) {
        byKind.computeIfAbsent(k, x -> new TreeSet<>()).add(r);
      }
    }

    TreeSet<ObjectRef> of(Kind k) {
      return byKind.computeIfAbsent(k, x -> new TreeSet<>());
    }

    boolean isEmpty() {
      return byKind.values().stream().allMatch(TreeSet::isEmpty);
    }
  }
}
