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
 * resources; (2) convert it with {@link GatewayApiConverter}, append the emitted GAMMA HTTPRoutes and
 * GRPCRoutes (parentRef a Service) and the ReferenceGrants to the same input, translate again (the
 * Gateway API route takes precedence over the router on the ports it covers); (3) compare per
 * proxy, per resource (listeners, route configurations, clusters, endpoints, secrets, keyed by
 * name): the proxies and resource names must be the same and every resource equal, after the
 * normalizations and report exclusions below, and nothing else.
 *
 * <p>Input handling: Gateway API objects an input carries itself (the golden case
 * {@code gateway-api-routes}) are removed from both sides first: this compares App Mesh serving with
 * the converted routes' serving, and an input's own HTTPRoute would already replace the router being
 * converted. Converted Gateways and their routes (parentRef a Gateway) are not added: north-south
 * Gateways are not served (docs/gateway-api.md), so the report's entries for VirtualGateway and
 * GatewayRoute cannot be checked by serving; they are counted in the summary as "not verifiable".
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
 *       service (its virtual host, or a gateway's routes to it).</li>
 * </ul>
 * Any other non-exact entry on a VirtualRouter or VirtualService fails the test (unmapped), as does
 * every difference not excluded above. Its first finding: a route without {@code retryPolicy} got
 * App Mesh's default retry policy and its converted rule got none, with nothing in the report; the
 * converter now reports that default as dropped. Non-exact entries on other objects (VirtualNode listener
 * policies, Mesh egress, gateways) change nothing here: those objects stay in the input.
 */
class ConvertServesIdenticallyTest {
  static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLWriteFeature.WRITE_DOC_START_MARKER).build();
  static final String GAPI = "gateway.networking.k8s.io/";
  static final Pattern GAMMA_NAME = Pattern.compile("(HTTPRoute|GRPCRoute)/([^/]+)/([^/]+)/rules-(\\d+)/matches-(\\d+)");
  static final Pattern ROUTE_FIELD = Pattern.compile("spec\\.routes\\[(\\d+)]\\.(httpRoute|http2Route|grpcRoute)\\.(.+)");
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
    final Set<String> headers = new TreeSet<>();
    final Set<String> queries = new TreeSet<>();

    boolean any() {
      return retry || idle || timeouts || path || action || !headers.isEmpty() || !queries.isEmpty();
    }
  }

  /** The report of one conversion, as exclusions. */
  static final class Exclusions {
    /** router label → App Mesh route name → exclusions. */
    final Map<String, Map<String, RouteEx>> routes = new HashMap<>();
    final Set<String> orderApproximated = new TreeSet<>();
    /** {@code mesh|awsName} of VirtualServices whose routes are excluded. */
    final Set<String> services = new TreeSet<>();
    final List<String> unmapped = new ArrayList<>();

    RouteEx of(String router, String route) {
      Map<String, RouteEx> m = routes.get(router);
      return m == null ? null : m.get(route);
    }
  }

  /** Counters for the summary (printed; see the class comment for what each means). */
  static final class Stats {
    int inputs;
    int inputsWithOwnGatewayApi;
    int proxies;
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
    long exactNotVerifiable;
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
        + "from both sides), %d proxies, %d resources compared: %d identical, %d identical after report exclusions, %d "
        + "excluded by report (absent on one side); routes: %d compared, %d served from converted Gateway API rules, %d "
        + "identical, %d identical after excluding report-named fields, %d excluded whole; report entries: %d exact "
        + "verified here, %d exact not verifiable (north-south: Gateways are not served), %d approximated or dropped; "
        + "%d differences%n", st.inputs, st.inputsWithOwnGatewayApi, st.proxies, st.resources, st.identical,
        st.identicalAfterExclusions, st.excludedByReport, st.routesCompared, st.routesServedByConversion,
        st.routesIdentical, st.routesPartlyExcluded, st.routesExcluded, st.exactVerifiable, st.exactNotVerifiable,
        st.nonExact, failures.size());
    assertThat(failures).isEmpty();
    assertThat(st.inputs).isGreaterThan(50);
    assertThat(st.routesServedByConversion).as("the comparison is not vacuous").isGreaterThan(50);
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
    StringBuilder added = new StringBuilder();
    for (Map<String, Object> doc : tamperDocs.apply(new ArrayList<>(conv.documents()))) {
      String kind = (String) doc.get("kind");
      if (kind.equals("ReferenceGrant") || (kind.endsWith("Route") && gammaParent(doc))) {
        added.append("---\n").append(YAML.writeValueAsString(doc));
        if (kind.endsWith("Route")) {
          ruleSources.put(kind + "/" + meta(doc, "namespace") + "/" + meta(doc, "name"), ruleSources(model, doc, failures, name));
        }
      }
    }
    Exclusions ex = exclusions(tamperReport.apply(conv.report()), model, st);
    ex.unmapped.forEach(u -> failures.add(name + ": report entry not mapped to xDS: " + u));
    Map<NodeKey, XdsResources> before = RUNNER.render(name, text).resources();
    Map<NodeKey, XdsResources> after = RUNNER.render(name, text + "\n" + added).resources();
    if (!before.keySet().equals(after.keySet())) {
      failures.add(name + ": proxies differ: " + before.keySet() + " vs " + after.keySet());
      return;
    }
    for (NodeKey key : before.keySet()) {
      st.proxies++;
      new ProxyComparison(name, key, model.meshes().get(key.mesh()), ex, ruleSources, st, failures)
          .compare(before.get(key), after.get(key));
    }
  }

  /** One proxy: its resources before and after adding the converted routes. */
  static final class ProxyComparison {
    final String input;
    final NodeKey key;
    final MeshGraph mesh;
    final Exclusions ex;
    final Map<String, List<String>> ruleSources;
    final Stats st;
    final List<String> failures;
    /** Clusters a compared (not action-excluded) route or a listener of the original refers to. */
    final Set<String> needed = new TreeSet<>();

    ProxyComparison(String input, NodeKey key, MeshGraph mesh, Exclusions ex, Map<String, List<String>> ruleSources,
        Stats st, List<String> failures) {
      this.input = input;
      this.key = key;
      this.mesh = mesh;
      this.ex = ex;
      this.ruleSources = ruleSources;
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
        boolean gateway = key.kind() == NodeKey.Kind.GATEWAY;
        st.routesCompared++;
        if (y != null && y.has("converted")) {
          st.routesServedByConversion++;
          y.remove("converted");
        }
        if (s.serviceExcluded || (gateway && re != null && re.path)) {
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
        if (re == null || !re.action) {
          collectText(x.get("route"), needed);
        }
        if (!x.equals(y)) {
          fail(where + ": route " + n + " differs: " + differences(x, y));
        } else if (re != null && re.any()) {
          st.routesPartlyExcluded++;
          excluded = true;
        } else {
          st.routesIdentical++;
        }
      }
      return excluded;
    }

    /** Whether a route's place among the others is compared: not when the report excludes its order or all of it. */
    boolean orderChecked(Source s) {
      if (s.serviceExcluded) {
        return false;
      }
      if (s.router == null) {
        return true;
      }
      RouteEx re = ex.of(s.router, s.route);
      return !ex.orderApproximated.contains(s.router) && !(key.kind() == NodeKey.Kind.GATEWAY && re != null && re.path);
    }

    /** Which router and App Mesh route an Envoy route's (normalized) name comes from. */
    record Source(String router, String route, boolean serviceExcluded) {}

    Source source(String host, String name) {
      String service;
      String route;
      if (key.kind() == NodeKey.Kind.GATEWAY) {
        String[] p = name.split("/");
        ResolvedGatewayRoute gr = p.length < 2 ? null : mesh.gatewayRoutes().get(p[0]);
        if (gr == null) {
          return new Source(null, null, false);
        }
        service = gr.targetService();
        route = p[1];
      } else {
        service = host;
        route = name;
      }
      boolean excluded = ex.services.contains(mesh.name() + "|" + service);
      ResolvedService vs = mesh.services().get(service);
      if (vs != null && vs.provider() instanceof ResolvedService.RouterProvider rp && mesh.routers().get(rp.router()) != null) {
        return new Source(GatewayApiConverter.label(mesh.routers().get(rp.router()).ref()), route, excluded);
      }
      return new Source(null, null, excluded);
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
            o.put("name", name.substring(0, m.start()) + rules.get(k) + name.substring(m.end()));
            o.put("converted", true);
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
    for (MeshGraph g : model.meshes().values()) {
      g.routers().values().forEach(r -> routers.put(GatewayApiConverter.label(r.ref()), r));
      g.services().values().forEach(s -> services.put(GatewayApiConverter.label(s.ref()), new String[] {g.name(), s.awsName()}));
    }
    for (LossReport.Entry e : report.entries()) {
      boolean routing = e.object().startsWith("VirtualRouter ") || e.object().startsWith("VirtualService ");
      boolean northSouth = e.object().startsWith("VirtualGateway ") || e.object().startsWith("GatewayRoute ");
      if (e.outcome() == LossReport.Outcome.exact) {
        if (northSouth) {
          st.exactNotVerifiable++;
        } else {
          st.exactVerifiable++;
        }
        continue;
      }
      st.nonExact++;
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
