package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.HeaderMatchMethod;
import io.appmeshxds.translator.api.HttpMethod;
import io.appmeshxds.translator.api.HttpPathMatch;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.QueryParameterMatch;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualGatewayReference;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.GatewayApi;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.K8sService;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ListenerStatus;
import io.appmeshxds.translator.status.ObjectStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * North-south Gateway API, lowered into App Mesh objects the gateway machinery already serves: a
 * Gateway of our GatewayClass ({@link GatewayApi#GATEWAY_CONTROLLER}) becomes a VirtualGateway of
 * the same name and namespace (one listener per distinct listener port, {@code http}, {@code grpc} or {@code http2} after
 * the kinds of the routes on it, see {@link #protocols}; it joins the mesh of
 * its namespace, as a VirtualGateway without {@code meshRef} does, so its Envoy's node id is
 * {@code mesh/<mesh>/virtualGateway/<gateway>_<namespace>}), and each match of each rule of an
 * HTTPRoute or GRPCRoute attached to it becomes a GatewayRoute in the Gateway's namespace, per listener and
 * hostname, targeting the VirtualService named like the backend Service (the GAMMA naming rule).
 *
 * <p>Why lowering and not a second translator: the VirtualGateway's planning (composition with the
 * target's router or Gateway API routes, clusters, endpoints, connection limits) is reused as it is,
 * and the synthesized objects are validated by the same rules as written ones. Their problems are
 * mapped back to the Gateway and the HTTPRoute ({@link #origins}); they have no status of their own.
 *
 * <p>Gateway API's route precedence (hostname, then exact path, longest prefix, method, most
 * headers, most query parameters, oldest route) becomes each GatewayRoute's {@code priority}: the
 * position in that order, so the gateway's own {@code RouteOrder} keeps it.
 *
 * <p>Pure and whole, like {@link GammaResolver}: every build lowers every Gateway again (they are
 * few); {@link ModelState} passes the synthesized objects that changed on as input changes.
 */
final class NorthSouth {
  private NorthSouth() {}

  /** Condition type of a Gateway's serving (Gateway API's). */
  static final String PROGRAMMED = "Programmed";
  /** App Mesh's default route timeout, which a Gateway route gets (it has no timeout of its own). */
  private static final long DEFAULT_TIMEOUT_MS = 15_000;
  private static final Pattern HOSTNAME =
      Pattern.compile("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  /**
   * What lowering gives.
   *
   * @param objects the synthesized VirtualGateways and GatewayRoutes
   * @param origins per synthesized object, the Gateway API object and field it stands for
   * @param gateways per Gateway of ours: its problems and the listeners served
   * @param routes per HTTPRoute or GRPCRoute with a parent Gateway of ours: what it contributes to its status
   */
  record Lowered(SortedMap<ObjectRef, MeshObject> objects, Map<ObjectRef, Origin> origins,
      SortedMap<ObjectRef, GatewayFacts> gateways, Map<ObjectRef, RouteFacts> routes) {
    static final Lowered NONE = new Lowered(new TreeMap<>(), Map.of(), new TreeMap<>(), Map.of());
  }

  /** A synthesized object's source: a Gateway API object and the field it lowers. */
  record Origin(ObjectRef source, String field) {}

  /**
   * A Gateway of ours.
   *
   * @param gateway the object
   * @param virtualGateway the synthesized VirtualGateway's ref, or null when none was (rejected)
   * @param problems errors and warnings of the Gateway itself
   * @param listeners the names of the listeners served
   */
  record GatewayFacts(GatewayApi.Gateway gateway, ObjectRef virtualGateway, List<Problem> problems,
      List<String> listeners) {}

  /**
   * What lowering says about one route.
   *
   * @param parents indexes of its parentRefs that are Gateways of ours (GAMMA leaves them alone)
   * @param problems its problems found here (field paths into the route)
   * @param served one description per Gateway listener it is attached to
   * @param attachments per parent index, the Gateway and the listeners that parentRef selects and
   *     whose {@code allowedRoutes} admit the route (what a listener's {@code attachedRoutes} counts)
   */
  record RouteFacts(Set<Integer> parents, List<Problem> problems, List<String> served,
      Map<Integer, Attachment> attachments) {}

  /** The listeners of one Gateway that one parentRef of a route attaches to (hostnames aside). */
  record Attachment(ObjectRef gateway, List<String> listeners) {}

  /** A listener of a Gateway of ours that is served. */
  private record ServedListener(String name, long port, String hostname, String from, Map<String, String> selector,
      boolean httpRoutes, boolean grpcRoutes) {
    /** Whether {@code allowedRoutes.kinds} admits the route's kind. */
    boolean admits(GatewayApi.Route route) {
      return route instanceof GatewayApi.GrpcRoute ? grpcRoutes : httpRoutes;
    }
  }

  /**
   * One GatewayRoute to be, before its priority is known.
   *
   * @param kindRank 0 for a GRPCRoute's, 1 for an HTTPRoute's (see {@link #PRECEDENCE})
   * @param grpc the {@code grpcRoute} match when the draft is one (a GRPCRoute's match App Mesh's gRPC
   *     gateway route can say); null for an HTTP-family gateway route ({@code match0}, {@code rewrite})
   * @param port the listener port (its VirtualGateway listener's protocol picks httpRoute or http2Route)
   */
  private record Draft(ObjectRef gateway, int hostRank, int hostLength, int kindRank, long[] rank, String created,
      ObjectRef route, int rule, int match, String name, GatewayRoute.HttpMatch match0, GatewayRoute.HttpRewrite rewrite,
      GatewayRoute.GrpcMatch grpc, GatewayRoute.Target target, String field, long port) {}

  /**
   * One GatewayRoute's path match and rewrite for one match of a rule (before hostname and port):
   * usually one; two for a {@code ReplacePrefixMatch} on a PathPrefix other than {@code /}.
   *
   * @param suffix what the GatewayRoute's name gets appended ({@code ""} or {@code "-exact"})
   */
  private record Part(GatewayRoute.HttpMatch match, GatewayRoute.HttpRewrite rewrite, String suffix) {}

  private static final Comparator<Draft> PRECEDENCE = (a, b) -> {
    int c = Integer.compare(a.hostRank(), b.hostRank());
    if (c == 0) {
      c = Integer.compare(b.hostLength(), a.hostLength());
    }
    if (c == 0) {
      // Gateway API orders routes within a kind; across kinds on one hostname, a GRPCRoute's
      // matches (gRPC service and method paths) go first, before an HTTPRoute's (e.g. a catch-all /).
      c = Integer.compare(a.kindRank(), b.kindRank());
    }
    if (c == 0) {
      c = Arrays.compare(a.rank(), b.rank());
    }
    if (c == 0) {
      c = String.valueOf(a.created()).compareTo(String.valueOf(b.created()));
    }
    if (c == 0) {
      c = a.route().compareTo(b.route());
    }
    if (c == 0) {
      c = Integer.compare(a.rule(), b.rule());
    }
    if (c == 0) {
      c = Integer.compare(a.match(), b.match());
    }
    return c != 0 ? c : a.name().compareTo(b.name());
  };

  /** Lowers the Gateways of ours in {@code in} and the routes attached to them. */
  static Lowered lower(MeshResources in) {
    Map<String, GatewayApi.GatewayClass> classes = new HashMap<>();
    List<GatewayApi.Gateway> gateways = new ArrayList<>();
    List<GatewayApi.Route> routes = new ArrayList<>();
    Map<String, List<GatewayApi.ReferenceGrant>> grants = new HashMap<>();
    for (GatewayApi.Resource r : in.gatewayApi().values()) {
      if (r instanceof GatewayApi.GatewayClass c) {
        classes.put(c.metadata().name(), c);
      } else if (r instanceof GatewayApi.Gateway g) {
        gateways.add(g);
      } else if (r instanceof GatewayApi.Route route) {
        routes.add(route);
      } else if (r instanceof GatewayApi.ReferenceGrant g) {
        grants.computeIfAbsent(g.metadata().namespace(), k -> new ArrayList<>()).add(g);
      }
    }
    if (gateways.isEmpty()) {
      return Lowered.NONE;
    }
    // VirtualServices by App Mesh name, once per lowering: a backend looks its Service's names up here.
    Map<String, List<VirtualService>> services = new HashMap<>();
    for (MeshObject o : in.objects().values()) {
      if (o instanceof VirtualService vs) {
        services.computeIfAbsent(Names.awsName(vs), k -> new ArrayList<>()).add(vs);
      }
    }
    SortedMap<ObjectRef, MeshObject> objects = new TreeMap<>();
    Map<ObjectRef, Origin> origins = new HashMap<>();
    SortedMap<ObjectRef, GatewayFacts> facts = new TreeMap<>();
    Map<ObjectRef, List<ServedListener>> served = new HashMap<>();
    for (GatewayApi.Gateway g : gateways) {
      if (!ours(g, classes)) {
        continue;
      }
      Findings f = new Findings(g.ref());
      List<ServedListener> ls = listeners(g, f);
      ObjectRef vgRef = new ObjectRef(Kind.VirtualGateway.name(), g.metadata().namespace(), g.metadata().name());
      if (in.objects().containsKey(vgRef)) {
        f.error(Reason.NameConflict, "metadata.name", "VirtualGateway " + vgRef.namespace() + "/" + vgRef.name()
            + " exists: this Gateway would be served as the same proxy (virtualGateway " + vgRef.name() + "_"
            + vgRef.namespace() + "); rename one of them");
        ls = List.of();
      }
      if (ls.isEmpty()) {
        if (!f.hasErrors()) {
          f.error(Reason.InvalidSpec, "spec.listeners", "no listener is served (only protocol HTTP is)");
        }
        facts.put(g.ref(), new GatewayFacts(g, null, f.list(), List.of()));
        continue;
      }
      List<VirtualGateway.Listener> vgListeners = new ArrayList<>();
      new TreeSet<>(ls.stream().map(ServedListener::port).toList()).forEach(port -> vgListeners.add(
          new VirtualGateway.Listener(new VirtualGateway.PortMapping(port, VirtualGateway.Protocol.http), null, null, null)));
      VirtualGateway vg = new VirtualGateway(meta(g.metadata().name(), g.metadata().namespace(), g.metadata()),
          new VirtualGateway.Spec(null, null, null, null, vgListeners, null, null, null));
      objects.put(vgRef, vg);
      origins.put(vgRef, new Origin(g.ref(), "spec.listeners"));
      served.put(g.ref(), ls);
      facts.put(g.ref(), new GatewayFacts(g, vgRef, f.list(), ls.stream().map(ServedListener::name).toList()));
    }
    Map<ObjectRef, RouteFacts> routeFacts = new HashMap<>();
    Map<ObjectRef, List<Draft>> drafts = new TreeMap<>();
    for (GatewayApi.Route route : routes) {
      Findings f = new Findings(route.ref());
      Set<Integer> parents = new TreeSet<>();
      List<String> attached = new ArrayList<>();
      Map<Integer, Attachment> attachments = new TreeMap<>();
      try {
        attach(route, in, services, facts, served, grants, f, parents, attached, attachments, drafts);
      } catch (RuntimeException e) {
        f.error(Reason.InvalidSpec, "", "internal error while attaching to a Gateway: " + e);
        attached.clear();
      }
      if (!parents.isEmpty()) {
        routeFacts.put(route.ref(), new RouteFacts(parents, f.list(), attached, attachments));
      }
    }
    drafts.forEach((gw, list) -> {
      list.sort(PRECEDENCE);
      GatewayFacts gf = facts.get(gw);
      Map<Long, VirtualGateway.Protocol> protocols = protocols(list);
      ObjectRef vgRef = gf.virtualGateway();
      VirtualGateway vg = (VirtualGateway) objects.get(vgRef);
      objects.put(vgRef, new VirtualGateway(vg.metadata(), new VirtualGateway.Spec(null, null, null, null,
          vg.spec().listeners().stream().map(l -> new VirtualGateway.Listener(new VirtualGateway.PortMapping(
              l.portMapping().port(), protocols.getOrDefault(l.portMapping().port(), VirtualGateway.Protocol.http)),
              null, null, null)).toList(), null, null, null)));
      for (int i = 0; i < list.size(); i++) {
        Draft d = list.get(i);
        ObjectRef ref = new ObjectRef(Kind.GatewayRoute.name(), gw.namespace(), d.name());
        if (in.objects().containsKey(ref) || objects.containsKey(ref)) {
          continue; // a written GatewayRoute has that name: reported below, not replaced
        }
        GatewayRoute.GrpcGatewayRoute grpc = d.grpc() == null ? null : new GatewayRoute.GrpcGatewayRoute(d.grpc(),
            new GatewayRoute.GrpcAction(d.target(), new GatewayRoute.GrpcRewrite(
                new GatewayRoute.HostnameRewrite(GatewayRoute.Toggle.DISABLED))));
        GatewayRoute.HttpGatewayRoute http = d.grpc() != null ? null
            : new GatewayRoute.HttpGatewayRoute(d.match0(), new GatewayRoute.HttpAction(d.target(), d.rewrite()));
        boolean http1 = protocols.get(d.port()) == VirtualGateway.Protocol.http;
        GatewayRoute gr = new GatewayRoute(meta(d.name(), gw.namespace(), gf.gateway().metadata()),
            new GatewayRoute.Spec(null, (long) Math.min(i, GatewayRoute.DEFAULT_PRIORITY),
                grpc, http1 ? http : null, http1 ? null : http,
                new VirtualGatewayReference(gw.namespace(), gw.name(), uid(gf.gateway().metadata())), null));
        objects.put(ref, gr);
        origins.put(ref, new Origin(d.route(), d.field()));
      }
    });
    return new Lowered(objects, origins, facts, routeFacts);
  }

  /**
   * The VirtualGateway listener protocol per port, from the kinds of the routes drafted on it: {@code
   * grpc} when only GRPCRoutes are, {@code http2} when GRPCRoutes and HTTPRoutes share the port,
   * else {@code http}. The Envoy listener's codec is AUTO for each (HTTP/1.1 and cleartext HTTP/2
   * with prior knowledge, which gRPC clients use), so what this chooses is the filter chain's and
   * stat prefix's protocol name and which gateway route type matches the listener without a warning:
   * a converted gRPC VirtualGateway listener comes back as {@code grpc}, an HTTP one as {@code http}.
   */
  private static Map<Long, VirtualGateway.Protocol> protocols(List<Draft> drafts) {
    Map<Long, Set<Integer>> kinds = new HashMap<>();
    for (Draft d : drafts) {
      kinds.computeIfAbsent(d.port(), k -> new TreeSet<>()).add(d.kindRank());
    }
    Map<Long, VirtualGateway.Protocol> out = new HashMap<>();
    kinds.forEach((port, k) -> out.put(port, k.size() > 1 ? VirtualGateway.Protocol.http2
        : k.contains(0) ? VirtualGateway.Protocol.grpc : VirtualGateway.Protocol.http));
    return out;
  }

  /** Whether the Gateway's class is ours: its GatewayClass names our controller, or (none in the input) it is {@link GatewayApi#DEFAULT_CLASS}. */
  static boolean ours(GatewayApi.Gateway g, Map<String, GatewayApi.GatewayClass> classes) {
    String name = g.spec().gatewayClassName();
    if (name == null) {
      return false;
    }
    GatewayApi.GatewayClass c = classes.get(name);
    return c == null ? GatewayApi.DEFAULT_CLASS.equals(name) : GatewayApi.GATEWAY_CONTROLLER.equals(c.spec().controllerName());
  }

  private static List<ServedListener> listeners(GatewayApi.Gateway g, Findings f) {
    List<ServedListener> out = new ArrayList<>();
    if (!g.spec().addresses().isEmpty()) {
      f.warn("spec.addresses", "not used: the Gateway's address is that of its Envoy (the Service or load balancer in"
          + " front of the pods that run it)");
    }
    if (g.spec().infrastructure() != null) {
      f.warn("spec.infrastructure", "not used: appmesh-xds configures the Gateway's Envoy, it does not deploy it");
    }
    List<GatewayApi.Listener> ls = g.spec().listeners();
    Set<String> names = new java.util.HashSet<>();
    Map<String, Integer> portHost = new HashMap<>();
    for (int i = 0; i < ls.size(); i++) {
      GatewayApi.Listener l = ls.get(i);
      String at = "spec.listeners[" + i + "]";
      if (l.name() == null || l.name().isEmpty()) {
        f.error(at + ".name", "required");
        continue;
      }
      if (!names.add(l.name())) {
        f.error(at + ".name", "listener name " + l.name() + " is used twice");
        continue;
      }
      if (l.port() == null || l.port() < 1 || l.port() > 65535) {
        f.error(at + ".port", "required: 1-65535" + (l.port() == null ? "" : " (got " + l.port() + ")"));
        continue;
      }
      String protocol = l.protocol() == null ? "" : l.protocol();
      if (!protocol.equals("HTTP")) {
        f.error(Reason.UnsupportedProtocol, at + ".protocol", "listener " + l.name() + ": protocol \"" + protocol
            + "\" is not served (only HTTP is; TLS termination at a Gateway is not implemented); the listener is left out");
        continue;
      }
      if (l.tls() != null) {
        f.warn(at + ".tls", "ignored: protocol HTTP has no TLS");
      }
      String host = l.hostname();
      if (host != null && (host.length() > 253 || !HOSTNAME.matcher(host).matches())) {
        f.error(at + ".hostname", "\"" + host + "\" is not a host name or a wildcard *.<domain>; the listener is left out");
        continue;
      }
      Integer twin = portHost.putIfAbsent(l.port() + "|" + host, i);
      if (twin != null) {
        f.error(Reason.HostnameConflict, at, "listeners[" + twin + "] has the same port and hostname; the listener is"
            + " left out");
        continue;
      }
      String from = "Same";
      Map<String, String> selector = null;
      boolean httpRoutes = true;
      boolean grpcRoutes = true;
      if (l.allowedRoutes() != null) {
        GatewayApi.AllowedRoutes ar = l.allowedRoutes();
        if (ar.namespaces() != null && ar.namespaces().from() != null) {
          from = ar.namespaces().from();
        }
        switch (from) {
          case "Same", "All" -> { }
          case "Selector" -> selector = matchLabels(ar.namespaces().selector(), at + ".allowedRoutes.namespaces.selector", f);
          default -> {
            f.error(at + ".allowedRoutes.namespaces.from", "unsupported value \"" + from + "\"; supported: Same, All, Selector");
            continue;
          }
        }
        if (!ar.kinds().isEmpty()) {
          httpRoutes = ar.kinds().stream().anyMatch(k -> GatewayApiStatuses.HTTP_ROUTE.equals(k.kind())
              && (k.group() == null || GatewayApi.GROUP.equals(k.group())));
          grpcRoutes = ar.kinds().stream().anyMatch(k -> GatewayApiStatuses.GRPC_ROUTE.equals(k.kind())
              && (k.group() == null || GatewayApi.GROUP.equals(k.group())));
          if (!httpRoutes && !grpcRoutes) {
            f.warn(at + ".allowedRoutes.kinds", "no kind served (HTTPRoute, GRPCRoute): no route attaches to listener "
                + l.name());
          }
        }
      }
      out.add(new ServedListener(l.name(), l.port(), host, from, selector, httpRoutes, grpcRoutes));
    }
    return out;
  }

  /** A namespace selector's matchLabels (matchExpressions are not read: nothing matches then). */
  @SuppressWarnings("unchecked")
  private static Map<String, String> matchLabels(Map<String, Object> selector, String at, Findings f) {
    if (selector == null) {
      f.error(at, "required with from: Selector; no namespace is selected");
      return null;
    }
    if (selector.get("matchExpressions") != null) {
      f.error(Reason.Unsupported, at + ".matchExpressions", "not served (matchLabels is); no namespace is selected");
      return null;
    }
    Map<String, String> out = new TreeMap<>();
    if (selector.get("matchLabels") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    }
    return out;
  }

  private static boolean allows(ServedListener l, String gatewayNs, String routeNs, MeshResources in) {
    return switch (l.from()) {
      case "All" -> true;
      case "Selector" -> {
        K8sNamespace ns = in.namespaces().get(routeNs);
        Map<String, String> labels = ns == null ? Map.of() : ns.labels();
        yield l.selector() != null && labels.entrySet().containsAll(l.selector().entrySet());
      }
      default -> gatewayNs.equals(routeNs);
    };
  }

  /** Attaches one route to the listeners of its Gateway parents of ours, drafting its GatewayRoutes. */
  private static void attach(GatewayApi.Route route, MeshResources in, Map<String, List<VirtualService>> services,
      SortedMap<ObjectRef, GatewayFacts> facts,
      Map<ObjectRef, List<ServedListener>> served, Map<String, List<GatewayApi.ReferenceGrant>> grants, Findings f,
      Set<Integer> parents, List<String> attached, Map<Integer, Attachment> attachments,
      Map<ObjectRef, List<Draft>> drafts) {
    String routeNs = route.metadata().namespace();
    // Listener, hostname (null: any) pairs per parent.
    Map<ServedListener, List<String>> targets = new LinkedHashMap<>();
    Map<ServedListener, ObjectRef> gatewayOf = new HashMap<>();
    List<GatewayApi.ParentRef> refs = route.parentRefs();
    for (int i = 0; i < refs.size(); i++) {
      GatewayApi.ParentRef p = refs.get(i);
      String group = p.group() == null ? GatewayApi.GROUP : p.group();
      String kind = p.kind() == null ? "Gateway" : p.kind();
      if (!kind.equals("Gateway") || !group.equals(GatewayApi.GROUP) || p.name() == null) {
        continue;
      }
      String gwNs = p.namespace() == null || p.namespace().isEmpty() ? routeNs : p.namespace();
      ObjectRef gwRef = new ObjectRef("Gateway", gwNs, p.name());
      GatewayFacts gf = facts.get(gwRef);
      if (gf == null) {
        continue; // not ours (or not in the input): GAMMA's resolver says so
      }
      parents.add(i);
      String at = "spec.parentRefs[" + i + "]";
      if (gf.virtualGateway() == null) {
        f.error(Reason.NoMatchingParent, at, "Gateway " + gwNs + "/" + p.name() + " is not accepted (see its status)");
        continue;
      }
      List<ServedListener> candidates = new ArrayList<>();
      for (ServedListener l : served.get(gwRef)) {
        if ((p.sectionName() == null || p.sectionName().equals(l.name())) && (p.port() == null || p.port() == l.port())) {
          candidates.add(l);
        }
      }
      if (candidates.isEmpty()) {
        f.error(Reason.NoMatchingParent, at, "Gateway " + gwNs + "/" + p.name() + " has no served listener"
            + (p.sectionName() == null ? "" : " named " + p.sectionName()) + (p.port() == null ? "" : " on port " + p.port()));
        continue;
      }
      List<String> refused = new ArrayList<>();
      List<String> admitted = new ArrayList<>();
      boolean took = false;
      for (ServedListener l : candidates) {
        if (!l.admits(route) || !allows(l, gwNs, routeNs, in)) {
          refused.add(l.name() + (l.admits(route) ? " (allowedRoutes.namespaces.from: " + l.from() + ")" : " (allowedRoutes.kinds)"));
          continue;
        }
        admitted.add(l.name());
        List<String> hosts = hostnames(l.hostname(), route instanceof GatewayApi.HttpRoute h ? h.spec().hostnames()
            : ((GatewayApi.GrpcRoute) route).spec().hostnames());
        if (hosts.isEmpty()) {
          refused.add(l.name() + " (no hostname of the route matches the listener's " + l.hostname() + ")");
          continue;
        }
        took = true;
        targets.computeIfAbsent(l, x -> new ArrayList<>());
        hosts.forEach(h -> {
          if (!targets.get(l).contains(h)) {
            targets.get(l).add(h);
          }
        });
        gatewayOf.put(l, gwRef);
      }
      if (!admitted.isEmpty()) {
        attachments.put(i, new Attachment(gwRef, List.copyOf(admitted)));
      }
      if (!took) {
        // Gateway API's reasons: some listener admits the route but no hostname matches, or none admits it.
        f.error(admitted.isEmpty() ? Reason.NotAllowedByListeners : Reason.NoMatchingListenerHostname, at,
            "no listener of Gateway " + gwNs + "/" + p.name() + " takes this route: " + String.join(", ", refused));
      } else if (!refused.isEmpty()) {
        f.warn(at, "listeners of Gateway " + gwNs + "/" + p.name() + " that do not take this route: " + String.join(", ", refused));
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    if (route instanceof GatewayApi.GrpcRoute grpc) {
      attachGrpc(grpc, in, services, grants, f, attached, targets, gatewayOf, drafts);
      return;
    }
    GatewayApi.HttpRoute http = (GatewayApi.HttpRoute) route;
    List<GammaRules.Pending> pending = GammaRules.http(http, f);
    if (f.hasErrors()) {
      return; // nothing of a route with an error is served (as for GAMMA)
    }
    Set<Integer> reported = new java.util.HashSet<>();
    int drafted = 0;
    Map<ServedListener, Integer> perListener = new LinkedHashMap<>();
    for (GammaRules.Pending pr : pending) {
      String ruleAt = "spec.rules[" + pr.rule() + "]";
      boolean first = reported.add(pr.rule());
      GatewayRoute.Target target = ruleTarget(http, pr, ruleAt, in, services, grants, f, first);
      if (target == null) {
        continue;
      }
      GatewayApi.HttpRule rule = http.spec().rules().get(pr.rule());
      if (!pr.edits().isEmpty()) {
        if (first) {
          rejectFilters(rule.filters(), Set.of("RequestHeaderModifier", "ResponseHeaderModifier"), ruleAt, f);
        }
        continue;
      }
      if (first && pr.timeoutMs() != DEFAULT_TIMEOUT_MS) {
        f.warn(ruleAt + ".timeouts", "not served through a Gateway: the route timeout of the target VirtualService's"
            + " routes applies (15s by default)");
      }
      String mat = ruleAt + ".matches[" + pr.match() + "]";
      GatewayRoute.HttpMatch base = match(pr, mat, f);
      if (base == null) {
        continue;
      }
      List<Part> parts = rewrite(rule, pr, base, target, ruleAt + ".filters", in, f, first);
      if (parts == null) {
        continue;
      }
      for (Map.Entry<ServedListener, List<String>> e : targets.entrySet()) {
        ServedListener l = e.getKey();
        ObjectRef gw = gatewayOf.get(l);
        for (String host : e.getValue()) {
          GatewayRoute.HostnameMatch hm = hostnameMatch(host);
          for (Part part : parts) {
            GatewayRoute.HttpMatch pm = part.match();
            GatewayRoute.HttpMatch m = new GatewayRoute.HttpMatch(pm.prefix(), pm.path(), pm.queryParameters(),
                pm.method(), hm, pm.headers(), l.port());
            String name = draftName(http, pr, l, e.getValue(), host) + part.suffix();
            drafts.computeIfAbsent(gw, x -> new ArrayList<>()).add(new Draft(gw, hostRank(host), host == null ? 0 : host.length(),
                1, pr.rank(), http.creationTimestamp(), http.ref(), pr.rule(), pr.match(), name, m, part.rewrite(), null,
                target, mat, l.port()));
            drafted++;
          }
          perListener.merge(l, parts.size(), Integer::sum);
        }
      }
    }
    reportAttached(drafted, perListener, gatewayOf, attached, f);
  }

  /**
   * Drafts the GatewayRoutes of a GRPCRoute on the listeners it attaches to, one per match, listener
   * and hostname; the host is kept (GRPCRoute has no URLRewrite: {@code defaultTargetHostname:
   * DISABLED}) and {@code headers} become gRPC {@code metadata} (or HTTP {@code headers}), Exact as
   * {@code exact}, RegularExpression as {@code regex}. A match becomes:
   *
   * <ul>
   *   <li>{@code method} Exact with a {@code service} and no {@code method}: a {@code grpcRoute}
   *       with {@code match.serviceName} (App Mesh's gRPC gateway route matches {@code :path} prefix
   *       {@code /<service>/}, which is GRPCRoute's service match);
   *   <li>no {@code method} on a listener hostname or route hostname: a {@code grpcRoute} with only
   *       {@code match.hostname};
   *   <li>any match naming a method (Exact service and method, Exact method alone, RegularExpression),
   *       or no method and no hostname: App Mesh's gRPC gateway route cannot say it (its match has no
   *       method, and needs a service name or a hostname), so an {@code http2Route} (or {@code
   *       httpRoute} on an {@code http} listener) whose path match is the one GRPCRoute defines on
   *       {@code :path} ({@code path.exact: /<service>/<method>}, {@code path.regex: /[^/]+/<method>}
   *       or {@code /(<service>)/(<method>)}, {@code prefix: /} kept): the gateway module serves
   *       both types alike, so the Envoy route matches exactly what the GRPCRoute says.
   * </ul>
   * Header modifier and mirror filters are not lowered (a GatewayRoute has neither): the rule is
   * left out, an error at the filter's {@code type}.
   */
  private static void attachGrpc(GatewayApi.GrpcRoute route, MeshResources in, Map<String, List<VirtualService>> services,
      Map<String, List<GatewayApi.ReferenceGrant>> grants, Findings f, List<String> attached,
      Map<ServedListener, List<String>> targets, Map<ServedListener, ObjectRef> gatewayOf, Map<ObjectRef, List<Draft>> drafts) {
    List<GammaRules.Pending> pending = GammaRules.grpc(route, f);
    if (f.hasErrors()) {
      return; // nothing of a route with an error is served (as for GAMMA)
    }
    GatewayRoute.HostnameRewrite keepHost = new GatewayRoute.HostnameRewrite(GatewayRoute.Toggle.DISABLED);
    Set<Integer> reported = new java.util.HashSet<>();
    int drafted = 0;
    Map<ServedListener, Integer> perListener = new LinkedHashMap<>();
    for (GammaRules.Pending pr : pending) {
      String ruleAt = "spec.rules[" + pr.rule() + "]";
      boolean first = reported.add(pr.rule());
      GatewayRoute.Target target = ruleTarget(route, pr, ruleAt, in, services, grants, f, first);
      if (target == null) {
        continue;
      }
      GatewayApi.GrpcRule rule = route.spec().rules().get(pr.rule());
      if (!pr.edits().isEmpty() || !pr.mirrors().isEmpty()) {
        if (first) {
          rejectFilters(rule.filters(), Set.of("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror"), ruleAt,
              f);
        }
        continue;
      }
      String mat = ruleAt + ".matches[" + pr.match() + "]";
      GatewayApi.GrpcMethodMatch mm = rule.matches().isEmpty() ? null : rule.matches().get(pr.match()).method();
      boolean serviceOnly = mm != null && (mm.type() == null || "Exact".equals(mm.type())) && mm.service() != null
          && mm.method() == null;
      List<HeaderMatch> headers = headers(pr);
      for (Map.Entry<ServedListener, List<String>> e : targets.entrySet()) {
        ServedListener l = e.getKey();
        ObjectRef gw = gatewayOf.get(l);
        for (String host : e.getValue()) {
          GatewayRoute.HostnameMatch hm = hostnameMatch(host);
          GatewayRoute.GrpcMatch grpc = null;
          GatewayRoute.HttpMatch http = null;
          GatewayRoute.HttpRewrite rewrite = null;
          if (serviceOnly || mm == null && hm != null) {
            grpc = new GatewayRoute.GrpcMatch(serviceOnly ? mm.service() : null, hm, headers.isEmpty() ? null : headers,
                l.port());
          } else {
            String prefix = pr.pathKind() == ServiceRoutes.PathKind.PREFIX ? pr.path() : null;
            HttpPathMatch path = switch (pr.pathKind()) {
              case EXACT -> new HttpPathMatch(pr.path(), null);
              case REGEX -> new HttpPathMatch(null, pr.path());
              default -> null;
            };
            http = new GatewayRoute.HttpMatch(prefix, path, null, null, hm, headers.isEmpty() ? null : headers, l.port());
            rewrite = new GatewayRoute.HttpRewrite(prefix == null ? null
                : new GatewayRoute.PrefixRewrite(GatewayRoute.Toggle.DISABLED, null), null, keepHost);
          }
          String name = draftName(route, pr, l, e.getValue(), host);
          drafts.computeIfAbsent(gw, x -> new ArrayList<>()).add(new Draft(gw, hostRank(host), host == null ? 0 : host.length(),
              0, pr.rank(), route.creationTimestamp(), route.ref(), pr.rule(), pr.match(), name, http, rewrite, grpc,
              target, mat, l.port()));
          drafted++;
          perListener.merge(l, 1, Integer::sum);
        }
      }
    }
    reportAttached(drafted, perListener, gatewayOf, attached, f);
  }

  /**
   * A rule whose filters a GatewayRoute cannot carry is left out: an error at each such filter's
   * {@code type} (they are served for a Service parent).
   */
  private static void rejectFilters(List<GatewayApi.Filter> filters, Set<String> types, String ruleAt, Findings f) {
    for (int i = 0; i < filters.size(); i++) {
      String type = filters.get(i).type();
      if (types.contains(type)) {
        f.error(Reason.Unsupported, ruleAt + ".filters[" + i + "].type", type + " filters are not served through a"
            + " Gateway yet (a GatewayRoute has no header edits or mirrors; they are served for a Service parent); the"
            + " rule is left out");
      }
    }
  }

  /** A drafted GatewayRoute's hostname match: exact, a {@code *.} wildcard as a suffix, or none (null). */
  private static GatewayRoute.HostnameMatch hostnameMatch(String host) {
    return host == null ? null : host.startsWith("*.") ? new GatewayRoute.HostnameMatch(null, host.substring(1))
        : new GatewayRoute.HostnameMatch(host, null);
  }

  /** Gateway API's hostname precedence: an exact host, then a wildcard, then none. */
  private static int hostRank(String host) {
    return host == null ? 2 : host.startsWith("*.") ? 1 : 0;
  }

  /** {@code <route>-<namespace>-<rule>-<match>-<listener>[-<host index>]}, unique per Gateway. */
  private static String draftName(GatewayApi.Route route, GammaRules.Pending pr, ServedListener l, List<String> hosts,
      String host) {
    return route.metadata().name() + "-" + route.metadata().namespace() + "-" + pr.rule() + "-" + pr.match() + "-"
        + l.name() + (hosts.size() > 1 ? "-" + hosts.indexOf(host) : "");
  }

  /** What the route's status says it attached to, or an error when no rule could be served. */
  private static void reportAttached(int drafted, Map<ServedListener, Integer> perListener,
      Map<ServedListener, ObjectRef> gatewayOf, List<String> attached, Findings f) {
    if (drafted > 0) {
      perListener.forEach((l, n) -> attached.add("Gateway " + gatewayOf.get(l).namespace() + "/" + gatewayOf.get(l).name()
          + " listener " + l.name() + " (port " + l.port() + ", " + n + " gateway route(s))"));
    } else if (!f.hasErrors()) {
      f.error(Reason.InvalidSpec, "spec.rules", "no rule can be served through a Gateway");
    }
  }

  /**
   * The hostnames a route is matched on at a listener (null: any host): the intersection of the
   * listener's hostname and the route's hostnames, as Gateway API defines it; empty when none matches.
   */
  static List<String> hostnames(String listener, List<String> route) {
    List<String> out = new ArrayList<>();
    if (route.isEmpty()) {
      out.add(listener);
      return out;
    }
    for (String h : route) {
      if (listener == null || matches(listener, h)) {
        out.add(h);
      } else if (matches(h, listener)) {
        out.add(listener);
      }
    }
    return new ArrayList<>(new LinkedHashSet<>(out));
  }

  /** Whether host pattern {@code pattern} (exact, or {@code *.domain}) matches {@code host} (also a pattern). */
  private static boolean matches(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      String h = host.startsWith("*.") ? host.substring(1) : host;
      return h.endsWith(suffix) && h.length() > suffix.length();
    }
    return false;
  }

  /** A Gateway API match as a GatewayRoute match (without hostname and port), or null when it cannot be one. */
  private static GatewayRoute.HttpMatch match(GammaRules.Pending pr, String at, Findings f) {
    String prefix = null;
    HttpPathMatch path = null;
    switch (pr.pathKind()) {
      case PREFIX -> prefix = pr.path();
      case EXACT -> path = new HttpPathMatch(pr.path(), null);
      case REGEX -> path = new HttpPathMatch(null, pr.path());
      default -> throw new IllegalStateException(pr.pathKind().name());
    }
    List<HeaderMatch> headers = headers(pr);
    List<QueryParameterMatch> queries = new ArrayList<>();
    for (ServiceRoutes.Condition c : pr.queryParams()) {
      if (c.regex() && c.value().equals(".*")) {
        // Any value, i.e. present: App Mesh's query parameter match without a value.
        queries.add(new QueryParameterMatch(c.name(), null));
        continue;
      }
      if (c.regex()) {
        f.error(Reason.Unsupported, at + ".queryParams", "a RegularExpression query parameter match is not served through a"
            + " Gateway (Exact is, and the pattern \".*\", which is a presence match); the match is left out");
        return null;
      }
      queries.add(new QueryParameterMatch(c.name(), new QueryParameterMatch.Match(c.value())));
    }
    HttpMethod method = pr.method() == null ? null : HttpMethod.valueOf(pr.method());
    return new GatewayRoute.HttpMatch(prefix, path, queries.isEmpty() ? null : queries, method, null,
        headers.isEmpty() ? null : headers, null);
  }

  /** A match's header conditions (Exact, RegularExpression) as App Mesh header matches ({@code headers}, gRPC {@code metadata}). */
  private static List<HeaderMatch> headers(GammaRules.Pending pr) {
    List<HeaderMatch> headers = new ArrayList<>();
    for (ServiceRoutes.Condition c : pr.headers()) {
      headers.add(new HeaderMatch(c.name(), c.regex() ? HeaderMatchMethod.regexp(c.value()) : HeaderMatchMethod.exactly(c.value()),
          null));
    }
    return headers;
  }

  /**
   * A rule's {@code URLRewrite} as App Mesh's gateway route rewrite, for one match ({@code base}, its
   * GatewayRoute match without hostname and port); null when App Mesh's rewrite cannot say it
   * (reported once per rule, {@code report}). Exact where it is expressed:
   *
   * <ul>
   *   <li>no {@code hostname}: the Host is kept ({@code defaultTargetHostname: DISABLED});
   *       {@code hostname} equal to the target VirtualService's App Mesh name: App Mesh's default
   *       host rewrite ({@code ENABLED}); any other host cannot be written by a gateway route;
   *   <li>{@code ReplaceFullPath p}: {@code rewrite.path.exact: p} (the whole path, query kept);
   *   <li>{@code ReplacePrefixMatch r} on {@code PathPrefix /}: {@code prefix: /}, {@code
   *       rewrite.prefix.value: r/} ({@code /a} becomes {@code r/a}; {@code r} of {@code /}: kept);
   *   <li>{@code ReplacePrefixMatch r} on {@code PathPrefix /p} (which matches {@code /p} and
   *       {@code /p/…}): two gateway routes, {@code prefix: /p/} with {@code rewrite.prefix.value:
   *       r/} and {@code path.exact: /p} with {@code rewrite.path.exact: r}, so {@code /p/x} becomes
   *       {@code r/x} and {@code /p} becomes {@code r}, as Gateway API's table says;
   *   <li>no path modifier: the path is kept ({@code prefix.defaultPrefix: DISABLED} on a prefix match).
   * </ul>
   * A {@code ReplacePrefixMatch} on another match type is an error {@link GammaRules} reports.
   */
  private static List<Part> rewrite(GatewayApi.HttpRule rule, GammaRules.Pending pr, GatewayRoute.HttpMatch base,
      GatewayRoute.Target target, String filtersAt, MeshResources in, Findings f, boolean report) {
    GatewayApi.UrlRewrite rw = null;
    String at = null;
    for (int i = 0; i < rule.filters().size() && rw == null; i++) {
      if ("URLRewrite".equals(rule.filters().get(i).type())) {
        rw = rule.filters().get(i).urlRewrite();
        at = filtersAt + "[" + i + "].urlRewrite";
      }
    }
    GatewayRoute.HostnameRewrite keepHost = new GatewayRoute.HostnameRewrite(GatewayRoute.Toggle.DISABLED);
    GatewayRoute.PrefixRewrite keepPrefix = new GatewayRoute.PrefixRewrite(GatewayRoute.Toggle.DISABLED, null);
    if (rw == null) {
      return List.of(new Part(base, new GatewayRoute.HttpRewrite(base.prefix() != null ? keepPrefix : null, null, keepHost), ""));
    }
    GatewayRoute.HostnameRewrite host = keepHost;
    if (rw.hostname() != null) {
      Reference t = target.virtualService().virtualServiceRef();
      String name = in.objects().get(new ObjectRef(Kind.VirtualService.name(), t.namespaceOr(""), t.name())) instanceof
          VirtualService vs ? Names.awsName(vs) : null;
      if (!rw.hostname().equals(name)) {
        if (report) {
          f.error(Reason.Unsupported, at + ".hostname", "\"" + rw.hostname() + "\" is not served through a Gateway: a"
              + " gateway route rewrites the Host only to its target VirtualService's name (" + name + ", App Mesh's"
              + " defaultTargetHostname); the rule is left out");
        }
        return null;
      }
      host = new GatewayRoute.HostnameRewrite(GatewayRoute.Toggle.ENABLED);
    }
    GatewayApi.PathModifier p = rw.path();
    if (p == null) {
      return List.of(new Part(base, new GatewayRoute.HttpRewrite(base.prefix() != null ? keepPrefix : null, null, host), ""));
    }
    if ("ReplaceFullPath".equals(p.type())) {
      return List.of(new Part(base, new GatewayRoute.HttpRewrite(null, new GatewayRoute.PathRewrite(p.replaceFullPath()),
          host), ""));
    }
    // ReplacePrefixMatch: GammaRules has checked that the match is a PathPrefix.
    String to = trimSlash(p.replacePrefixMatch() == null ? "/" : p.replacePrefixMatch());
    GatewayRoute.PrefixRewrite prefixTo = to.equals("/") ? new GatewayRoute.PrefixRewrite(null, "/")
        : new GatewayRoute.PrefixRewrite(null, to + "/");
    if (base.prefix() != null) {
      // PathPrefix /: every path, the leading / becomes r/.
      return List.of(new Part(base, new GatewayRoute.HttpRewrite(to.equals("/") ? keepPrefix : prefixTo, null, host), ""));
    }
    GatewayApi.HttpMatch m = rule.matches().isEmpty() ? null : rule.matches().get(pr.match());
    String from = trimSlash(m.path().value());
    GatewayRoute.HttpMatch under = new GatewayRoute.HttpMatch(from + "/", null, base.queryParameters(), base.method(), null,
        base.headers(), null);
    GatewayRoute.HttpMatch itself = new GatewayRoute.HttpMatch(null, new HttpPathMatch(from, null), base.queryParameters(),
        base.method(), null, base.headers(), null);
    return List.of(new Part(under, new GatewayRoute.HttpRewrite(prefixTo, null, host), ""),
        new Part(itself, new GatewayRoute.HttpRewrite(null, new GatewayRoute.PathRewrite(to), host), "-exact"));
  }

  /** "/foo/" and "/foo" are the same PathPrefix in Gateway API. */
  private static String trimSlash(String p) {
    String s = p;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * The one target of a rule: every backendRef with a weight resolves to the same VirtualService
   * and port (a GatewayRoute has one target); null when not, with the reason reported once.
   */
  private static GatewayRoute.Target ruleTarget(GatewayApi.Route route, GammaRules.Pending pr, String at,
      MeshResources in, Map<String, List<VirtualService>> services, Map<String, List<GatewayApi.ReferenceGrant>> grants,
      Findings f, boolean report) {
    Findings local = new Findings(f.ref());
    Set<GatewayRoute.Target> found = new LinkedHashSet<>();
    for (int i = 0; i < pr.backendRefs().size(); i++) {
      GatewayApi.BackendRef b = pr.backendRefs().get(i);
      if (b.weight() != null && b.weight() == 0) {
        continue;
      }
      GatewayRoute.Target t = backend(route, b, pr.backendField() + "[" + i + "]", in, services, grants, local);
      if (t != null) {
        found.add(t);
      }
    }
    if (found.isEmpty() && !local.hasErrors()) {
      local.error(Reason.BackendNotFound, at + ".backendRefs", "no backend with a weight above 0: the rule is left out");
    }
    if (found.size() > 1) {
      local.error(Reason.Unsupported, at + ".backendRefs", "weights across different Services are not served through a"
          + " Gateway yet (a gateway route has one target VirtualService; put the split in the Service's own route)");
    }
    if (report) {
      f.addAll(local.list());
    }
    return local.hasErrors() || found.size() != 1 ? null : found.iterator().next();
  }

  /** A backend Service as the VirtualService named like it, on the port its provider listens on; null when none. */
  private static GatewayRoute.Target backend(GatewayApi.Route route, GatewayApi.BackendRef b, String field,
      MeshResources in, Map<String, List<VirtualService>> services, Map<String, List<GatewayApi.ReferenceGrant>> grants,
      Findings f) {
    if (!GammaResolver.isService(b, field, f)) {
      return null;
    }
    if (b.name() == null || b.name().isEmpty() || b.port() == null) {
      f.error(field + (b.port() == null ? ".port" : ".name"), "required for a Service backend");
      return null;
    }
    String ns = GammaResolver.permittedNamespace(route, b, field, grants, f, "");
    if (ns == null) {
      return null;
    }
    List<String> names = GammaResolver.serviceNames(b.name(), ns);
    VirtualService vs = null;
    for (String name : names) {
      for (VirtualService s : services.getOrDefault(name, List.of())) {
        if (!name.equals(b.name()) || ns.equals(s.namespace())) {
          vs = s;
          break;
        }
      }
      if (vs != null) {
        break;
      }
    }
    if (vs == null) {
      f.error(Reason.BackendNotFound, field + ".name", "no VirtualService is named like Service " + ns + "/" + b.name() + " ("
          + String.join(", ", names.subList(0, 3)) + ", or " + b.name() + " in namespace " + ns
          + "): a Gateway sends to VirtualServices");
      return null;
    }
    List<Long> ports = providerPorts(vs, in);
    Long port = null;
    if (ports.contains(b.port())) {
      port = b.port();
    } else {
      K8sService svc = in.services().get(new ObjectRef("Service", ns, b.name()));
      if (svc != null) {
        for (K8sService.Port sp : svc.ports()) {
          if (sp.port() == b.port() && sp.targetPort() != null && ports.contains((long) sp.targetPort())) {
            port = (long) sp.targetPort();
          }
        }
      }
    }
    if (port == null && !ports.isEmpty()) {
      f.error(Reason.BackendNotFound, field + ".port", "VirtualService " + Names.awsName(vs) + " (Service " + ns + "/"
          + b.name() + ") has no port " + b.port() + " (its provider's listeners: " + ports + ")");
      return null;
    }
    return new GatewayRoute.Target(new GatewayRoute.TargetVirtualService(new Reference(vs.namespace(), vs.name()), null),
        port == null ? b.port() : port);
  }

  /** The listener ports of a VirtualService's provider, from the input (the model is not built yet). */
  private static List<Long> providerPorts(VirtualService vs, MeshResources in) {
    var p = vs.spec().provider();
    if (p != null && p.virtualRouter() != null && p.virtualRouter().virtualRouterRef() != null) {
      Reference r = p.virtualRouter().virtualRouterRef();
      if (in.objects().get(new ObjectRef(Kind.VirtualRouter.name(), r.namespaceOr(vs.namespace()), r.name())) instanceof VirtualRouter vr) {
        return vr.spec().listeners().stream().map(l -> l.portMapping().port()).toList();
      }
    }
    if (p != null && p.virtualNode() != null && p.virtualNode().virtualNodeRef() != null) {
      Reference r = p.virtualNode().virtualNodeRef();
      if (in.objects().get(new ObjectRef(Kind.VirtualNode.name(), r.namespaceOr(vs.namespace()), r.name())) instanceof VirtualNode vn) {
        return vn.spec().listeners().stream().map(l -> l.portMapping().port()).toList();
      }
    }
    return List.of();
  }

  private static ObjectMeta meta(String name, String namespace, ObjectMeta from) {
    return new ObjectMeta(name, namespace, Map.of(), Map.of("appmesh-xds.io/lowered-from", "Gateway API"),
        from.generation(), from.uid(), null);
  }

  private static String uid(ObjectMeta m) {
    return m.uid() == null ? "" : m.uid();
  }

  /**
   * Statuses after the lowered objects were evaluated.
   *
   * @param gateways one status per Gateway of ours: Accepted, and Programmed in {@code more}
   * @param routes per route with a Gateway parent of ours, what it adds to its status (including
   *     the problems of its GatewayRoutes)
   */
  record Statuses(SortedMap<ObjectRef, ObjectStatus> gateways, Map<ObjectRef, RouteFacts> routes) {}

  /**
   * The Gateways' statuses, and the routes' facts with their GatewayRoutes' problems: a lowered
   * object's problem is reported on the object it stands for, at the field it lowers, naming the
   * lowered object and its own field.
   */
  static Statuses statuses(Lowered lowered, Map<ObjectRef, ObjectStatus> evaluated, SortedMap<String, MeshGraph> meshes,
      Map<ObjectRef, List<Problem>> loaded, MeshResources in) {
    if (lowered.gateways().isEmpty()) {
      return new Statuses(new TreeMap<>(), lowered.routes());
    }
    Map<ObjectRef, List<Problem>> mapped = new HashMap<>();
    lowered.origins().forEach((ref, origin) -> {
      ObjectStatus s = evaluated.get(ref);
      if (s == null) {
        return;
      }
      for (Problem p : s.problems()) {
        if (chosenType(ref, p)) {
          continue;
        }
        mapped.computeIfAbsent(origin.source(), k -> new ArrayList<>()).add(new Problem(p.severity(), p.reason(),
            origin.source(), origin.field(), "as " + ref.kind() + " " + ref.name() + ": " + p.fieldAndMessage(), null));
      }
    });
    Map<ObjectRef, RouteFacts> routes = new HashMap<>();
    lowered.routes().forEach((ref, rf) -> {
      List<Problem> ps = new ArrayList<>(rf.problems());
      ps.addAll(mapped.getOrDefault(ref, List.of()));
      routes.put(ref, new RouteFacts(rf.parents(), ps, rf.served(), rf.attachments()));
    });
    SortedMap<ObjectRef, ObjectStatus> gateways = new TreeMap<>();
    lowered.gateways().forEach((ref, gf) -> {
      List<Problem> all = new ArrayList<>(loaded.getOrDefault(ref, List.of()));
      all.addAll(gf.problems());
      all.addAll(mapped.getOrDefault(ref, List.of()));
      all = Evaluator.attachSources(all, in);
      String node = null;
      if (gf.virtualGateway() != null) {
        for (MeshGraph m : meshes.values()) {
          for (ResolvedGateway g : m.gateways().values()) {
            if (g.ref().equals(gf.virtualGateway())) {
              node = "mesh/" + m.name() + "/virtualGateway/" + g.awsName();
            }
          }
        }
      }
      List<Problem> errors = all.stream().filter(Problem::isError).toList();
      // A listener left out (its protocol, its hostname) does not reject the Gateway.
      List<Problem> gatewayErrors = errors.stream().filter(p -> !p.field().startsWith("spec.listeners[")).toList();
      List<ListenerStatus> listeners = GatewayApiStatuses.listeners(gf.gateway(), all, node != null);
      boolean someLeftOut = listeners.size() < gf.gateway().spec().listeners().size()
          || listeners.stream().anyMatch(l -> !l.conditions().get(0).isTrue());
      boolean noneAccepted = listeners.stream().noneMatch(l -> l.conditions().get(0).isTrue());
      Condition accepted;
      Condition programmed;
      if (node != null) {
        String served = "listeners " + String.join(", ", gf.listeners());
        accepted = new Condition(GammaResolver.ACCEPTED, "True", someLeftOut ? Reason.ListenersNotValid : Reason.Accepted,
            "served as a VirtualGateway-style Envoy (" + served + ")" + join(errors));
        programmed = new Condition(PROGRAMMED, "True", Reason.Programmed, "served to Envoy node id " + node);
      } else {
        // Gateway API's reason when no listener is left; else the Gateway's own (NameConflict, the VirtualGateway's).
        Reason reason = noneAccepted ? Reason.ListenersNotValid : gatewayErrors.isEmpty() ? Reason.InvalidSpec
            : gatewayErrors.get(0).reason();
        String why = errors.isEmpty() ? "not served" : "not served" + join(gatewayErrors.isEmpty() ? errors : gatewayErrors);
        accepted = new Condition(GammaResolver.ACCEPTED, "False", reason, why);
        programmed = new Condition(PROGRAMMED, "False", Reason.Invalid, why);
      }
      gateways.put(ref, new ObjectStatus(ref, gf.gateway().metadata().generationOrZero(), accepted, all, null,
          List.of(programmed), listeners, List.of()));
    });
    return new Statuses(gateways, routes);
  }

  /**
   * Whether {@code p} is the warning that a lowered gateway route's type differs from its listener's
   * protocol (a GRPCRoute's http2Route on a {@code grpc} listener, a grpcRoute on an {@code http2}
   * one): lowering chose both ({@link #protocols}) and the listener serves both, nothing to report.
   */
  private static boolean chosenType(ObjectRef ref, Problem p) {
    return !p.isError() && Kind.GatewayRoute.name().equals(ref.kind()) && p.field().startsWith("spec.")
        && p.field().endsWith("Route") && p.message().startsWith("route type ")
        && p.message().contains(" differs from the virtual gateway listener protocol ");
  }

  private static String join(List<Problem> errors) {
    return errors.isEmpty() ? "" : "; " + errors.size() + " error(s): "
        + String.join("; ", errors.stream().map(Problem::fieldAndMessage).toList());
  }

  /** Whether two lowerings synthesize the same object for {@code ref}. */
  static boolean same(Lowered a, Lowered b, ObjectRef ref) {
    return Objects.equals(a.objects().get(ref), b.objects().get(ref));
  }
}
