package io.appmeshxds.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Any;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.model.ObjectValidator;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.xds.ExtensionFactory;
import io.appmeshxds.translator.xds.XdsChecks;
import io.appmeshxds.translator.xds.XdsJson;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Golden cases: {@code <case>.in.yaml} (manifests) → {@code <case>.out.yaml} (statuses and plans)
 * and {@code <case>.xds.yaml} (Envoy resources per node, proto3 JSON as YAML). Run with
 * {@code -Dgolden.update=true} to rewrite the outputs; reviewers read the diff.
 *
 * <p>Every case also asserts, for every node: our consistency check and Envoy's proto rules
 * ({@link XdsChecks}), java-control-plane's {@code Snapshot.ensureConsistent()} for Envoy proxies,
 * and determinism (a second translation from scratch gives byte-identical output).
 *
 * <p>Directives in the input, one per line: {@code # golden: proxyless=<mesh>/<vn awsName>[,…]} and
 * {@code # golden: legacy=<mesh>/<vn awsName>[,…]} add proxyless gRPC clients (string_match or
 * legacy header dialect) for those nodes; {@code # golden: dns=<host>=<ip>[,<ip>]} records a DNS
 * answer; {@code # golden: perPod=<mesh>[,…]} (or {@code *}) plans with per-pod endpoints for those
 * meshes ({@link EndpointOptions}), for runners made with a planner factory.
 */
public final class GoldenRunner {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .build();

  private final Path dir;
  private final Function<EndpointOptions, Planner> planner;
  private final boolean takesOptions;
  private final List<ExtensionFactory> extensions;
  private final Supplier<MeshModelBuilder> builder;

  public GoldenRunner(Path dir, Supplier<Planner> planner, List<ExtensionFactory> extensions) {
    this(dir, planner, extensions, MeshModelBuilder::new);
  }

  /** With a builder of our choice (e.g. one running another module's composability checks). */
  public GoldenRunner(Path dir, Supplier<Planner> planner, List<ExtensionFactory> extensions,
      Supplier<MeshModelBuilder> builder) {
    this(dir, o -> planner.get(), false, extensions, builder);
  }

  /** With a planner made per case from its endpoint options (the {@code perPod} directive). */
  public static GoldenRunner withOptions(Path dir, Function<EndpointOptions, Planner> planner,
      List<ExtensionFactory> extensions) {
    return withOptions(dir, planner, extensions, MeshModelBuilder::new);
  }

  /** With a planner made per case from its endpoint options, and a builder of our choice. */
  public static GoldenRunner withOptions(Path dir, Function<EndpointOptions, Planner> planner,
      List<ExtensionFactory> extensions, Supplier<MeshModelBuilder> builder) {
    return new GoldenRunner(dir, planner, true, extensions, builder);
  }

  private GoldenRunner(Path dir, Function<EndpointOptions, Planner> planner, boolean takesOptions,
      List<ExtensionFactory> extensions, Supplier<MeshModelBuilder> builder) {
    this.dir = dir;
    this.planner = planner;
    this.takesOptions = takesOptions;
    this.extensions = extensions;
    this.builder = builder;
  }

  /** With object checks contributed by other modules (their problems show in the statuses). */
  public GoldenRunner(Path dir, Supplier<Planner> planner, List<ExtensionFactory> extensions,
      List<ObjectValidator> validators) {
    this(dir, planner, extensions, () -> new MeshModelBuilder(new LocalRuleCache(), validators, List.of()));
  }

  /** One dynamic test per case in the directory. */
  public Stream<DynamicTest> tests() throws IOException {
    List<Path> inputs;
    try (Stream<Path> s = Files.list(dir)) {
      inputs = s.filter(p -> p.getFileName().toString().endsWith(".in.yaml")).sorted().toList();
    }
    assertThat(inputs).as("golden inputs in %s", dir).isNotEmpty();
    return Stream.concat(inputs.stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString().replace(".in.yaml", ""),
        () -> runCase(in))), Stream.of(DynamicTest.dynamicTest("no stale golden files",
            () -> assertNoStaleFiles(dir, Set.of("config.yaml", "README.md")))));
  }

  /**
   * Files of a golden directory that belong to no case: a file is a case's when its name is {@code
   * <case>.<anything>} and {@code <case>.in.yaml} exists (an {@code .out.yaml} or {@code .xds.yaml}
   * left behind by a renamed or deleted case is stale). {@code shared} names files of the directory
   * itself (e.g. its {@code config.yaml}). Subdirectories are not looked into.
   */
  public static List<String> staleFiles(Path dir, Set<String> shared) throws IOException {
    List<String> stale = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        String n = f.getFileName().toString();
        if (shared.contains(n) || n.endsWith(".in.yaml")) {
          continue;
        }
        boolean owned = false;
        for (int i = n.indexOf('.'); i > 0 && !owned; i = n.indexOf('.', i + 1)) {
          owned = Files.isRegularFile(dir.resolve(n.substring(0, i) + ".in.yaml"));
        }
        if (!owned) {
          stale.add(n);
        }
      }
    }
    return stale;
  }

  /** Fails naming every file of {@code dir} that no case uses ({@link #staleFiles}). */
  public static void assertNoStaleFiles(Path dir, Set<String> shared) throws IOException {
    assertThat(staleFiles(dir, shared)).as("golden files in %s that no case (<case>.in.yaml) produces or reads; "
        + "delete them, or restore their case", dir).isEmpty();
  }

  /** Outputs of one case. */
  public record Output(String out, String xds, Map<NodeKey, XdsResources> resources) {}

  /** {@code namespace/service[?k=v&k=v]}. */
  private static io.appmeshxds.translator.input.CloudMapQuery cloudMapQuery(String q) {
    String[] pq = q.split("\\?", 2);
    String[] ns = pq[0].split("/", 2);
    java.util.TreeMap<String, String> attrs = new java.util.TreeMap<>();
    if (pq.length > 1) {
      for (String kv : pq[1].split("&")) {
        String[] p = kv.split("=", 2);
        attrs.put(p[0], p[1]);
      }
    }
    return new io.appmeshxds.translator.input.CloudMapQuery(ns[0], ns[1], attrs);
  }

  /** {@code id@ipv4|ipv6; ...}. */
  private static io.appmeshxds.translator.input.CloudMapAnswer cloudMapAnswer(String v, boolean failing) {
    List<io.appmeshxds.translator.input.CloudMapAnswer.Instance> list = new ArrayList<>();
    for (String i : v.split(";")) {
      if (i.isBlank()) {
        continue;
      }
      String[] ia = i.strip().split("@", 2);
      String[] ips = ia[1].split("\\|", -1);
      list.add(new io.appmeshxds.translator.input.CloudMapAnswer.Instance(ia[0], ips[0].isEmpty() ? null : ips[0],
          ips.length < 2 || ips[1].isEmpty() ? null : ips[1]));
    }
    var a = io.appmeshxds.translator.input.CloudMapAnswer.of(list, false);
    return failing ? a.failed("ServiceUnavailable: Service unavailable (HTTP 503)", java.time.Instant.parse("2026-01-01T00:00:00Z")) : a;
  }

  public Output render(String name, String text) {
    MeshResources.Builder extra = MeshResources.builder();
    List<NodeKey> proxyless = new ArrayList<>();
    EndpointOptions options = EndpointOptions.appMesh();
    MeshResources res = MeshResources.of(new ManifestLoader().loadText(name, text));
    MeshResources.Builder b = MeshResources.builder();
    res.objects().forEach((r, o) -> b.add(o, r, res.sources().get(r)));
    res.namespaces().values().forEach(n -> b.add(n, new io.appmeshxds.translator.input.ObjectRef("Namespace", null, n.name()), null));
    res.services().forEach((r, s) -> b.add(s, r, null));
    res.endpointSlices().forEach((r, s) -> b.add(s, r, null));
    res.gatewayApi().forEach((r, g) -> b.add(g, r, null));
    res.loadProblems().forEach(b::addLoadProblem);
    for (String line : text.split("\n")) {
      if (!line.startsWith("# golden:")) {
        continue;
      }
      String d = line.substring("# golden:".length()).strip();
      String[] kv = d.split("=", 2);
      switch (kv[0]) {
        case "proxyless", "legacy" -> {
          for (String node : kv[1].split(",")) {
            String[] mn = node.strip().split("/", 2);
            proxyless.add(NodeKey.proxyless(mn[0], mn[1], kv[0].equals("legacy") ? Dialect.GRPC_LEGACY : Dialect.GRPC));
          }
        }
        case "perPod" -> {
          assertThat(takesOptions).as("the perPod directive needs a runner made with withOptions").isTrue();
          options = EndpointOptions.perPod(List.of(kv[1].strip().split("\\s*,\\s*")));
        }
        case "dns" -> {
          String[] hv = kv[1].split("=", 2);
          b.dnsAnswer(hv[0].strip(), List.of(hv[1].strip().split(",")));
        }
        case "cloudMap", "cloudMapFailing" -> {
          // cloudMap=<namespace>/<service>[?k=v&k=v] -> <id>@<ipv4>|<ipv6>; ...   (either address may be empty)
          // cloudMapFailing=... the same, answered earlier, failing since 2026-01-01T00:00:00Z
          String[] qv = kv[1].split("->", 2);
          b.cloudMapAnswer(cloudMapQuery(qv[0].strip()), cloudMapAnswer(qv[1].strip(), kv[0].equals("cloudMapFailing")));
        }
        default -> fail("unknown golden directive: " + line);
      }
    }
    MeshResources in = b.build();
    BuildResult built = builder.get().build(in);
    PlanContext ctx = new PlanContext(built.model());
    SortedMap<NodeKey, ProxyPlan> plans = planner.apply(options).planAll(ctx, proxyless);
    XdsTranslator translator = new XdsTranslator(extensions);
    XdsJson json = new XdsJson(extensions);
    ObjectNode out = GoldenTrees.F.objectNode();
    out.set("statuses", GoldenTrees.statuses(built.status()));
    ObjectNode planTree = out.putObject("plans");
    ObjectNode xds = GoldenTrees.F.objectNode();
    ArrayNode nodes = xds.putArray("nodes");
    Map<NodeKey, XdsResources> all = new java.util.TreeMap<>();
    for (Map.Entry<NodeKey, ProxyPlan> e : plans.entrySet()) {
      planTree.set(e.getKey().toString(), GoldenTrees.tree(e.getValue()));
      XdsResources r = translator.translate(e.getValue());
      all.put(e.getKey(), r);
      ObjectNode node = nodes.addObject();
      node.put("node", e.getKey().nodeId());
      node.put("proxyless", e.getKey().kind() == NodeKey.Kind.PROXYLESS);
      if (e.getKey().dialect() != Dialect.ENVOY) {
        node.put("dialect", e.getKey().dialect().name());
      }
      node.setAll(json.tree(r));
    }
    return new Output(YAML.writeValueAsString(out), YAML.writeValueAsString(xds), all);
  }

  private void runCase(Path in) throws IOException {
    String name = in.getFileName().toString().replace(".in.yaml", "");
    String text = Files.readString(in, StandardCharsets.UTF_8);
    Output first = render(name, text);
    Output second = render(name, text);
    assertThat(second.xds()).as("deterministic xds output").isEqualTo(first.xds());
    assertThat(second.out()).as("deterministic plans").isEqualTo(first.out());
    for (Map.Entry<NodeKey, XdsResources> e : first.resources().entrySet()) {
      assertThat(XdsChecks.check(e.getValue())).as("consistency and Envoy rules of %s", e.getKey()).isEmpty();
      if (e.getKey().dialect() == Dialect.ENVOY) {
        ensureConsistent(e.getValue());
      }
    }
    compare(dir.resolve(name + ".out.yaml"), first.out());
    compare(dir.resolve(name + ".xds.yaml"), first.xds());
  }

  /**
   * java-control-plane's check, run on a view whose HCM filters carry the legacy name
   * {@code envoy.http_connection_manager}: that is the only name its reference scan recognizes
   * (the resources we serve use the current extension name).
   */
  static void ensureConsistent(XdsResources r) {
    List<Listener> listeners = new ArrayList<>();
    for (Listener l : r.<Listener>protos(XdsResources.Type.LISTENER)) {
      Listener.Builder b = l.toBuilder();
      b.getFilterChainsBuilderList().forEach(c -> c.getFiltersBuilderList().forEach(f -> {
        Any a = f.getTypedConfig();
        if (a.is(HttpConnectionManager.class)) {
          f.setName("envoy.http_connection_manager");
        }
      }));
      listeners.add(b.build());
    }
    Snapshot s = Snapshot.create(r.protos(XdsResources.Type.CLUSTER), r.protos(XdsResources.Type.ENDPOINT), listeners,
        r.protos(XdsResources.Type.ROUTE), r.protos(XdsResources.Type.SECRET), "golden");
    try {
      s.ensureConsistent();
    } catch (Exception e) {
      fail("Snapshot.ensureConsistent() failed for " + r.key() + ": " + e.getMessage());
    }
  }

  private static void compare(Path file, String actual) throws IOException {
    if (UPDATE || !Files.exists(file)) {
      if (!UPDATE) {
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        fail("golden file " + file.getFileName() + " did not exist; written — review it and run again");
      }
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(actual).as("golden %s (rerun with -Dgolden.update=true to accept)", file.getFileName())
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Unused-name guard for the Set import in older JDKs. */
  static TreeSet<String> sorted(List<String> l) {
    return new TreeSet<>(l);
  }
}
