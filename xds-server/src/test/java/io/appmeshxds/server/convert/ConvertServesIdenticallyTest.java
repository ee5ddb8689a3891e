package io.appmeshxds.server.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.gateway.GatewayModule;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.plan.TracingDecorator;
import io.appmeshxds.tracing.xds.TracingFactory;
import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.QueryParameterMatch;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedGateway;
import io.appmeshxds.translator.model.ResolvedGatewayRoute;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.ExtensionFactory;
import io.appmeshxds.translator.xds.XdsJson;
import io.appmeshxds.translator.xds.XdsResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Issue 19: {@code convert --to gateway-api} on the bundled example and on every golden mesh
 * (sidecar and gateway cases, the inputs of {@link ConvertGoldenTest}); wherever the loss report
 * says "exact", the converted routes, served by us next to the original objects, produce the same
 * xDS resources as the App Mesh objects did.
 *
 * <p>Per input: (1) translate it as the golden runner and {@code render} do (the shipped pipeline:
 * sidecars, proxyless clients from the case's directives, gateways, tracing) into per-proxy
 * resources; (2) convert it with {@link GatewayApiConverter}, append everything it emits to the same
 * input — the GAMMA HTTPRoutes and GRPCRoutes (parentRef a Service; they take precedence over the
 * router on the ports they cover), the ReferenceGrants, the Gateways and their HTTPRoutes and
 * GRPCRoutes (parentRef a Gateway) — and remove the VirtualGateways and GatewayRoutes (a Gateway
 * named like a VirtualGateway would be a NameConflict; the converter keeps names, so the Gateway is
 * lowered into a VirtualGateway of the same name and its Envoy has the same node id), translate
 * again; (3) compare per proxy (sidecars, proxyless clients, gateways), per resource (listeners,
 * route configurations, clusters, endpoints, secrets, keyed by name): the proxies and resource names
 * must be the same and every resource equal, after the normalizations and report exclusions below,
 * and nothing else. A converted Gateway or Gateway-parent route whose status has an error fails the
 * test too, unless the report explains it (a TLS listener, below): either is a converter or a
 * lowering bug.
 *
 * <p>Input handling: Gateway API objects an input carries itself (the golden case
 * {@code gateway-api-routes}) are removed from both sides first: this compares App Mesh serving with
 * the converted routes' serving, and an input's own HTTPRoute would already replace the router being
 * converted. Every report entry is verifiable by serving: gRPC GatewayRoutes too, their GRPCRoutes on
 * a Gateway are lowered into gRPC (or, for a method, HTTP/2) GatewayRoutes (docs/gateway-api.md).
 *
 * <p>Normalizations (both sides, each keeps what Envoy or a gRPC client does with the resource):
 * <ol>
 *   <li><b>Route names.</b> An Envoy route of a converted rule is named {@code
 *       <Kind>/<ns>/<route>/rules-<k>/matches-0}; that part of the name is replaced by the name of
 *       the App Mesh route rule {@code k} was converted from (the converter's documented order: per
 *       router port and route kind, the router's routes in evaluation order). A route name is
 *       metadata (stats and logs), not routing; after the replacement the names must be equal, which
 *       also checks that every rule landed where its App Mesh route was.</li>
 *   <li><b>A virtual host's retry policy</b> is moved onto each of its routes that forward and have
 *       none: the translator hoists a retry policy shared by every route to the virtual host, and
 *       Envoy applies a virtual host's policy to exactly those routes.</li>
 *   <li><b>Header matchers of a route</b> are compared sorted by name: Envoy and gRPC require all of
 *       them, in any order.</li>
 *   <li><b>Gateway route names.</b> A gateway's Envoy route is named {@code <gateway route>/<target
 *       route>[/without-slash]}; a lowered GatewayRoute is named after its HTTPRoute, rule, match and
 *       listener ({@code <route>-<namespace>-0-0-<listener>_<namespace>}): that part is replaced by
 *       the App Mesh name of the GatewayRoute the HTTPRoute was converted from (its
 *       {@code converted-from} annotation). The second gateway route of a ReplacePrefixMatch on a
 *       PathPrefix ({@code …-exact}, its {@code path.exact} twin) is marked as such.</li>
 * </ol>
 *
 * <p>Exclusions, only as far as the report says (an entry {@code approximated} or {@code dropped} on
 * a VirtualRouter route field, applying to the Envoy routes made from that App Mesh route):
 * <ul>
 *   <li>{@code ...retryPolicy} (an explicit policy, or App Mesh's default when unset): the route's
 *       {@code retry_policy};</li>
 *   <li>{@code ...timeout.idle}: {@code idle_timeout}; a gRPC route's {@code ...timeout}: {@code
 *       timeout}, {@code idle_timeout}, {@code max_stream_duration};</li>
 *   <li>{@code ...match.prefix}, {@code ...match.path.regex}: the route's path condition; on a
 *       gateway, where the composed match, rewrite and number of composed routes all derive from the
 *       target route's path, every composed route of that App Mesh route;</li>
 *   <li>{@code ...match.headers[j]}, {@code ...match.metadata[j]}, {@code ...match.queryParameters[j]},
 *       {@code ...match.scheme}: the matchers of that header (or {@code :scheme}) or query
 *       parameter name;</li>
 *   <li>{@code ...action.weightedTargets[j]}: the route's clusters (and a direct response 500 the
 *       converted rule gets when no backend is left; a proxyless client is not sent such a rule at
 *       all), and a cluster with its endpoints that only such routes referred to;</li>
 *   <li>VirtualRouter {@code spec.routes} (route order approximated): the relative order of that
 *       router's routes;</li>
 *   <li>VirtualService {@code spec.awsName} (no Service has its DNS name): every route of that
 *       service in a sidecar's or proxyless client's virtual host (callers now call another DNS
 *       name). Not a gateway's routes to it: a gateway names its target and rewrites the host to
 *       the VirtualService's App Mesh name, which the converted URLRewrite carries.</li>
 * </ul>
 * On gateways, entries on the GatewayRoute (applying to the Envoy routes made from it) and on the
 * VirtualGateway:
 * <ul>
 *   <li>GatewayRoute {@code ...match.prefix}, {@code ...match.path.regex}: the routes that exist on
 *       one side only (App Mesh's {@code /without-slash} twin of a string prefix, the lowered
 *       segment-wise {@code path.exact} twin) and the order of that GatewayRoute's routes; the
 *       routes both sides have are compared whole (the {@code <prefix>/} variant with its rewrite);</li>
 *   <li>{@code ...match.hostname.suffix}: the {@code :authority} matcher and the route's order;
 *       {@code ...match.headers[j]}, {@code ...match.queryParameters[j]}: that name's matchers;
 *       {@code spec.priority}: the route's order; {@code ...action.target} (no Service in the input,
 *       port assumed): the route's clusters; {@code ...action.rewrite.hostname} (gRPC, dropped):
 *       {@code host_rewrite_literal};</li>
 *   <li>VirtualGateway {@code spec.listeners[i].tls...}: that listener (the converted HTTPS listener
 *       is not served by us), its route configuration and the routes in it, the errors of the
 *       Gateway's listener and of the routes attached to it, and the other listeners' {@code
 *       stat_prefix} (with one listener fewer the connection manager's stat prefix names no port);
 *       {@code ...portMapping.protocol}, {@code ...healthCheck}: that listener resource;
 *       {@code ...connectionPool}: that listener and the clusters' {@code circuit_breakers};
 *       {@code spec.logging}: every listener; {@code spec.backendDefaults...}: the clusters'
 *       {@code transport_socket}; {@code spec.podSelector}: nothing (no xDS).</li>
 * </ul>
 * Any other non-exact entry on a VirtualRouter, VirtualService, VirtualGateway or GatewayRoute fails
 * the test (unmapped), as does every difference not excluded above. Its first finding: a route
 * without {@code retryPolicy} got App Mesh's default retry policy and its converted rule got none,
 * with nothing in the report; the converter now reports that default as dropped. On gateways it found
 * that the lowering refused the converted routes' URLRewrite filters (now lowered into App Mesh's
 * rewrite) and their presence query matches ({@code RegularExpression .*}, now a presence match).
 * Non-exact entries on other objects (VirtualNode listener policies, Mesh egress) change nothing
 * here: those objects stay in the input.
 */
class ConvertServesIdenticallyTest {
  static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLWriteFeature.WRITE_DOC_START_MARKER).build();
  static final String GAPI = "gateway.networking.k8s.io/";
  static final Pattern GAMMA_NAME = Pattern.compile("(HTTPRoute|GRPCRoute)/([^/]+)/([^/]+)/rules-(\\d+)/matches-(\\d+)");
  static final Pattern ROUTE_FIELD = Pattern.compile("spec\\.routes\\[(\\d+)]\\.(httpRoute|http2Route|grpcRoute)\\.(.+)");
  static final Pattern LISTENER_PORT = Pattern.compile("lds_ingress_[^_]+_(\\d+)");
  /** Marks the second gateway route a ReplacePrefixMatch on a PathPrefix lowers into (its {@code path.exact}). */
  static final String EXACT_TWIN = "#exact";
  static final Pattern RDS_PORT = Pattern.compile("rds_ingress_http_(\\d+)");
  static final Pattern NONE = Pattern.compile("(?!)");
  static final Pattern GATEWAY_ROUTE_FIELD = Pattern.compile("spec\\.(httpRoute|http2Route|grpcRoute)\\.(.+)");
  static final Pattern VG_LISTENER_FIELD = Pattern.compile("spec\\.listeners\\[(\\d+)]\\.(.+)");
  static final Pattern LIST_FIELD = Pattern.compile("match\\.(headers|metadata|queryParameters)\\[(\\d+)](\\..*)?");

  static List<ExtensionFactory> extensions() {
    List<ExtensionFactory> e = new ArrayList<>(GatewayModule.extensions());
    e.add(new TracingFactory());
    return e;
  }

  /** The shipped pipeline ({@link Pipelines#standard()}), with endpoint options from a case's directive. */
  static final GoldenRunner RUNNER = GoldenRunner.withOptions(Path.of("."),
      o -> new Planner(o, List.of(GatewayModule.planner(o)), List.of(new TracingDecorator(ControlPlaneConfig.defaults().tracing()))),
      extensions(), () -> Pipelines.standard().modelBuilder());
  static final XdsJson JSON = new XdsJson(extensions());

  /** What the report excludes of the Envoy routes made from one App Mesh route. */
  static final class RouteEx {
    boolean retry;
    boolean idle;
    boolean timeouts;
    boolean path;
    boolean action;
    /** A gateway route's host rewrite ({@code host_rewrite_literal}). */
    boolean hostRewrite;
    /** A gateway route's place among the gateway's routes. */
    boolean order;
    final Set<String> headers = new TreeSet<>();
    final Set<String> queries = new TreeSet<>();

    boolean any() {
      return retry || idle || timeouts || path || action || hostRewrite || !headers.isEmpty() || !queries.isEmpty();
    }
  }

  /** What the report excludes of a gateway's own resources (its VirtualGateway's non-exact entries). */
  static final class GatewayEx {
    /** Listener ports whose listener resource is excluded (protocol, health check, connection pool, TLS). */
    final Set<Long> listeners = new TreeSet<>();
    /** Listener ports not served by the converted Gateway at all (TLS): listener, route configuration, their routes. */
    final Set<Long> unserved = new TreeSet<>();
    /** Every listener (access logging). */
    boolean allListeners;
    /** Clusters' upstream TLS ({@code transportSocket}: backend defaults' client policy). */
    boolean upstreamTls;
    /** Clusters' {@code circuitBreakers} (a listener's connection pool limits the gateway's upstream connections). */
    boolean circuitBreakers;
  }

  /** The report of one conversion, as exclusions. */
  static final class Exclusions {
    /** router label → App Mesh route name → exclusions. */
    final Map<String, Map<String, RouteEx>> routes = new HashMap<>();
    final Set<String> orderApproximated = new TreeSet<>();
    /** {@code mesh|awsName} of VirtualServices whose routes are excluded. */
    final Set<String> services = new TreeSet<>();
    /** {@code mesh|awsName} of a GatewayRoute → exclusions of the gateway routes made from it. */
    final Map<String, RouteEx> gatewayRoutes = new HashMap<>();
    /** {@code mesh|awsName} of a VirtualGateway → exclusions of its resources. */
    final Map<String, GatewayEx> gateways = new HashMap<>();
    final List<String> unmapped = new ArrayList<>();

    RouteEx of(String router, String route) {
      Map<String, RouteEx> m = routes.get(router);
      return m == null ? null : m.get(route);
    }
  }

  /** Counters for the summary (printed; see the class comment for what each means). */
  static final class Stats {
    /** Gateway routes of gRPC GatewayRoutes served from their converted GRPCRoutes on a Gateway and compared. */
    int grpcGatewayRoutesCompared;
    int inputs;
    int inputsWithOwnGatewayApi;
    int proxies;
    int proxiesExcluded;
    int gatewayProxies;
    int gatewayRoutesLowered;
    int gatewayRoutesIdentical;
    int gatewayRoutesPartlyExcluded;
    int gatewayRoutesExcluded;
    int resources;
    int identical;
    int identicalAfterExclusions;
    int excludedByReport;
    int routesCompared;
    int routesServedByConversion;
    int routesIdentical;
    int routesPartlyExcluded;
    int routesExcluded;
    long exactVerifiable;
    long nonExact;
  }

  @Test
  void theExactPartOfEveryConversionServesIdentically() throws IOException {
    Stats st = new Stats();
    List<String> failures = new ArrayList<>();
    for (Path in : ConvertGoldenTest.inputs()) {
      compareInput(in.getFileName().toString().replace(".in.yaml", ""), text(in), UnaryOperator.identity(),
          UnaryOperator.identity(), st, failures);
    }
    System.out.printf("convert serves identically: %d meshes (inputs; %d carried Gateway API objects of their own, removed "
        + "from both sides), %d proxies (%d gateways; %d excluded by report: a gateway whose every listener is TLS), %d "
        + "resources compared: %d identical, %d identical after report exclusions, %d excluded by report (absent on one "
        + "side); routes: %d compared, %d served from converted Gateway API rules, %d identical, %d identical after "
        + "excluding report-named fields, %d excluded whole; of these on gateways: %d served by lowered converted "
        + "HTTPRoutes and GRPCRoutes (%d from gRPC GatewayRoutes), %d identical, %d identical after exclusions, %d excluded whole; report entries: %d exact verified "
        + "here, %d approximated or "
        + "dropped; %d differences%n", st.inputs, st.inputsWithOwnGatewayApi, st.proxies, st.gatewayProxies,
        st.proxiesExcluded, st.resources, st.identical, st.identicalAfterExclusions, st.excludedByReport,
        st.routesCompared, st.routesServedByConversion, st.routesIdentical, st.routesPartlyExcluded, st.routesExcluded,
        st.gatewayRoutesLowered, st.grpcGatewayRoutesCompared, st.gatewayRoutesIdentical, st.gatewayRoutesPartlyExcluded, st.gatewayRoutesExcluded,
        st.exactVerifiable, st.nonExact, failures.size());
    assertThat(failures).isEmpty();
    assertThat(st.inputs).isGreaterThan(50);
    assertThat(st.routesServedByConversion).as("the comparison is not vacuous").isGreaterThan(50);
    assertThat(st.gatewayProxies).isGreaterThan(25);
    assertThat(st.gatewayRoutesLowered).as("gateway routes served from converted Gateways").isGreaterThan(50);
    assertThat(st.grpcGatewayRoutesCompared).as("gRPC gateway routes served from converted GRPCRoutes and compared")
        .isGreaterThan(0);
    assertThat(st.gatewayRoutesIdentical + st.gatewayRoutesPartlyExcluded).as("gateway routes compared").isGreaterThan(40);
    assertThat(st.routesIdentical).isGreaterThan(20);
    assertThat(st.identical).isGreaterThan(500);
  }

  /**
   * The comparison can fail: a converted rule served with another timeout than its App Mesh route is
   * found, and so is the default retry policy the converter used not to report (the finding this
   * test made: a route without retryPolicy retried on App Mesh, and its converted rule does not).
   */
  @Test
  void aDifferenceInAnExactPartIsFound() throws IOException {
    String text = text(ConvertGoldenTest.PODINFO);
    List<String> failures = new ArrayList<>();
    compareInput("podinfo", text, UnaryOperator.identity(), UnaryOperator.identity(), new Stats(), failures);
    assertThat(failures).isEmpty();
    UnaryOperator<List<Map<String, Object>>> longerTimeout = docs -> {
      for (Map<String, Object> d : docs) {
        if (d.get("kind").equals("HTTPRoute") && "podinfo".equals(meta(d, "name"))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> rule = (Map<String, Object>) ((List<?>) ((Map<?, ?>) d.get("spec")).get("rules")).get(0);
          rule.put("timeouts", GatewayApiConverter.map("request", "7s"));
        }
      }
      return docs;
    };
    compareInput("podinfo", text, longerTimeout, UnaryOperator.identity(), new Stats(), failures);
    assertThat(failures).anySatisfy(f -> assertThat(f).contains("route podinfo differs").contains("\"7s\""));
    failures.clear();
    UnaryOperator<LossReport> withoutDefaultRetry = r -> {
      LossReport out = new LossReport();
      r.entries().stream().filter(e -> !e.detail().startsWith("unset, so App Mesh retried"))
          .forEach(e -> out.add(e.object(), e.field(), e.outcome(), e.detail()));
      return out;
    };
    // A router route without retryPolicy, on a VirtualService and targets whose Services are in the input.
    String plainRouter = text(Path.of("../mesh-translator/src/test/resources/golden/sidecar/gateway-api-routes.in.yaml"))
        + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: podinfo, namespace: shop}\n"
        + "spec: {ports: [{name: http, port: 9898, targetPort: 9898}]}\n"
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: podinfo-primary, namespace: shop}\n"
        + "spec: {ports: [{name: http, port: 9898, targetPort: 9898}]}\n";
    Stats st = new Stats();
    compareInput("gateway-api-routes", plainRouter, UnaryOperator.identity(), UnaryOperator.identity(), st, failures);
    assertThat(failures).isEmpty();
    assertThat(st.routesServedByConversion).isPositive();
    compareInput("gateway-api-routes", plainRouter, UnaryOperator.identity(), withoutDefaultRetry, new Stats(), failures);
    assertThat(failures).anySatisfy(f -> assertThat(f).contains("differs").contains("retryPolicy"));
  }

  /**
   * The same for gateways: a converted gateway route that keeps the Host (its URLRewrite without
   * the hostname App Mesh rewrote to) is found, and so is a listener connection pool the report
   * would not call dropped (it limits the gateway's upstream connections, the clusters' circuit breakers).
   */
  @Test
  void aDifferenceInAnExactPartOfAGatewayIsFound() throws IOException {
    Path gateways = Path.of("../gateway/src/test/resources/golden/gateway");
    String hostRewrite = text(gateways.resolve("rewrite-hostname-default.in.yaml"));
    List<String> failures = new ArrayList<>();
    Stats st = new Stats();
    compareInput("rewrite-hostname-default", hostRewrite, UnaryOperator.identity(), UnaryOperator.identity(), st, failures);
    assertThat(failures).isEmpty();
    assertThat(st.gatewayRoutesLowered).isPositive();
    UnaryOperator<List<Map<String, Object>>> keepHost = docs -> {
      for (Map<String, Object> d : docs) {
        if (d.get("kind").equals("HTTPRoute") && "gw-default".equals(meta(d, "name"))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> rule = (Map<String, Object>) ((List<?>) ((Map<?, ?>) d.get("spec")).get("rules")).get(0);
          @SuppressWarnings("unchecked")
          Map<String, Object> rw = (Map<String, Object>) ((Map<?, ?>) ((List<?>) rule.get("filters")).get(0)).get("urlRewrite");
          assertThat(rw.remove("hostname")).isEqualTo("app.web");
        }
      }
      return docs;
    };
    compareInput("rewrite-hostname-default", hostRewrite, keepHost, UnaryOperator.identity(), new Stats(), failures);
    // Keeping the Host, the gateway no longer decides the router's host condition (host exact app.web) itself.
    assertThat(failures).anySatisfy(f -> assertThat(f).contains("gateway|web|gw_web").contains("route default_web/for-app differs")
        .contains("\"name\":\"host\""));

    failures.clear();
    String pools = text(gateways.resolve("listener-connection-pools.in.yaml"));
    compareInput("listener-connection-pools", pools, UnaryOperator.identity(), UnaryOperator.identity(), new Stats(), failures);
    assertThat(failures).isEmpty();
    UnaryOperator<LossReport> withoutPools = r -> {
      LossReport out = new LossReport();
      r.entries().stream().filter(e -> !(e.object().startsWith("VirtualGateway ") && e.field().endsWith(".connectionPool")))
          .forEach(e -> out.add(e.object(), e.field(), e.outcome(), e.detail()));
      return out;
    };
    compareInput("listener-connection-pools", pools, UnaryOperator.identity(), withoutPools, new Stats(), failures);
    assertThat(failures).anySatisfy(f -> assertThat(f).contains("gateway|web|gw_web").contains("circuitBreakers"));
  }

  /** Steps (1)–(3) of the class comment for one input; {@code tamper*} change the conversion (for the self-test). */
  static void compareInput(String name, String original, UnaryOperator<List<Map<String, Object>>> tamperDocs,
      UnaryOperator<LossReport> tamperReport, Stats st, List<String> failures) {
    String text = withoutGatewayApi(original);
    if (!text.equals(original)) {
      st.inputsWithOwnGatewayApi++;
    }
    st.inputs++;
    MeshModel model = Pipelines.standard().modelBuilder().build(MeshResources.of(new ManifestLoader().loadText(name, text))).model();
    GatewayApiConverter.Result conv = GatewayApiConverter.convert(model, "appmesh-xds");
    Map<String, List<String>> ruleSources = new HashMap<>();
    List<Lowered> lowered = new ArrayList<>();
    StringBuilder added = new StringBuilder();
    for (Map<String, Object> doc : tamperDocs.apply(new ArrayList<>(conv.documents()))) {
      String kind = (String) doc.get("kind");
      if (kind.equals("ReferenceGrant") || kind.equals("Gateway") || kind.endsWith("Route")) {
        added.append("---\n").append(YAML.writeValueAsString(doc));
        if (kind.endsWith("Route") && gammaParent(doc)) {
          ruleSources.put(kind + "/" + meta(doc, "namespace") + "/" + meta(doc, "name"), ruleSources(model, doc, failures, name));
        } else if (kind.endsWith("Route")) {
          Lowered l = lowered(model, doc);
          if (l == null) {
            failures.add(name + ": converted route " + meta(doc, "name") + " names no GatewayRoute");
          } else {
            lowered.add(l);
          }
        }
      }
    }
    Exclusions ex = exclusions(tamperReport.apply(conv.report()), model, st);
    ex.unmapped.forEach(u -> failures.add(name + ": report entry not mapped to xDS: " + u));
    // The converted side: the App Mesh gateways give way to the converted Gateways of the same names.
    String converted = withoutKinds(text, Set.of("VirtualGateway", "GatewayRoute")) + "\n" + added;
    convertedNotServed(name, converted, conv.documents(), model, ex, failures);
    Map<NodeKey, XdsResources> before = RUNNER.render(name, text).resources();
    Map<NodeKey, XdsResources> after = RUNNER.render(name, converted).resources();
    Set<NodeKey> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (NodeKey key : keys) {
      GatewayEx gx = key.kind() == NodeKey.Kind.GATEWAY ? ex.gateways.get(key.mesh() + "|" + key.name()) : null;
      if (!before.containsKey(key) || !after.containsKey(key)) {
        if (after.containsKey(key) || gx == null || !gx.unserved.containsAll(listenerPorts(before.get(key)))) {
          failures.add(name + ": proxy " + key + (before.containsKey(key) ? " is missing with" : " appears only with")
              + " the converted objects");
        } else {
          st.proxiesExcluded++;
        }
        continue;
      }
      st.proxies++;
      if (key.kind() == NodeKey.Kind.GATEWAY) {
        st.gatewayProxies++;
      }
      new ProxyComparison(name, key, model.meshes().get(key.mesh()), ex, ruleSources, lowered, st, failures)
          .compare(before.get(key), after.get(key));
    }
  }

  /**
   * A converted route with a Gateway parent: the names of the GatewayRoutes its lowering makes
   * ({@code <route>-<namespace>-<rule>-<match>-<listener>…_<gateway namespace>}) and the App Mesh
   * name of the GatewayRoute it was converted from.
   */
  record Lowered(String prefix, String suffix, String awsName) {
    boolean names(String awsName) {
      return awsName.startsWith(prefix) && awsName.endsWith(suffix);
    }
  }

  static Lowered lowered(MeshModel model, Map<String, Object> doc) {
    String from = source(doc);
    Map<?, ?> parent = (Map<?, ?>) ((List<?>) ((Map<?, ?>) doc.get("spec")).get("parentRefs")).get(0);
    String ns = meta(doc, "namespace");
    String gwNs = parent.get("namespace") == null ? ns : (String) parent.get("namespace");
    for (MeshGraph g : model.meshes().values()) {
      for (ResolvedGatewayRoute r : g.gatewayRoutes().values()) {
        if (GatewayApiConverter.label(r.ref()).equals(from)) {
          return new Lowered(meta(doc, "name") + "-" + ns + "-0-0-", "_" + gwNs, r.awsName());
        }
      }
    }
    return null;
  }

  /**
   * Converted Gateway API objects that the converted side does not serve, or serves in part (an
   * error in their status), as failures: each is a lowering or converter bug unless the report
   * already says that object is not carried exactly.
   */
  static void convertedNotServed(String name, String converted, List<Map<String, Object>> docs, MeshModel model,
      Exclusions ex, List<String> failures) {
    Map<String, ResolvedGateway> gateways = new HashMap<>();
    Map<String, ResolvedGatewayRoute> routes = new HashMap<>();
    Map<String, String> meshOf = new HashMap<>();
    for (MeshGraph g : model.meshes().values()) {
      g.gateways().values().forEach(r -> {
        gateways.put(GatewayApiConverter.label(r.ref()), r);
        meshOf.put(GatewayApiConverter.label(r.ref()), g.name());
      });
      g.gatewayRoutes().values().forEach(r -> routes.put(GatewayApiConverter.label(r.ref()), r));
    }
    // Per converted Gateway or Gateway-parent route: the listener ports whose errors the report explains.
    Map<String, Set<Long>> explained = new HashMap<>();
    for (Map<String, Object> doc : docs) {
      String kind = (String) doc.get("kind");
      String ref = kind + " " + meta(doc, "namespace") + "/" + meta(doc, "name");
      String from = source(doc);
      if (kind.equals("Gateway") && gateways.containsKey(from)) {
        GatewayEx gx = ex.gateways.get(meshOf.get(from) + "|" + gateways.get(from).awsName());
        explained.put(ref, gx == null ? Set.of() : gx.unserved);
      } else if (kind.endsWith("Route") && !gammaParent(doc) && routes.containsKey(from)) {
        ResolvedGatewayRoute r = routes.get(from);
        String gwLabel = gateways.keySet().stream().filter(l -> gateways.get(l).awsName().equals(r.gateway())
            && ex.gateways.containsKey(meshOf.get(l) + "|" + r.gateway())).findFirst().orElse(null);
        GatewayEx gx = gwLabel == null ? null : ex.gateways.get(meshOf.get(gwLabel) + "|" + r.gateway());
        var s = r.route().spec();
        Long port = s.grpcRoute() != null ? s.grpcRoute().match().port()
            : (s.httpRoute() != null ? s.httpRoute() : s.http2Route()).match().port();
        Set<Long> all = gwLabel == null ? Set.of() : new TreeSet<>(gateways.get(gwLabel).gateway().spec().listeners().stream()
            .map(l -> l.portMapping().port()).toList());
        boolean unserved = gx != null && (port != null ? gx.unserved.contains(port) : gx.unserved.containsAll(all));
        explained.put(ref, unserved ? Set.of(-1L) : Set.of());
      } else if (kind.equals("Gateway") || (kind.endsWith("Route") && !gammaParent(doc))) {
        failures.add(name + ": converted " + ref + " names no App Mesh object (" + from + ")");
      }
    }
    var built = Pipelines.standard().modelBuilder().build(MeshResources.of(new ManifestLoader().loadText(name, converted)));
    built.status().objects().forEach((ref, status) -> {
      String label = ref.kind() + " " + ref.namespace() + "/" + ref.name();
      if (!explained.containsKey(label)) {
        return; // GAMMA routes are compared by their xDS
      }
      Set<Long> ports = explained.get(label);
      for (var p : status.problems()) {
        if (!p.isError()) {
          continue;
        }
        Matcher m = Pattern.compile("spec\\.listeners\\[(\\d+)].*").matcher(p.field());
        boolean ok = ref.kind().equals("Gateway") ? m.matches() && ports.contains(gatewayListenerPort(docs, ref, Integer.parseInt(m.group(1))))
            : ports.contains(-1L);
        if (!ok) {
          failures.add(name + ": converted " + label + " is not served as written: " + p.fieldAndMessage());
        }
      }
    });
  }

  static Long gatewayListenerPort(List<Map<String, Object>> docs, io.appmeshxds.translator.input.ObjectRef ref, int i) {
    for (Map<String, Object> d : docs) {
      if (d.get("kind").equals("Gateway") && ref.name().equals(meta(d, "name")) && ref.namespace().equals(meta(d, "namespace"))) {
        Map<?, ?> l = (Map<?, ?>) ((List<?>) ((Map<?, ?>) d.get("spec")).get("listeners")).get(i);
        return ((Number) l.get("port")).longValue();
      }
    }
    return null;
  }

  static Set<Long> listenerPorts(XdsResources r) {
    Set<Long> out = new TreeSet<>();
    r.get(XdsResources.Type.LISTENER).forEach(l -> {
      Matcher m = LISTENER_PORT.matcher(l.name());
      if (m.matches()) {
        out.add(Long.parseLong(m.group(1)));
      }
    });
    return out;
  }

  static String source(Map<String, Object> doc) {
    Object a = ((Map<?, ?>) doc.get("metadata")).get("annotations");
    return a == null ? null : (String) ((Map<?, ?>) a).get(GatewayApiConverter.SOURCE_ANNOTATION);
  }

  /** One proxy: its resources before and after adding the converted routes. */
  static final class ProxyComparison {
    final String input;
    final NodeKey key;
    final MeshGraph mesh;
    final Exclusions ex;
    final Map<String, List<String>> ruleSources;
    final List<Lowered> lowered;
    final GatewayEx gx;
    final Stats st;
    final List<String> failures;
    /** Clusters a compared (not action-excluded) route or a listener of the original refers to. */
    final Set<String> needed = new TreeSet<>();

    ProxyComparison(String input, NodeKey key, MeshGraph mesh, Exclusions ex, Map<String, List<String>> ruleSources,
        List<Lowered> lowered, Stats st, List<String> failures) {
      this.input = input;
      this.key = key;
      this.mesh = mesh;
      this.ex = ex;
      this.ruleSources = ruleSources;
      this.lowered = lowered;
      GatewayEx g = key.kind() == NodeKey.Kind.GATEWAY ? ex.gateways.get(key.mesh() + "|" + key.name()) : null;
      this.gx = g == null ? new GatewayEx() : g;
      this.st = st;
      this.failures = failures;
    }

    void fail(String what) {
      failures.add(input + " " + key + ": " + what);
    }

    void compare(XdsResources a, XdsResources b) {
      Map<XdsResources.Type, Map<String, JsonNode>> ta = trees(a);
      Map<XdsResources.Type, Map<String, JsonNode>> tb = trees(b);
      ta.get(XdsResources.Type.LISTENER).values().forEach(l -> collectText(l, needed));
      // Routes first: they say which clusters only excluded routes referred to.
      List<XdsResources.Type> order = new ArrayList<>(List.of(XdsResources.Type.values()));
      order.remove(XdsResources.Type.ROUTE);
      order.add(0, XdsResources.Type.ROUTE);
      for (XdsResources.Type t : order) {
        Set<String> names = new TreeSet<>(ta.get(t).keySet());
        names.addAll(tb.get(t).keySet());
        for (String n : names) {
          st.resources++;
          JsonNode ra = ta.get(t).get(n);
          JsonNode rb = tb.get(t).get(n);
          Long port = gatewayPort(t, n);
          if (port != null && ra != null && rb == null && gx.unserved.contains(port)) {
            st.excludedByReport++; // a TLS listener the converted Gateway does not serve (reported approximated)
            continue;
          }
          if (t == XdsResources.Type.LISTENER && port != null && ra != null && rb != null
              && (gx.allListeners || gx.listeners.contains(port))) {
            st.excludedByReport++; // a listener field the report calls approximated or dropped
            continue;
          }
          if (t == XdsResources.Type.CLUSTER && (gx.upstreamTls || gx.circuitBreakers) && ra != null && rb != null) {
            ra = ra.deepCopy();
            rb = rb.deepCopy();
            for (ObjectNode c : List.of((ObjectNode) ra, (ObjectNode) rb)) {
              if (gx.upstreamTls) {
                c.remove("transportSocket");
              }
              if (gx.circuitBreakers) {
                c.remove("circuitBreakers");
              }
            }
          }
          if (t == XdsResources.Type.LISTENER && !gx.unserved.isEmpty() && ra != null && rb != null) {
            // With a listener fewer (TLS, unserved), the HTTP connection manager's stat prefix names the port.
            ra = withoutStatPrefix(ra);
            rb = withoutStatPrefix(rb);
          }
          if (ra == null) {
            fail(t + " " + n + " appears only with the converted routes");
          } else if (rb == null) {
            boolean cluster = t == XdsResources.Type.CLUSTER || t == XdsResources.Type.ENDPOINT;
            if (cluster && !needed.contains(n)) {
              st.excludedByReport++;
            } else {
              fail(t + " " + n + " is missing with the converted routes");
            }
          } else if (t == XdsResources.Type.ROUTE) {
            int before = failures.size();
            boolean excluded = routeConfiguration(n, (ObjectNode) ra.deepCopy(), (ObjectNode) rb.deepCopy());
            if (failures.size() == before) {
              if (excluded) {
                st.identicalAfterExclusions++;
              } else {
                st.identical++;
              }
            }
          } else if (ra.equals(rb)) {
            st.identical++;
          } else {
            fail(t + " " + n + " differs: " + differences(ra, rb));
          }
        }
      }
    }

    /** A gateway's listener or route configuration port, or null. */
    Long gatewayPort(XdsResources.Type t, String n) {
      if (key.kind() != NodeKey.Kind.GATEWAY) {
        return null;
      }
      Matcher m = (t == XdsResources.Type.LISTENER ? LISTENER_PORT : t == XdsResources.Type.ROUTE ? RDS_PORT : NONE).matcher(n);
      return m.matches() ? Long.parseLong(m.group(1)) : null;
    }

    /** Compares one route configuration; true when report exclusions were applied. */
    boolean routeConfiguration(String rc, ObjectNode a, ObjectNode b) {
      ArrayNode va = (ArrayNode) a.remove("virtualHosts");
      ArrayNode vb = (ArrayNode) b.remove("virtualHosts");
      if (!a.equals(b)) {
        fail("route configuration " + rc + " differs outside its virtual hosts: " + differences(a, b));
      }
      Map<String, ObjectNode> ha = hosts(va);
      Map<String, ObjectNode> hb = hosts(vb);
      if (!ha.keySet().equals(hb.keySet())) {
        fail("route configuration " + rc + " has virtual hosts " + ha.keySet() + " vs " + hb.keySet());
        return false;
      }
      boolean excluded = false;
      for (String h : ha.keySet()) {
        excluded |= virtualHost(rc + " " + h, h, ha.get(h), hb.get(h));
      }
      return excluded;
    }

    boolean virtualHost(String where, String host, ObjectNode a, ObjectNode b) {
      hoistRetryDown(a);
      hoistRetryDown(b);
      List<ObjectNode> ra = routes((ArrayNode) a.remove("routes"), false);
      List<ObjectNode> rb = routes((ArrayNode) b.remove("routes"), true);
      if (!a.equals(b)) {
        fail(where + " differs outside its routes: " + differences(a, b));
      }
      Map<String, ObjectNode> byA = byName(ra, where);
      Map<String, ObjectNode> byB = byName(rb, where);
      boolean excluded = false;
      List<String> orderA = new ArrayList<>();
      List<String> orderB = new ArrayList<>();
      for (ObjectNode r : ra) {
        String n = r.get("name").asString();
        if (byB.containsKey(n) && orderChecked(source(host, n))) {
          orderA.add(n);
        }
      }
      for (ObjectNode r : rb) {
        String n = r.get("name").asString();
        if (byA.containsKey(n) && orderChecked(source(host, n))) {
          orderB.add(n);
        }
      }
      if (!orderA.equals(orderB)) {
        fail(where + ": route order " + orderA + " vs " + orderB);
      }
      Set<String> names = new TreeSet<>(byA.keySet());
      names.addAll(byB.keySet());
      for (String n : names) {
        ObjectNode x = byA.get(n);
        ObjectNode y = byB.get(n);
        Source s = source(host, n);
        RouteEx re = s.router == null ? null : ex.of(s.router, s.route);
        RouteEx ge = s.gateway;
        boolean gateway = key.kind() == NodeKey.Kind.GATEWAY;
        st.routesCompared++;
        if (y != null && y.has("converted")) {
          st.routesServedByConversion++;
          y.remove("converted");
        }
        boolean lowered = y != null && y.remove("lowered") != null;
        if (lowered) {
          st.gatewayRoutesLowered++;
        }
        if ((s.serviceExcluded && !gateway) || (gateway && re != null && re.path)
            || (ge != null && ge.path && (x == null || y == null))) {
          if (gateway) {
            st.gatewayRoutesExcluded++;
          }
          st.routesExcluded++;
          excluded = true;
          continue;
        }
        if (x == null || y == null) {
          if (x != null && re != null && re.action && key.kind() == NodeKey.Kind.PROXYLESS) {
            st.routesExcluded++;
            excluded = true;
          } else {
            fail(where + ": route " + n + (x == null ? " appears only with" : " is missing with") + " the converted routes");
          }
          continue;
        }
        if (re != null && re.action && (x.has("directResponse") || y.has("directResponse"))) {
          // A rule left without backends is a direct response 500: nothing of its action compares.
          x.remove(List.of("route", "directResponse"));
          y.remove(List.of("route", "directResponse"));
        }
        if (re != null && re.any()) {
          exclude(x, re);
          exclude(y, re);
        }
        if (ge != null && ge.any()) {
          exclude(x, ge);
          exclude(y, ge);
        }
        if (re == null || !re.action) {
          collectText(x.get("route"), needed);
        }
        if (!x.equals(y)) {
          fail(where + ": route " + n + " differs: " + differences(x, y));
        } else if ((re != null && re.any()) || (ge != null && (ge.any() || ge.path))) {
          st.routesPartlyExcluded++;
          if (gateway) {
            st.gatewayRoutesPartlyExcluded++;
          }
          excluded = true;
        } else {
          st.routesIdentical++;
          if (gateway) {
            st.gatewayRoutesIdentical++;
          }
        }
        if (gateway && lowered && grpcGatewayRoute(n)) {
          st.grpcGatewayRoutesCompared++;
        }
      }
      return excluded;
    }

    /** Whether a gateway's Envoy route (its normalized name) comes from a gRPC GatewayRoute. */
    boolean grpcGatewayRoute(String name) {
      ResolvedGatewayRoute gr = mesh.gatewayRoutes().get(name.split("/")[0].replace(EXACT_TWIN, ""));
      return gr != null && gr.route().spec().grpcRoute() != null;
    }

    /** Whether a route's place among the others is compared: not when the report excludes its order or all of it. */
    boolean orderChecked(Source s) {
      if (s.serviceExcluded || (s.gateway != null && (s.gateway.order || s.gateway.path))) {
        return false;
      }
      if (s.router == null) {
        return true;
      }
      RouteEx re = ex.of(s.router, s.route);
      return !ex.orderApproximated.contains(s.router) && !(key.kind() == NodeKey.Kind.GATEWAY && re != null && re.path);
    }

    /**
     * Which router and App Mesh route an Envoy route's (normalized) name comes from; on a gateway
     * also what the report excludes of its GatewayRoute.
     */
    record Source(String router, String route, boolean serviceExcluded, RouteEx gateway) {
      Source(String router, String route, boolean serviceExcluded) {
        this(router, route, serviceExcluded, null);
      }
    }

    Source source(String host, String name) {
      String service;
      String route;
      RouteEx ge = null;
      if (key.kind() == NodeKey.Kind.GATEWAY) {
        String[] p = name.split("/");
        String grName = p[0].replace(EXACT_TWIN, "");
        ResolvedGatewayRoute gr = p.length < 2 ? null : mesh.gatewayRoutes().get(grName);
        if (gr == null) {
          return new Source(null, null, false);
        }
        ge = ex.gatewayRoutes.get(mesh.name() + "|" + grName);
        service = gr.targetService();
        route = p[1];
      } else {
        service = host;
        route = name;
      }
      boolean excluded = ex.services.contains(mesh.name() + "|" + service);
      ResolvedService vs = mesh.services().get(service);
      if (vs != null && vs.provider() instanceof ResolvedService.RouterProvider rp && mesh.routers().get(rp.router()) != null) {
        return new Source(GatewayApiConverter.label(mesh.routers().get(rp.router()).ref()), route, excluded, ge);
      }
      return new Source(null, null, excluded, ge);
    }

    /** Routes with header matchers sorted; converted rules renamed after their App Mesh route. */
    List<ObjectNode> routes(ArrayNode in, boolean converted) {
      List<ObjectNode> out = new ArrayList<>();
      if (in == null) {
        return out; // proto3 JSON leaves out an empty list
      }
      for (JsonNode r : in) {
        ObjectNode o = (ObjectNode) r.deepCopy();
        if (!o.has("name")) {
          o.put("name", "#" + out.size()); // an unnamed route (none comes from a router) is known by its place
        }
        JsonNode match = o.get("match");
        if (match != null && match.get("headers") instanceof ArrayNode hs) {
          List<JsonNode> sorted = new ArrayList<>();
          hs.forEach(sorted::add);
          sorted.sort(Comparator.comparing((JsonNode h) -> h.get("name").asString()).thenComparing(JsonNode::toString));
          hs.removeAll();
          hs.addAll(sorted);
        }
        String name = o.get("name").asString();
        Matcher m = GAMMA_NAME.matcher(name);
        if (converted && m.find()) {
          List<String> rules = ruleSources.get(m.group(1) + "/" + m.group(2) + "/" + m.group(3));
          int k = Integer.parseInt(m.group(4));
          if (rules == null || k >= rules.size() || !m.group(5).equals("0")) {
            fail("route " + name + " is no rule of a converted route");
          } else {
            name = name.substring(0, m.start()) + rules.get(k) + name.substring(m.end());
            o.put("name", name);
            o.put("converted", true);
          }
        }
        if (converted && key.kind() == NodeKey.Kind.GATEWAY) {
          // A lowered GatewayRoute's name becomes that of the GatewayRoute it was converted from.
          int slash = name.indexOf('/');
          String gr = slash < 0 ? name : name.substring(0, slash);
          Lowered from = null;
          for (Lowered l : lowered) {
            if (l.names(gr) && (from == null || l.prefix().length() > from.prefix().length())) {
              from = l;
            }
          }
          if (from != null) {
            boolean twin = gr.endsWith("-exact" + from.suffix());
            o.put("name", from.awsName() + (twin ? EXACT_TWIN : "") + (slash < 0 ? "" : name.substring(slash)));
            o.put("converted", true);
            o.put("lowered", true);
          }
        }
        out.add(o);
      }
      return out;
    }

    Map<String, ObjectNode> byName(List<ObjectNode> routes, String where) {
      Map<String, ObjectNode> out = new LinkedHashMap<>();
      for (ObjectNode r : routes) {
        if (out.put(r.get("name").asString(), r) != null) {
          fail(where + ": two routes named " + r.get("name").asString());
        }
      }
      return out;
    }
  }

  /** A listener without its HTTP connection managers' {@code stat_prefix} (stats, not routing). */
  static JsonNode withoutStatPrefix(JsonNode listener) {
    JsonNode l = listener.deepCopy();
    for (JsonNode chain : l.path("filterChains")) {
      for (JsonNode f : chain.path("filters")) {
        if (f.get("typedConfig") instanceof ObjectNode c) {
          c.remove("statPrefix");
        }
      }
    }
    return l;
  }

  /** Removes what {@code re} excludes from one Envoy route (JSON). */
  static void exclude(ObjectNode r, RouteEx re) {
    ObjectNode match = (ObjectNode) r.get("match");
    if (re.path) {
      match.remove(List.of("prefix", "path", "safeRegex", "pathSeparatedPrefix"));
    }
    filterByName(match, "headers", re.headers);
    filterByName(match, "queryParameters", re.queries);
    if (re.action && r.get("route") instanceof ObjectNode action) {
      action.remove(List.of("weightedClusters", "cluster"));
    }
    if (r.get("route") instanceof ObjectNode action) {
      if (re.hostRewrite) {
        action.remove("hostRewriteLiteral");
      }
      if (re.retry) {
        action.remove("retryPolicy");
      }
      if (re.idle || re.timeouts) {
        action.remove("idleTimeout");
      }
      if (re.timeouts) {
        action.remove(List.of("timeout", "maxStreamDuration"));
      }
    }
  }

  static void filterByName(ObjectNode match, String field, Set<String> names) {
    if (names.isEmpty() || !(match.get(field) instanceof ArrayNode list)) {
      return;
    }
    List<JsonNode> keep = new ArrayList<>();
    list.forEach(h -> {
      if (!names.contains(h.get("name").asString())) {
        keep.add(h);
      }
    });
    if (keep.isEmpty()) {
      match.remove(field);
    } else {
      list.removeAll();
      list.addAll(keep);
    }
  }

  /** A virtual host's retry policy moved onto each forwarding route without one (as Envoy applies it). */
  static void hoistRetryDown(ObjectNode vh) {
    JsonNode retry = vh.remove("retryPolicy");
    if (retry == null || !(vh.get("routes") instanceof ArrayNode routes)) {
      return;
    }
    for (JsonNode r : routes) {
      if (r.get("route") instanceof ObjectNode action && !action.has("retryPolicy")) {
        action.set("retryPolicy", retry.deepCopy());
      }
    }
  }

  /** The report as exclusions; unmapped non-exact entries of routers and services are listed. */
  static Exclusions exclusions(LossReport report, MeshModel model, Stats st) {
    Exclusions ex = new Exclusions();
    Map<String, ResolvedRouter> routers = new HashMap<>();
    Map<String, String[]> services = new HashMap<>();
    Map<String, String> gatewayRoutes = new HashMap<>();
    Map<String, ResolvedGatewayRoute> gatewayRouteSpecs = new HashMap<>();
    Map<String, String> gateways = new HashMap<>();
    Map<String, ResolvedGateway> gatewaySpecs = new HashMap<>();
    for (MeshGraph g : model.meshes().values()) {
      g.routers().values().forEach(r -> routers.put(GatewayApiConverter.label(r.ref()), r));
      g.services().values().forEach(s -> services.put(GatewayApiConverter.label(s.ref()), new String[] {g.name(), s.awsName()}));
      g.gatewayRoutes().values().forEach(r -> {
        gatewayRoutes.put(GatewayApiConverter.label(r.ref()), g.name() + "|" + r.awsName());
        gatewayRouteSpecs.put(GatewayApiConverter.label(r.ref()), r);
      });
      g.gateways().values().forEach(r -> {
        gateways.put(GatewayApiConverter.label(r.ref()), g.name() + "|" + r.awsName());
        gatewaySpecs.put(GatewayApiConverter.label(r.ref()), r);
      });
    }
    for (LossReport.Entry e : report.entries()) {
      boolean routing = e.object().startsWith("VirtualRouter ") || e.object().startsWith("VirtualService ");
      if (e.outcome() == LossReport.Outcome.exact) {
        st.exactVerifiable++;
        continue;
      }
      st.nonExact++;
      if (e.object().startsWith("GatewayRoute ")) {
        gatewayRouteEntry(e, gatewayRoutes.get(e.object()), gatewayRouteSpecs.get(e.object()), ex);
        continue;
      }
      if (e.object().startsWith("VirtualGateway ")) {
        gatewayEntry(e, gateways.get(e.object()), gatewaySpecs.get(e.object()), ex);
        continue;
      }
      if (!routing) {
        continue;
      }
      if (e.object().startsWith("VirtualService ")) {
        String[] s = services.get(e.object());
        if (e.field().equals("spec.awsName") && s != null) {
          ex.services.add(s[0] + "|" + s[1]);
        } else if (!e.field().equals("spec.provider")) {
          ex.unmapped.add(e.toLine());
        }
        continue;
      }
      ResolvedRouter router = routers.get(e.object());
      if (router == null) {
        ex.unmapped.add(e.toLine());
        continue;
      }
      if (e.field().equals("spec.routes")) {
        ex.orderApproximated.add(e.object());
        continue;
      }
      if (e.field().matches("spec\\.routes\\[\\d+]") && e.detail().startsWith("tcpRoute")) {
        continue; // a tcp route is served by the listener's tcp_proxy, which the converted routes do not change
      }
      Matcher m = ROUTE_FIELD.matcher(e.field());
      if (!m.matches()) {
        ex.unmapped.add(e.toLine());
        continue;
      }
      VirtualRouter.Route spec = router.router().spec().routes().get(Integer.parseInt(m.group(1)));
      RouteEx re = ex.routes.computeIfAbsent(e.object(), k -> new HashMap<>()).computeIfAbsent(spec.name(), k -> new RouteEx());
      String rest = m.group(3);
      Matcher lm = LIST_FIELD.matcher(rest);
      if (rest.equals("retryPolicy")) {
        re.retry = true;
      } else if (rest.equals("timeout.idle")) {
        re.idle = true;
      } else if (rest.equals("timeout") && m.group(2).equals("grpcRoute")) {
        re.timeouts = true;
      } else if (rest.equals("match.prefix") || rest.equals("match.path.regex")) {
        re.path = true;
      } else if (rest.equals("match.scheme")) {
        re.headers.add(":scheme");
      } else if (rest.startsWith("action.weightedTargets[")) {
        re.action = true;
      } else if (lm.matches()) {
        int j = Integer.parseInt(lm.group(2));
        if (lm.group(1).equals("queryParameters")) {
          List<QueryParameterMatch> qs = spec.httpRoute() != null ? spec.httpRoute().match().queryParameters()
              : spec.http2Route().match().queryParameters();
          re.queries.add(qs.get(j).name());
        } else {
          List<HeaderMatch> hs = spec.grpcRoute() != null ? spec.grpcRoute().match().metadata()
              : spec.httpRoute() != null ? spec.httpRoute().match().headers() : spec.http2Route().match().headers();
          re.headers.add(hs.get(j).name().toLowerCase(Locale.ROOT));
        }
      } else {
        ex.unmapped.add(e.toLine());
      }
    }
    return ex;
  }

  /** A non-exact report entry on a GatewayRoute as exclusions of the gateway routes made from it. */
  static void gatewayRouteEntry(LossReport.Entry e, String key, ResolvedGatewayRoute r, Exclusions ex) {
    if (key == null) {
      ex.unmapped.add(e.toLine());
      return;
    }
    RouteEx re = ex.gatewayRoutes.computeIfAbsent(key, k -> new RouteEx());
    if (e.field().equals("spec.priority")) {
      re.order = true;
      return;
    }
    Matcher m = GATEWAY_ROUTE_FIELD.matcher(e.field());
    if (!m.matches()) {
      ex.unmapped.add(e.toLine());
      return;
    }
    String rest = m.group(2);
    Matcher lm = LIST_FIELD.matcher(rest);
    var s = r.route().spec();
    if (rest.equals("match.prefix") || rest.equals("match.path.regex")) {
      re.path = true;
    } else if (rest.equals("match.hostname.suffix")) {
      re.headers.add(":authority");
      re.order = true;
    } else if (rest.equals("action.rewrite.hostname")) {
      re.hostRewrite = true;
    } else if (rest.equals("action.target")) {
      re.action = true;
    } else if (lm.matches()) {
      int j = Integer.parseInt(lm.group(2));
      if (lm.group(1).equals("queryParameters")) {
        List<QueryParameterMatch> qs = (s.httpRoute() != null ? s.httpRoute() : s.http2Route()).match().queryParameters();
        re.queries.add(qs.get(j).name());
      } else {
        List<HeaderMatch> hs = s.grpcRoute() != null ? s.grpcRoute().match().metadata()
            : (s.httpRoute() != null ? s.httpRoute() : s.http2Route()).match().headers();
        re.headers.add(hs.get(j).name().toLowerCase(Locale.ROOT));
      }
    } else {
      ex.unmapped.add(e.toLine());
    }
  }

  /** A non-exact report entry on a VirtualGateway as exclusions of that gateway's resources. */
  static void gatewayEntry(LossReport.Entry e, String key, ResolvedGateway g, Exclusions ex) {
    if (key == null) {
      ex.unmapped.add(e.toLine());
      return;
    }
    GatewayEx gx = ex.gateways.computeIfAbsent(key, k -> new GatewayEx());
    Matcher m = VG_LISTENER_FIELD.matcher(e.field());
    if (m.matches()) {
      long port = g.gateway().spec().listeners().get(Integer.parseInt(m.group(1))).portMapping().port();
      String rest = m.group(2);
      if (rest.startsWith("tls")) {
        gx.unserved.add(port);
      } else if (rest.equals("portMapping.protocol") || rest.equals("healthCheck")) {
        gx.listeners.add(port);
      } else if (rest.equals("connectionPool")) {
        gx.listeners.add(port);
        gx.circuitBreakers = true;
      } else {
        ex.unmapped.add(e.toLine());
      }
    } else if (e.field().equals("spec.logging")) {
      gx.allListeners = true;
    } else if (e.field().equals("spec.podSelector")) {
      // which pods run the gateway: nothing in its xDS
    } else if (e.field().startsWith("spec.backendDefaults")) {
      gx.upstreamTls = true;
    } else {
      ex.unmapped.add(e.toLine());
    }
  }

  /**
   * The App Mesh route names of a converted route's rules, in rule order: the routes of the router
   * it was converted from on its port (the parentRef's, or the router's only listener), of its kind.
   */
  static List<String> ruleSources(MeshModel model, Map<String, Object> doc, List<String> failures, String input) {
    String from = meta(doc, "annotations") == null ? null
        : (String) ((Map<?, ?>) ((Map<?, ?>) doc.get("metadata")).get("annotations")).get(GatewayApiConverter.SOURCE_ANNOTATION);
    ResolvedRouter router = null;
    for (MeshGraph g : model.meshes().values()) {
      for (ResolvedRouter r : g.routers().values()) {
        if (GatewayApiConverter.label(r.ref()).equals(from)) {
          router = r;
        }
      }
    }
    if (router == null) {
      failures.add(input + ": converted route " + meta(doc, "name") + " names no router (" + from + ")");
      return List.of();
    }
    Map<?, ?> parent = (Map<?, ?>) ((List<?>) ((Map<?, ?>) doc.get("spec")).get("parentRefs")).get(0);
    long port = parent.get("port") != null ? ((Number) parent.get("port")).longValue()
        : router.router().spec().listeners().get(0).portMapping().port();
    boolean grpc = doc.get("kind").equals("GRPCRoute");
    List<String> out = new ArrayList<>();
    for (ResolvedRouter.Route r : router.routesForPort(port)) {
      if (r.spec().tcpRoute() == null && (r.spec().grpcRoute() != null) == grpc) {
        out.add(r.name());
      }
    }
    return out;
  }

  static boolean gammaParent(Map<String, Object> doc) {
    List<?> parents = (List<?>) ((Map<?, ?>) doc.get("spec")).get("parentRefs");
    return parents.stream().allMatch(p -> "Service".equals(((Map<?, ?>) p).get("kind")));
  }

  static String meta(Map<String, Object> doc, String field) {
    Object v = ((Map<?, ?>) doc.get("metadata")).get(field);
    return v == null ? null : v.toString();
  }

  /** The input as one YAML stream: a file, or a directory's {@code *.yaml} files in name order. */
  static String text(Path in) throws IOException {
    if (!Files.isDirectory(in)) {
      return Files.readString(in);
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(in)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        sb.append(Files.readString(f)).append("\n---\n");
      }
    }
    return sb.toString();
  }

  /** The stream without its documents of these App Mesh kinds. */
  static String withoutKinds(String text, Set<String> kinds) {
    String[] docs = text.split("(?m)^---[ \\t]*$");
    List<String> keep = new ArrayList<>();
    for (String d : docs) {
      JsonNode n = d.isBlank() ? null : YAML.readTree(d);
      boolean drop = n != null && n.isObject() && n.path("apiVersion").asString("").startsWith("appmesh.k8s.aws/")
          && kinds.contains(n.path("kind").asString(""));
      if (!drop) {
        keep.add(d);
      }
    }
    return String.join("---", keep);
  }

  /** The stream without its {@code gateway.networking.k8s.io} documents (comments and directives stay). */
  static String withoutGatewayApi(String text) {
    String[] docs = text.split("(?m)^---[ \\t]*$");
    List<String> keep = new ArrayList<>();
    for (String d : docs) {
      JsonNode n = d.isBlank() ? null : YAML.readTree(d);
      boolean gapi = n != null && n.isObject() && n.path("apiVersion").asString("").startsWith(GAPI);
      if (!gapi) {
        keep.add(d);
      }
    }
    return String.join("---", keep);
  }

  static Map<XdsResources.Type, Map<String, JsonNode>> trees(XdsResources r) {
    Map<XdsResources.Type, Map<String, JsonNode>> out = new TreeMap<>();
    for (XdsResources.Type t : XdsResources.Type.values()) {
      Map<String, JsonNode> m = new TreeMap<>();
      r.get(t).forEach(x -> m.put(x.name(), JSON.tree(x.proto())));
      out.put(t, m);
    }
    return out;
  }

  static Map<String, ObjectNode> hosts(ArrayNode vhs) {
    Map<String, ObjectNode> out = new TreeMap<>();
    if (vhs != null) {
      vhs.forEach(v -> out.put(v.get("name").asString(), (ObjectNode) v));
    }
    return out;
  }

  /** Every string value in {@code n} (cluster names a listener or route refers to, among others). */
  static void collectText(JsonNode n, Set<String> out) {
    if (n == null) {
      return;
    }
    if (n.isString()) {
      out.add(n.asString());
    }
    n.forEach(c -> collectText(c, out));
  }

  /** The first differing paths of two trees, for messages. */
  static List<String> differences(JsonNode a, JsonNode b) {
    List<String> out = new ArrayList<>();
    diff(a, b, "", out);
    return out.subList(0, Math.min(5, out.size()));
  }

  static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
    if (a == null || b == null || a.isObject() != b.isObject() || a.isArray() != b.isArray()
        || (a.isArray() && a.size() != b.size())) {
      out.add(path + ": " + a + " vs " + b);
      return;
    }
    if (a.isObject()) {
      Set<String> keys = new TreeSet<>(a.propertyNames());
      keys.addAll(b.propertyNames());
      for (String k : keys) {
        if (!java.util.Objects.equals(a.get(k), b.get(k))) {
          diff(a.get(k), b.get(k), path + "." + k, out);
        }
      }
    } else if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i).equals(b.get(i))) {
          diff(a.get(i), b.get(i), path + "[" + i + "]", out);
        }
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + a + " vs " + b);
    }
  }
}
