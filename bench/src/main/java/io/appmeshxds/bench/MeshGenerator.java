package io.appmeshxds.bench;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.HeaderMatchMethod;
import io.appmeshxds.translator.api.LabelSelector;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.PortMapping;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a mesh shaped like perf-anchors.md §6.1, deterministically from a seed: {@code services}
 * virtual services, each provided by a router (2 routes: a header route to the canary, a weighted
 * route), 2 virtual nodes per service (primary, canary) with 3 endpoints each, {@code backends}
 * backends per node, and {@code gateways} × {@code routesPerGateway} gateway routes. 100 services per
 * namespace.
 */
public final class MeshGenerator {

  /** A profile: M1k or M10k. */
  public record Profile(String name, int services, int backends, int gateways, int routesPerGateway) {
    public static final Profile M1K = new Profile("M1k", 1_000, 20, 10, 10);
    public static final Profile M10K = new Profile("M10k", 10_000, 20, 10, 100);

    public static Profile of(String name) {
      return switch (name) {
        case "M1k", "m1k" -> M1K;
        case "M10k", "m10k" -> M10K;
        default -> throw new IllegalArgumentException("unknown profile " + name + " (M1k, M10k)");
      };
    }
  }

  /**
   * Generator options.
   *
   * @param hotService add a service every VirtualNode lists as one more backend (the worst case of
   *     T4: one weight change reaches every proxy); off, the output is exactly the profile's
   */
  public record Options(boolean hotService) {
    public static final Options DEFAULT = new Options(false);
    public static final Options HOT = new Options(true);
  }

  public static final String MESH = "bench";
  public static final int PORT = 8080;
  /** Namespace and name of the hot service ({@link Options#hotService()}). */
  public static final String HOT_NAMESPACE = "ns-hot";

  public static final String HOT_SERVICE = "svc-hot";

  private MeshGenerator() {}

  /**
   * The control-plane config the bench runs with: the generated mesh opts into per-pod endpoints
   * ({@code endpoints.perPod.meshes: [bench]}). Why: the simulated clients present themselves as
   * Envoy, and by default an Envoy proxy gets clusters it resolves itself (App Mesh's behaviour),
   * which no EndpointSlice change reaches; with the opt-in the clients get EDS, so T3's EndpointSlice
   * change and T9 keep measuring EDS propagation.
   */
  public static ControlPlaneConfig config() {
    return new ControlPlaneConfig(null, null, null, new ControlPlaneConfig.Endpoints(new ControlPlaneConfig.PerPod(List.of(MESH))));
  }

  public static String namespace(int service) {
    return "ns-" + service / 100;
  }

  public static String service(int i) {
    return "svc-" + i;
  }

  /** App Mesh name of a service's primary node, e.g. {@code svc-3-primary_ns-0}. */
  public static String nodeAwsName(int i, String role) {
    return service(i) + "-" + role + "_" + namespace(i);
  }

  public static MeshResources generate(Profile p, long seed) {
    return generate(p, seed, Options.DEFAULT);
  }

  /** App Mesh name of the hot service's node, e.g. {@code svc-hot-primary_ns-hot}. */
  public static String hotNodeAwsName(String role) {
    return HOT_SERVICE + "-" + role + "_" + HOT_NAMESPACE;
  }

  public static MeshResources generate(Profile p, long seed, Options options) {
    SplittableRandom rnd = new SplittableRandom(seed);
    MeshResources.Builder b = MeshResources.builder();
    Map<String, String> meshLabel = Map.of("mesh", MESH);
    b.add(new Mesh(ObjectMeta.of(null, MESH), new Mesh.Spec(null, LabelSelector.matching(meshLabel), null, null, null)));
    for (int n = 0; n < (p.services() + 99) / 100; n++) {
      String ns = "ns-" + n;
      b.add(new K8sNamespace(ns, meshLabel), new ObjectRef("Namespace", null, ns), null);
    }
    for (int i = 0; i < p.services(); i++) {
      String ns = namespace(i);
      String svc = service(i);
      for (String role : List.of("primary", "canary")) {
        Set<Integer> targets = new LinkedHashSet<>();
        while (targets.size() < Math.min(p.backends(), p.services() - 1)) {
          int t = rnd.nextInt(p.services());
          if (t != i) {
            targets.add(t);
          }
        }
        List<VirtualNode.Backend> backends = new ArrayList<>();
        for (int t : targets) {
          backends.add(backend(namespace(t), service(t)));
        }
        if (options.hotService()) {
          backends.add(backend(HOT_NAMESPACE, HOT_SERVICE));
        }
        addNode(b, ns, svc, role, backends, (i * 2 + (role.equals("primary") ? 0 : 1)) * 3);
      }
      b.add(router(i, 0));
      b.add(virtualService(ns, svc));
    }
    if (options.hotService()) {
      // Addresses above every profile's: 10.255.255.x.
      b.add(new K8sNamespace(HOT_NAMESPACE, meshLabel), new ObjectRef("Namespace", null, HOT_NAMESPACE), null);
      addNode(b, HOT_NAMESPACE, HOT_SERVICE, "primary", List.of(), 0xffff00);
      addNode(b, HOT_NAMESPACE, HOT_SERVICE, "canary", List.of(), 0xffff10);
      b.add(hotRouter(0));
      b.add(virtualService(HOT_NAMESPACE, HOT_SERVICE));
    }
    for (int g = 0; g < p.gateways(); g++) {
      String ns = "gw-" + g;
      b.add(new K8sNamespace(ns, Map.of("mesh", MESH, "gateway", ns)), new ObjectRef("Namespace", null, ns), null);
      b.add(new VirtualGateway(ObjectMeta.of(ns, "gateway"), new VirtualGateway.Spec(null,
          LabelSelector.matching(Map.of("gateway", ns)), LabelSelector.matching(Map.of("app", "gateway")), null,
          List.of(new VirtualGateway.Listener(new VirtualGateway.PortMapping(8088L, VirtualGateway.Protocol.http), null, null,
              null)), null, null, null)));
      for (int r = 0; r < p.routesPerGateway(); r++) {
        int target = (g * p.routesPerGateway() + r) % p.services();
        b.add(new GatewayRoute(ObjectMeta.of(ns, "route-" + r), new GatewayRoute.Spec(null, null, null,
            new GatewayRoute.HttpGatewayRoute(new GatewayRoute.HttpMatch("/" + service(target) + "/", null, List.of(), null, null,
                List.of(), null), new GatewayRoute.HttpAction(new GatewayRoute.Target(
                    new GatewayRoute.TargetVirtualService(new Reference(namespace(target), service(target)), null), null), null)),
            null, null, null)));
      }
    }
    return b.build();
  }

  private static VirtualNode.Backend backend(String ns, String svc) {
    return new VirtualNode.Backend(new VirtualNode.VirtualServiceBackend(new Reference(ns, svc), null, null));
  }

  private static VirtualService virtualService(String ns, String svc) {
    return new VirtualService(ObjectMeta.of(ns, svc), new VirtualService.Spec(null,
        new VirtualService.Provider(null, new VirtualService.RouterProvider(Reference.to(svc), null)), null));
  }

  /** A node {@code <svc>-<role>} with DNS discovery, and its EndpointSlice of 3 endpoints from address {@code base}. */
  private static void addNode(MeshResources.Builder b, String ns, String svc, String role, List<VirtualNode.Backend> backends,
      int base) {
    String host = svc + "-" + role + "." + ns + ".svc.cluster.local";
    b.add(new VirtualNode(ObjectMeta.of(ns, svc + "-" + role), new VirtualNode.Spec(null,
        LabelSelector.matching(Map.of("app", svc + "-" + role)),
        List.of(new VirtualNode.Listener(PortMapping.of(PORT, PortProtocol.http), null, null, null, null, null)),
        new VirtualNode.ServiceDiscovery(null, new VirtualNode.Dns(host, null)), backends, List.of(), null, null, null)));
    List<EndpointSlice.Endpoint> eps = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      eps.add(new EndpointSlice.Endpoint(List.of(address(base + e)), true, "zone-" + e));
    }
    EndpointSlice slice = new EndpointSlice(ns, svc + "-" + role + "-1", svc + "-" + role, "IPv4", eps,
        List.of(new EndpointSlice.Port("http", PORT, "TCP")));
    b.add(slice, sliceRef(slice), null);
  }

  /** The address number {@code a} as 10.x.y.z. */
  public static String address(int a) {
    return "10." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }

  public static ObjectRef sliceRef(EndpointSlice s) {
    return new ObjectRef("EndpointSlice", s.namespace(), s.name());
  }

  /** Service {@code i}'s router with {@code canaryWeight} on its weighted route. */
  public static VirtualRouter router(int i, int canaryWeight) {
    return router(namespace(i), service(i), canaryWeight);
  }

  /** The hot service's router ({@link Options#hotService()}). */
  public static VirtualRouter hotRouter(int canaryWeight) {
    return router(HOT_NAMESPACE, HOT_SERVICE, canaryWeight);
  }

  private static VirtualRouter router(String ns, String svc, int canaryWeight) {
    VirtualRouter.WeightedTarget canary = new VirtualRouter.WeightedTarget(Reference.to(svc + "-canary"), null, (long) canaryWeight, null);
    VirtualRouter.WeightedTarget primary = new VirtualRouter.WeightedTarget(Reference.to(svc + "-primary"), null,
        (long) (100 - canaryWeight), null);
    VirtualRouter.Route header = new VirtualRouter.Route("canary-by-header", null, new VirtualRouter.HttpRoute(
        new VirtualRouter.HttpRouteMatch(List.of(new HeaderMatch("x-canary", HeaderMatchMethod.exactly("true"), null)), null, "/",
            null, null, List.of(), null),
        new VirtualRouter.RouteAction(List.of(new VirtualRouter.WeightedTarget(Reference.to(svc + "-canary"), null, 100L, null))),
        null, null), null, null, 10L);
    VirtualRouter.Route weighted = new VirtualRouter.Route("weighted", null, new VirtualRouter.HttpRoute(
        new VirtualRouter.HttpRouteMatch(List.of(), null, "/", null, null, List.of(), null),
        new VirtualRouter.RouteAction(List.of(canary, primary)), null, null), null, null, 20L);
    return new VirtualRouter(ObjectMeta.of(ns, svc), new VirtualRouter.Spec(null,
        List.of(new VirtualRouter.RouterListener(PortMapping.of(PORT, PortProtocol.http))), List.of(header, weighted), null));
  }

  /** Copy of {@code in} with service {@code i}'s router at {@code canaryWeight}. */
  public static MeshResources withWeight(MeshResources in, int i, int canaryWeight) {
    VirtualRouter r = router(i, canaryWeight);
    return with(in, ObjectRef.of(r), r);
  }

  /** Copy of {@code in} with the object at {@code ref} replaced by (or set to) {@code object}. */
  public static MeshResources with(MeshResources in, ObjectRef ref, Object object) {
    MeshResources.Builder b = MeshResources.builder();
    b.add(object, ref, null);
    byRef(in).forEach((r, o) -> {
      if (!r.equals(ref)) {
        b.add(o, r, null);
      }
    });
    return b.build();
  }

  /**
   * Every input object of {@code in} by the ref a source would store it under (Namespaces as
   * {@code Namespace/<name>}), for loading into a {@code ResourceStore}.
   */
  public static Map<ObjectRef, Object> byRef(MeshResources in) {
    Map<ObjectRef, Object> out = new java.util.LinkedHashMap<>();
    out.putAll(in.objects());
    in.namespaces().values().forEach(n -> out.put(new ObjectRef("Namespace", null, n.name()), n));
    out.putAll(in.services());
    out.putAll(in.endpointSlices());
    return out;
  }
}
