package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.input.K8sService;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Attaches Gateway API routes to the mesh (GAMMA, east-west): an HTTPRoute or GRPCRoute whose
 * parentRef is a Kubernetes Service {@code S} in namespace {@code N} governs the VirtualServices
 * named by one of that Service's DNS names ({@code S.N.svc.cluster.local}, {@code S.N.svc},
 * {@code S.N}, or {@code S} in namespace {@code N}), in every mesh that has one. Their callers are
 * the callers of those VirtualServices (nodes listing them as backends, and those nodes' proxyless
 * clients); on the ports the route covers, its rules replace the routes of the VirtualService's
 * provider (Gateway API wins; the route's status says what it overrides). A backendRef Service
 * resolves to the VirtualNode of the same mesh whose DNS service discovery names that Service,
 * on the listener that is the Service port's targetPort (or the port itself).
 *
 * <p>Pure and whole: every build resolves every route again against the App Mesh graph just built
 * (routes are few, and they read nothing else); {@link ModelState} reports which services' routes
 * changed.
 */
final class GammaResolver {
  private GammaResolver() {}

  /** Condition type of a route's status (Gateway API's). */
  static final String ACCEPTED = "Accepted";

  private static final Pattern K8S_HOST =
      Pattern.compile("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.svc(\\.cluster\\.local)?)?$");
  private static final Pattern BARE_HOST = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  /**
   * What the routes resolve to.
   *
   * @param byMesh per mesh, per VirtualService awsName, its Gateway API routes
   * @param statuses one status per HTTPRoute and GRPCRoute read
   */
  record Result(Map<String, SortedMap<String, ServiceRoutes>> byMesh, SortedMap<ObjectRef, ObjectStatus> statuses) {}

  /** A VirtualService a route attaches to. */
  private record Parent(MeshGraph mesh, ResolvedService vs, Long port) {}

  /** A rule match of one route for one service, with what orders it. */
  private record Ranked(int kindRank, long[] rank, String created, ObjectRef route, int rule, int match,
      ServiceRoutes.Rule value) {}

  private static final Comparator<Ranked> PRECEDENCE = (a, b) -> {
    int c = Integer.compare(a.kindRank(), b.kindRank());
    if (c != 0) {
      return c;
    }
    c = Arrays.compare(a.rank(), b.rank());
    if (c != 0) {
      return c;
    }
    // Oldest route first, then by namespace/name (Gateway API's tie-breakers); files carry no timestamp.
    c = String.valueOf(a.created()).compareTo(String.valueOf(b.created()));
    if (c != 0) {
      return c;
    }
    c = a.route().compareTo(b.route());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.rule(), b.rule());
    return c != 0 ? c : Integer.compare(a.match(), b.match());
  };

  /**
   * Resolves the GAMMA routes of {@code in}, with what routes attached to Gateways of ours
   * contribute ({@code northSouth}, from {@link NorthSouth}): those parents are theirs, and their
   * problems and attachments join the route's status.
   */
  static Result resolve(MeshResources in, SortedMap<String, MeshGraph> meshes, Map<ObjectRef, List<Problem>> loadProblems,
      Map<ObjectRef, NorthSouth.RouteFacts> northSouth) {
    Map<String, List<GatewayApi.ReferenceGrant>> grants = new HashMap<>();
    List<GatewayApi.Route> routes = new ArrayList<>();
    for (GatewayApi.Resource r : in.gatewayApi().values()) {
      if (r instanceof GatewayApi.ReferenceGrant g) {
        grants.computeIfAbsent(g.metadata().namespace(), k -> new ArrayList<>()).add(g);
      } else if (r instanceof GatewayApi.Route route) {
        routes.add(route);
      }
    }
    Map<String, Map<String, List<ResolvedNode>>> nodesByService = new HashMap<>();
    Map<String, Map<String, List<Ranked>>> acc = new TreeMap<>();
    Map<String, Map<String, TreeSet<ObjectRef>>> attached = new TreeMap<>();
    SortedMap<ObjectRef, ObjectStatus> statuses = new TreeMap<>();
    for (GatewayApi.Route route : routes) {
      ObjectRef ref = route.ref();
      Findings f = new Findings(ref);
      try {
        attach(route, f, meshes, in, grants, nodesByService, acc, attached, loadProblems, statuses,
            northSouth.get(ref));
      } catch (RuntimeException e) {
        // A resolver bug drops this route only (with a status saying so); every other route is served.
        Findings bug = new Findings(ref);
        bug.error(Reason.InvalidSpec, "", "internal error while resolving: " + e);
        statuses.put(ref, status(route, bug, loadProblems.getOrDefault(ref, List.of()), List.of(), in));
      }
    }
    Map<String, SortedMap<String, ServiceRoutes>> byMesh = new TreeMap<>();
    acc.forEach((mesh, services) -> services.forEach((vs, ranked) -> {
      ranked.sort(PRECEDENCE);
      byMesh.computeIfAbsent(mesh, m -> new TreeMap<>()).put(vs, new ServiceRoutes(vs,
          List.copyOf(attached.get(mesh).get(vs)), ranked.stream().map(Ranked::value).toList()));
    }));
    return new Result(byMesh, statuses);
  }

  /** Resolves one route into {@code acc} (rules per mesh and service) and records its status. */
  private static void attach(GatewayApi.Route route, Findings f, SortedMap<String, MeshGraph> meshes, MeshResources in,
      Map<String, List<GatewayApi.ReferenceGrant>> grants, Map<String, Map<String, List<ResolvedNode>>> nodesByService,
      Map<String, Map<String, List<Ranked>>> acc, Map<String, Map<String, TreeSet<ObjectRef>>> attached,
      Map<ObjectRef, List<Problem>> loadProblems, SortedMap<ObjectRef, ObjectStatus> statuses,
      NorthSouth.RouteFacts gateways) {
    {
      ObjectRef ref = route.ref();
      boolean grpc = route instanceof GatewayApi.GrpcRoute;
      List<GammaRules.Pending> pending = route instanceof GatewayApi.HttpRoute h ? GammaRules.http(h, f, true)
          : GammaRules.grpc((GatewayApi.GrpcRoute) route, f);
      Map<String, ServiceRoutes.Edits> backendEdits = backendFilters(pending, f);
      boolean specOk = !f.hasErrors();
      List<Parent> parents = parents(route, meshes, in, f, gateways == null ? java.util.Set.of() : gateways.parents());
      List<String> served = new ArrayList<>();
      if (gateways != null) {
        f.addAll(gateways.problems());
        served.addAll(gateways.served());
      }
      if (specOk) {
        for (Parent p : parents) {
          Map<String, List<ResolvedNode>> index =
              nodesByService.computeIfAbsent(p.mesh().name(), m -> indexNodes(p.mesh()));
          for (GammaRules.Pending pr : pending) {
            List<ServiceRoutes.Backend> backends = new ArrayList<>();
            for (int i = 0; i < pr.backendRefs().size(); i++) {
              String field = pr.backendField() + "[" + i + "]";
              ServiceRoutes.Backend b = backend(route, pr.backendRefs().get(i), field, backendEdits.get(field), p.mesh(),
                  index, in, grants, f, SHARE_MOVES);
              if (b != null) {
                backends.add(b);
              }
            }
            List<ServiceRoutes.Mirror> mirrors = new ArrayList<>();
            for (GammaRules.PendingMirror m : pr.mirrors()) {
              ServiceRoutes.Backend b = backend(route, m.backendRef(), m.field() + ".requestMirror.backendRef", null,
                  p.mesh(), index, in, grants, f, "; nothing is mirrored there");
              if (b != null) {
                mirrors.add(new ServiceRoutes.Mirror(b.node(), b.port(), b.protocol(), m.numerator(), m.denominator()));
              }
            }
            ServiceRoutes.Rule rule = new ServiceRoutes.Rule(pr.name(), ref, p.port(), pr.pathKind(), pr.path(), pr.headers(),
                pr.queryParams(), pr.method(), backends, pr.edits(), pr.rewrite(), pr.timeoutMs(), mirrors, pr.redirect());
            acc.computeIfAbsent(p.mesh().name(), m -> new TreeMap<>())
                .computeIfAbsent(p.vs().awsName(), s -> new ArrayList<>())
                .add(new Ranked(grpc ? 0 : 1, pr.rank(), route.creationTimestamp(), ref, pr.rule(), pr.match(), rule));
          }
          attached.computeIfAbsent(p.mesh().name(), m -> new TreeMap<>())
              .computeIfAbsent(p.vs().awsName(), s -> new TreeSet<>()).add(ref);
          served.add(describe(p));
        }
      }
      statuses.put(ref, status(route, f, loadProblems.getOrDefault(ref, List.of()), served, in));
    }
  }

  /** The header edits of every backendRef (by field path), reporting filters we do not serve there. */
  private static Map<String, ServiceRoutes.Edits> backendFilters(List<GammaRules.Pending> pending, Findings f) {
    Map<String, ServiceRoutes.Edits> out = new HashMap<>();
    for (GammaRules.Pending pr : pending) {
      for (int i = 0; i < pr.backendRefs().size(); i++) {
        String field = pr.backendField() + "[" + i + "]";
        if (out.containsKey(field)) {
          continue;
        }
        GammaRules.Filters filters = GammaRules.filters(pr.backendRefs().get(i).filters(), field + ".filters", f);
        if (filters.rewrite() != null) {
          f.error(io.appmeshxds.translator.input.Reason.Unsupported, field + ".filters",
              "a URLRewrite filter on a backendRef is not served by appmesh-xds (put it on the rule)");
        }
        if (filters.redirectAt() != null) {
          f.error(Reason.Unsupported, filters.redirectAt() + ".type",
              "a RequestRedirect filter on a backendRef is not served by appmesh-xds (put it on the rule)");
        }
        for (GammaRules.PendingMirror m : filters.mirrors()) {
          f.error(Reason.Unsupported, m.field() + ".type",
              "a RequestMirror filter on a backendRef is not served by appmesh-xds (put it on the rule)");
        }
        out.put(field, filters.edits());
      }
    }
    return out;
  }

  /** The VirtualServices the route's Service parents name; other parents are reported. */
  private static List<Parent> parents(GatewayApi.Route route, SortedMap<String, MeshGraph> meshes, MeshResources in,
      Findings f, java.util.Set<Integer> gatewayParents) {
    List<Parent> out = new ArrayList<>();
    String ns = route.metadata().namespace();
    List<GatewayApi.ParentRef> refs = route.parentRefs();
    if (refs.isEmpty()) {
      f.error(Reason.NoMatchingParent, "spec.parentRefs", "required: a Service (GAMMA) or a Gateway of ours for appmesh-xds"
          + " to serve the route");
    }
    for (int i = 0; i < refs.size(); i++) {
      GatewayApi.ParentRef p = refs.get(i);
      String at = "spec.parentRefs[" + i + "]";
      String group = p.group() == null ? GatewayApi.GROUP : p.group();
      String kind = p.kind() == null ? "Gateway" : p.kind();
      if (p.name() == null || p.name().isEmpty()) {
        f.error(at + ".name", "required");
        continue;
      }
      if (gatewayParents.contains(i)) {
        continue; // a Gateway of ours: NorthSouth's
      }
      if (kind.equals("Gateway") && group.equals(GatewayApi.GROUP)) {
        f.warn(at, "Gateway " + p.name() + " is not served by appmesh-xds (not in the input, or its GatewayClass's"
            + " controllerName is not " + GatewayApi.GATEWAY_CONTROLLER + "): left to its own controller");
        continue;
      }
      if (!kind.equals("Service") || !(group.isEmpty() || group.equals("core"))) {
        f.error(Reason.InvalidKind, at + ".kind", "parent " + (group.isEmpty() ? "" : group + "/") + kind
            + " is not served; a parent is a core Service (GAMMA)");
        continue;
      }
      String svcNs = p.namespace() == null || p.namespace().isEmpty() ? ns : p.namespace();
      if (!svcNs.equals(ns)) {
        f.error(Reason.Unsupported, at + ".namespace", "a consumer route (its parent Service " + svcNs + "/" + p.name()
            + " in another namespace) is not served by appmesh-xds; put the route in namespace " + svcNs);
        continue;
      }
      Long port = p.port();
      if (p.sectionName() != null) {
        port = portByName(in, svcNs, p.name(), p.sectionName());
        if (port == null) {
          f.error(Reason.NoMatchingParent, at + ".sectionName", "Service " + svcNs + "/" + p.name() + " has no port named "
              + p.sectionName() + " in the input");
          continue;
        }
      }
      List<String> names = serviceNames(p.name(), svcNs);
      int before = out.size();
      for (MeshGraph mesh : meshes.values()) {
        for (String name : names) {
          ResolvedService vs = mesh.services().get(name);
          if (vs != null && (!name.equals(p.name()) || svcNs.equals(vs.ref().namespace()))) {
            out.add(new Parent(mesh, vs, port));
            if (port != null && !mesh.providerPorts(vs).containsKey(port)) {
              f.warn(at + ".port", "VirtualService " + vs.awsName() + " (mesh " + mesh.name() + ") has no port " + port
                  + " (its provider's listeners: " + mesh.providerPorts(vs).keySet() + "); nothing is served there");
            }
          }
        }
      }
      if (out.size() == before) {
        f.error(Reason.NoMatchingParent, at, "no VirtualService in any mesh is named like Service " + svcNs + "/" + p.name()
            + " (" + String.join(", ", names.subList(0, 3)) + ", or " + p.name() + " in namespace " + svcNs
            + "): its callers are meshed by App Mesh VirtualNodes listing such a VirtualService as a backend");
      }
    }
    return out;
  }

  private static Long portByName(MeshResources in, String ns, String name, String portName) {
    K8sService s = in.services().get(new ObjectRef("Service", ns, name));
    if (s == null) {
      return null;
    }
    for (K8sService.Port p : s.ports()) {
      if (portName.equals(p.name())) {
        return (long) p.port();
      }
    }
    return null;
  }


  /** VirtualNodes by the Kubernetes Service their DNS host name names ({@code namespace/name}), in awsName order. */
  private static Map<String, List<ResolvedNode>> indexNodes(MeshGraph mesh) {
    Map<String, List<ResolvedNode>> out = new HashMap<>();
    for (ResolvedNode n : mesh.nodes().values()) {
      var sd = n.node().spec().serviceDiscovery();
      if (sd == null || sd.dns() == null || sd.dns().hostname() == null) {
        continue;
      }
      String h = sd.dns().hostname();
      h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
      Matcher m = K8S_HOST.matcher(h);
      String key = null;
      if (m.matches()) {
        key = m.group(3) + "/" + m.group(1);
      } else if (BARE_HOST.matcher(h).matches() && !h.equals("localhost")) {
        key = n.node().namespace() + "/" + h;
      }
      if (key != null) {
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
      }
    }
    return out;
  }

  /** What becomes of an unresolved backendRef's share, said in its problem. */
  private static final String SHARE_MOVES = "; its share of the traffic goes to the rule's other backends";

  /**
   * A backendRef (or a mirror's) resolved to a VirtualNode listener of {@code mesh}; null when it
   * does not resolve, with a problem at {@code field} whose message ends with {@code consequence}.
   */
  private static ServiceRoutes.Backend backend(GatewayApi.Route route, GatewayApi.BackendRef b, String field,
      ServiceRoutes.Edits edits, MeshGraph mesh, Map<String, List<ResolvedNode>> index, MeshResources in,
      Map<String, List<GatewayApi.ReferenceGrant>> grants, Findings f, String consequence) {
    if (!isService(b, field, f)) {
      return null;
    }
    if (b.name() == null || b.name().isEmpty()) {
      f.error(field + ".name", "required");
      return null;
    }
    if (b.port() == null) {
      f.error(field + ".port", "required for a Service backend");
      return null;
    }
    long weight = b.weight() == null ? 1 : b.weight();
    if (weight < 0 || weight > 1_000_000) {
      f.error(field + ".weight", "must be 0-1000000 (got " + weight + ")");
      return null;
    }
    String ns = permittedNamespace(route, b, field, grants, f, consequence);
    if (ns == null) {
      return null;
    }
    List<ResolvedNode> nodes = index.getOrDefault(ns + "/" + b.name(), List.of());
    if (nodes.isEmpty()) {
      f.error(Reason.BackendNotFound, field + ".name", "no VirtualNode in mesh " + mesh.name() + " is discovered as Service "
          + ns + "/" + b.name() + " (DNS hostname " + b.name() + "." + ns + ".svc.cluster.local)" + consequence);
      return null;
    }
    if (nodes.size() > 1) {
      f.warn(field + ".name", "VirtualNodes " + nodes.stream().map(ResolvedNode::awsName).toList() + " of mesh " + mesh.name()
          + " are all discovered as Service " + ns + "/" + b.name() + "; " + nodes.get(0).awsName() + " is used");
    }
    ResolvedNode node = nodes.get(0);
    List<Long> candidates = new ArrayList<>();
    K8sService svc = in.services().get(new ObjectRef("Service", ns, b.name()));
    if (svc != null) {
      for (K8sService.Port sp : svc.ports()) {
        if (sp.port() == b.port() && sp.targetPort() != null) {
          candidates.add((long) sp.targetPort());
        }
      }
    }
    candidates.add(b.port());
    for (long port : candidates) {
      for (VirtualNode.Listener l : node.node().spec().listeners()) {
        if (l.portMapping().port() == port) {
          PortProtocol protocol = l.portMapping().protocol();
          if (!protocol.isHttpFamily()) {
            f.error(Reason.BackendNotFound, field + ".port", "VirtualNode " + node.awsName() + " listens on port " + port
                + " with protocol " + protocol + "; an HTTPRoute or GRPCRoute backend needs http, http2 or grpc");
            return null;
          }
          return new ServiceRoutes.Backend(node.awsName(), port, protocol, weight,
              edits == null ? ServiceRoutes.Edits.NONE : edits);
        }
      }
    }
    f.error(Reason.BackendNotFound, field + ".port", "VirtualNode " + node.awsName() + " (Service " + ns + "/" + b.name()
        + ") has no listener on port " + candidates.stream().distinct().map(String::valueOf).reduce((x, y) -> x + " or " + y)
        .orElse("") + consequence);
    return null;
  }

  /** Whether a ReferenceGrant in the Service's namespace lets routes of {@code kind} from {@code from} refer to it. */
  /**
   * The VirtualService names that stand for Service {@code ns/name}, most specific first: {@code
   * name.ns.svc.cluster.local}, {@code name.ns.svc}, {@code name.ns}, and the bare {@code name}
   * (which counts only for a VirtualService in {@code ns}).
   */
  static List<String> serviceNames(String name, String ns) {
    return List.of(name + "." + ns + ".svc.cluster.local", name + "." + ns + ".svc", name + "." + ns, name);
  }

  /** Whether a backendRef names a core Service (the only backend served); an error at {@code field.kind} when not. */
  static boolean isService(GatewayApi.BackendRef b, String field, Findings f) {
    String group = b.group() == null ? "" : b.group();
    String kind = b.kind() == null ? "Service" : b.kind();
    if (!(group.isEmpty() || group.equals("core")) || !kind.equals("Service")) {
      f.error(Reason.InvalidKind, field + ".kind", "backend " + (group.isEmpty() ? "" : group + "/") + kind
          + " is not served; a backend is a core Service");
      return false;
    }
    return true;
  }

  /**
   * The namespace of a backendRef's Service, when the route may refer to it (its own namespace, or
   * another whose ReferenceGrant allows it); else null, with a RefNotPermitted error at {@code
   * field.namespace} whose message ends with {@code consequence}.
   */
  static String permittedNamespace(GatewayApi.Route route, GatewayApi.BackendRef b, String field,
      Map<String, List<GatewayApi.ReferenceGrant>> grants, Findings f, String consequence) {
    String routeNs = route.metadata().namespace();
    String ns = b.namespace() == null || b.namespace().isEmpty() ? routeNs : b.namespace();
    if (!ns.equals(routeNs) && !granted(grants.get(ns), route.kind(), routeNs, b.name())) {
      f.error(Reason.RefNotPermitted, field + ".namespace", "Service " + ns + "/" + b.name() + " is in another namespace"
          + " and no ReferenceGrant in namespace " + ns + " allows " + route.kind() + "s from namespace " + routeNs
          + " to refer to it" + consequence);
      return null;
    }
    return ns;
  }

  static boolean granted(List<GatewayApi.ReferenceGrant> grants, String kind, String from, String name) {
    if (grants == null) {
      return false;
    }
    for (GatewayApi.ReferenceGrant g : grants) {
      boolean fromOk = g.spec().from().stream().anyMatch(x -> GatewayApi.GROUP.equals(x.group()) && kind.equals(x.kind())
          && from.equals(x.namespace()));
      boolean toOk = g.spec().to().stream().anyMatch(t -> (t.group() == null || t.group().isEmpty())
          && "Service".equals(t.kind()) && (t.name() == null || t.name().isEmpty() || t.name().equals(name)));
      if (fromOk && toOk) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Parent p) {
    String provider = p.vs().provider() instanceof ResolvedService.RouterProvider r ? "virtualRouter " + r.router()
        : p.vs().provider() instanceof ResolvedService.NodeProvider n ? "virtualNode " + n.node() : "no provider";
    return "VirtualService " + p.vs().awsName() + " (mesh " + p.mesh().name() + ", " + (p.port() == null ? "every port"
        : "port " + p.port()) + "; overrides the routes of its provider, " + provider + ")";
  }

  /** Reasons of Gateway API's ResolvedRefs condition. */
  private static final java.util.Set<Reason> REF_REASONS = java.util.EnumSet.of(Reason.BackendNotFound,
      Reason.RefNotPermitted, Reason.InvalidKind);
  /** Condition type of Gateway API's reference check. */
  static final String RESOLVED_REFS = "ResolvedRefs";

  /**
   * Two conditions, as Gateway API's route status has per parent: Accepted (True when attached to
   * at least one VirtualService) and ResolvedRefs (False with the first reference error's reason:
   * BackendNotFound, RefNotPermitted or InvalidKind).
   */
  private static ObjectStatus status(GatewayApi.Route route, Findings f, List<Problem> loaded, List<String> served,
      MeshResources in) {
    List<Problem> all = new ArrayList<>(loaded);
    all.addAll(new LinkedHashSet<>(f.list()));
    all = Evaluator.attachSources(all, in);
    List<Problem> errors = all.stream().filter(Problem::isError).toList();
    List<Problem> refErrors = errors.stream().filter(p -> REF_REASONS.contains(p.reason())).toList();
    List<Problem> otherErrors = errors.stream().filter(p -> !REF_REASONS.contains(p.reason())).toList();
    Condition accepted;
    if (!served.isEmpty()) {
      accepted = new Condition(ACCEPTED, "True", Reason.Accepted, "attached to " + String.join(", ", served)
          + join(otherErrors));
    } else {
      Reason reason = otherErrors.isEmpty() ? (errors.isEmpty() ? Reason.NoMatchingParent : errors.get(0).reason())
          : otherErrors.get(0).reason();
      accepted = new Condition(ACCEPTED, "False", reason, "not served" + (errors.isEmpty() ? ": no Service parent"
          : join(otherErrors.isEmpty() ? errors : otherErrors)));
    }
    Condition refs = refErrors.isEmpty() ? new Condition(RESOLVED_REFS, "True", Reason.Accepted, "")
        : new Condition(RESOLVED_REFS, "False", refErrors.get(0).reason(), join(refErrors).substring(2));
    return new ObjectStatus(route.ref(), route.metadata().generationOrZero(), accepted, all, null, List.of(refs));
  }

  private static String join(List<Problem> errors) {
    return errors.isEmpty() ? "" : "; " + errors.size() + " error(s): "
        + String.join("; ", errors.stream().map(Problem::fieldAndMessage).toList());
  }
}
