package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.Json;
import io.appmeshxds.translator.input.ManifestLoaderAccess;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.SortedMaps;
import io.appmeshxds.translator.status.StatusReport;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.PlanContext;
import io.appmeshxds.translator.plan.PlanSession;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.plan.ProxyPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Incremental builds equal builds from scratch. For every golden input and the Flagger phases, a
 * random sequence of one-document edits (mutated fields, Flagger's next phase of an object, deleted
 * and restored documents, copies that claim the same App Mesh name) is applied; after each step the
 * incremental model builder and plan session must produce exactly what a fresh builder (with the
 * previous fresh build's served versions as last good) and a fresh planner produce: statuses,
 * served versions, the resolved graph and every proxy's plan (planned again or adapted). A missed
 * dependency shows up as a stale status or plan here.
 *
 * <p>Every input runs with App Mesh's endpoints (Envoy resolves DNS hostnames; an edit of nothing
 * but an EndpointSlice must then leave every sidecar and gateway plan alone), and inputs with
 * EndpointSlices run again with every mesh opted into per-pod endpoints (EDS for sidecars too).
 */
class IncrementalBuildTest {
  static final int STEPS = Integer.getInteger("incr.steps", 40);
  static final Path GOLDEN = Paths.get("src/test/resources/golden/sidecar");

  @TestFactory
  Stream<DynamicTest> incrementalEqualsFromScratch() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(GOLDEN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".in.yaml")).sorted().toList()) {
        String text = Files.readString(f);
        tests.add(DynamicTest.dynamicTest(f.getFileName().toString(),
            () -> run(text, List.of(), f.getFileName().hashCode(), APP_MESH)));
        if (text.contains("kind: EndpointSlice")) {
          tests.add(DynamicTest.dynamicTest(f.getFileName() + " (per-pod endpoints)",
              () -> run(text, List.of(), f.getFileName().hashCode(), PER_POD)));
        }
      }
    }
    List<String> phases = new ArrayList<>();
    for (String p : List.of("init", "canary-step-weight-10", "ab-testing", "ab-testing-cookie", "promoted", "rolled-back",
        "blue-green-switched")) {
      phases.add(TestManifests.resource("flagger/" + p + ".yaml"));
    }
    String env = TestManifests.resource("flagger/environment.yaml") + "\n---\n" + phases.get(0);
    tests.add(DynamicTest.dynamicTest("flagger phases", () -> run(env, phases, 42, APP_MESH)));
    tests.add(DynamicTest.dynamicTest("flagger phases (per-pod endpoints)", () -> run(env, phases, 42, PER_POD)));
    return tests.stream();
  }

  static final EndpointOptions APP_MESH = EndpointOptions.appMesh();
  static final EndpointOptions PER_POD = EndpointOptions.perPod(List.of("*"));

  private void run(String text, List<String> alternatives, long seed, EndpointOptions options) {
    Random rnd = new Random(seed);
    List<String> original = ManifestLoaderAccess.split(text).stream().filter(d -> !d.isBlank()).toList();
    List<String> docs = new ArrayList<>(original);
    Map<String, List<String>> versions = versionsByName(original, alternatives);
    MeshModelBuilder incremental = new MeshModelBuilder();
    PlanSession session = new PlanSession(new Planner(options, List.of(), List.of()));
    MeshResources before = null;
    BuildResult previousFresh = null;
    List<NodeKey> proxyless = new ArrayList<>();
    int incrementalSteps = 0;
    int adapted = 0;
    int statusDeltas = 0;
    StatusReport previousReport = StatusReport.empty();
    for (int step = 0; step <= STEPS; step++) {
      List<String> previousDocs = List.copyOf(docs);
      String what = step == 0 ? "initial" : edit(docs, original, versions, rnd);
      MeshResources now = TestManifests.resources(String.join("\n---\n", docs));
      BuildResult inc = incremental.update(now, InputChanges.between(before, now));
      incrementalSteps += inc.changes().all() ? 0 : 1;
      BuildResult fresh = new MeshModelBuilder().build(now, previousFresh == null ? Map.of() : previousFresh.accepted());
      String at = "step " + step + " (" + what + ")";
      assertThat(inc.status().objects()).as(at + ": statuses").isEqualTo(fresh.status().objects());
      assertThat(inc.status().unattached()).as(at + ": unattached problems").isEqualTo(fresh.status().unattached());
      assertThat(inc.accepted()).as(at + ": served versions").isEqualTo(fresh.accepted());
      assertThat(inc.model().meshes()).as(at + ": resolved graph").isEqualTo(fresh.model().meshes());
      // What changed in the statuses, from the refs the build touched, is what a full merge finds.
      Set<ObjectRef> reported = new TreeSet<>();
      StatusReport.changes(previousReport, inc.status(), reported::add);
      Set<ObjectRef> merged = new TreeSet<>();
      SortedMaps.diff(new TreeMap<>(previousReport.objects()), new TreeMap<>(inc.status().objects()), merged::add);
      assertThat(reported).as(at + ": status changes").isEqualTo(merged);
      statusDeltas += inc.status().follows(previousReport) ? 1 : 0;
      previousReport = inc.status();
      if (step == 0) {
        fresh.model().meshes().values().forEach(g -> g.nodes().keySet().stream().limit(2)
            .forEach(n -> proxyless.add(NodeKey.proxyless(g.name(), n, Dialect.GRPC))));
      }
      PlanSession.Update update = session.update(inc.model(), inc.changes(), proxyless);
      adapted += update.adapted();
      if (options == APP_MESH && step > 0 && onlySlicesEdited(previousDocs, docs)) {
        assertThat(update.changed().keySet()).as(at + ": an EndpointSlice edit changes no Envoy proxy's plan")
            .allMatch(k -> k.kind() == NodeKey.Kind.PROXYLESS);
      }
      SortedMap<NodeKey, ProxyPlan> expected = new Planner(options, List.of(), List.of())
          .planAll(new PlanContext(fresh.model()), proxyless);
      Map<NodeKey, ProxyPlan> actual = new HashMap<>();
      session.keys().forEach(k -> actual.put(k, session.plan(k)));
      assertThat(actual.keySet()).as(at + ": planned proxies").isEqualTo(expected.keySet());
      for (Map.Entry<NodeKey, ProxyPlan> e : expected.entrySet()) {
        assertThat(actual.get(e.getKey())).as(at + ": plan of " + e.getKey() + " after:\n" + what).isEqualTo(e.getValue());
      }
      before = now;
      previousFresh = fresh;
    }
    // Edits of a Mesh or a Namespace rebuild from scratch; most steps must take the incremental path.
    assertThat(incrementalSteps).as("incremental steps").isGreaterThan(STEPS / 3);
    assertThat(statusDeltas).as("status changes from touched refs").isEqualTo(incrementalSteps);
    if (!alternatives.isEmpty() && options == PER_POD) {
      // Flagger's phases change weights and matches, the fuzz changes slices: clients of the service
      // adapt their plans. (With App Mesh's endpoints this seed breaks the Mesh before a phase
      // changes a router, and slices reach no sidecar; PlanAdaptationTest covers that mode.)
      assertThat(adapted).as("plans adapted rather than planned again").isGreaterThan(0);
    }
  }

  /** Whether {@code after} differs from {@code before} only in EndpointSlice documents (same count). */
  private static boolean onlySlicesEdited(List<String> before, List<String> after) {
    if (before.size() != after.size() || before.equals(after)) {
      return false;
    }
    for (int i = 0; i < before.size(); i++) {
      if (!before.get(i).equals(after.get(i)) && (!isSlice(before.get(i)) || !isSlice(after.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSlice(String doc) {
    try {
      JsonNode n = Json.YAML.readTree(doc);
      return n != null && n.isObject() && n.path("kind").isString() && n.path("kind").asString().equals("EndpointSlice")
          && n.path("apiVersion").isString() && n.path("apiVersion").asString().equals("discovery.k8s.io/v1");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Applies one random edit to {@code docs}; returns what it did. */
  private static String edit(List<String> docs, List<String> original, Map<String, List<String>> versions, Random rnd) {
    int i = rnd.nextInt(docs.size());
    int op = rnd.nextInt(10);
    if (op < 4) {
      JsonNode n = Json.YAML.readTree(docs.get(i));
      if (n != null && n.isContainer()) {
        MutationFuzzTest.mutate(n, rnd);
        docs.set(i, Json.YAML.writeValueAsString(n));
      }
      return "mutated document " + i + ":\n" + docs.get(i);
    }
    if (op < 6) {
      List<String> vs = versions.get(name(docs.get(i)));
      if (vs != null && !vs.isEmpty()) {
        docs.set(i, vs.get(rnd.nextInt(vs.size())));
        return "another version of document " + i;
      }
      int j = rnd.nextInt(original.size());
      docs.set(Math.min(j, docs.size() - 1), original.get(j));
      return "restored document " + j;
    }
    if (op < 7 && docs.size() > 1) {
      docs.remove(i);
      return "deleted document " + i;
    }
    if (op < 8) {
      docs.add(original.get(rnd.nextInt(original.size())));
      return "re-added a document";
    }
    JsonNode n = Json.YAML.readTree(docs.get(i));
    if (n instanceof ObjectNode o && o.get("metadata") instanceof ObjectNode m && text(m.get("name")) != null) {
      String name = text(m.get("name"));
      m.put("name", name + "-copy");
      if (o.get("spec") instanceof ObjectNode spec && rnd.nextBoolean()) {
        // Claims the original's App Mesh name: one of the two gets NameConflict.
        String ns = text(m.get("namespace"));
        spec.put("awsName", name + (ns == null ? "" : "_" + ns));
      }
      docs.add(Json.YAML.writeValueAsString(o));
      return "copied document " + i;
    }
    return "nothing";
  }

  private static String text(JsonNode n) {
    return n != null && n.isValueNode() && !n.isNull() ? n.asString() : null;
  }

  private static Map<String, List<String>> versionsByName(List<String> original, List<String> alternatives) {
    Map<String, List<String>> out = new HashMap<>();
    for (String alt : alternatives) {
      for (String d : ManifestLoaderAccess.split(alt)) {
        String k = name(d);
        if (k != null) {
          out.computeIfAbsent(k, x -> new ArrayList<>()).add(d);
        }
      }
    }
    return out;
  }

  private static String name(String doc) {
    try {
      JsonNode n = Json.YAML.readTree(doc);
      if (n == null || n.get("kind") == null || n.get("metadata") == null) {
        return null;
      }
      return text(n.get("kind")) + "/" + text(n.get("metadata").get("namespace")) + "/" + text(n.get("metadata").get("name"));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
