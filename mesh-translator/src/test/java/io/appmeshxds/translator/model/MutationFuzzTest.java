package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.Json;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.LoadedObject;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.ManifestLoaderAccess;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.status.ObjectStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random mutations of valid manifests (structural: removed, retyped, duplicated and renamed fields;
 * textual: cut and duplicated lines) never make loading, validation or resolution throw, and every
 * App Mesh object that loads gets a status. Deterministic: a fixed seed per run.
 */
class MutationFuzzTest {

  static final int ITERATIONS = 1500;
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String[] KEYS = {"spec", "listeners", "portMapping", "port", "protocol", "routes", "httpRoute", "match",
      "prefix", "headers", "regex", "weightedTargets", "weight", "virtualNodeRef", "name", "namespace", "provider",
      "backends", "virtualService", "tls", "timeout", "perRequest", "unit", "value", "awsName", "priority", "metadata",
      "kind", "apiVersion", "meshRef", "namespaceSelector", "matchLabels", "grpcRoute", "tcpRoute", "rewrite", "target"};

  @Test
  void mutatedManifestsNeverThrow() throws Exception {
    List<String> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(ExampleMeshTest.EXAMPLE)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        seeds.add(Files.readString(f));
      }
    }
    for (String phase : List.of("environment", "init", "ab-testing", "canary-step-weight-10")) {
      seeds.add(TestManifests.resource("flagger/" + phase + ".yaml"));
    }
    seeds.add(TestManifests.resource("model/base.yaml"));
    seeds.add(TestManifests.resource("validate/user-mistake.yaml"));
    String all = String.join("\n---\n", seeds);
    Random rnd = new Random(20261126L);
    MeshModelBuilder builder = new MeshModelBuilder();
    int withErrors = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      String text = rnd.nextInt(5) == 0 ? mutateText(all, rnd) : mutateStructure(all, rnd);
      final int iteration = i;
      boolean[] sawError = new boolean[1];
      assertThatCode(() -> {
        LoadResult load = new ManifestLoader().loadText("fuzz-" + iteration, text);
        BuildResult r = builder.build(MeshResources.of(load));
        sawError[0] = ManifestValidation.problems(load).stream().anyMatch(p -> p.isError());
        for (LoadedObject lo : load.objects()) {
          if (lo.ref().appMeshKind() != null && !r.status().objects().containsKey(lo.ref())) {
            // duplicates keep the first copy; the ref still must have a status
            throw new AssertionError("no status for " + lo.ref());
          }
        }
        for (ObjectStatus s : r.status().objects().values()) {
          if (s.condition() != null && !s.condition().isTrue() && s.condition().message().isBlank()) {
            throw new AssertionError("rejected without a message: " + s.object());
          }
        }
      }).as("iteration %d:\n%s", i, text.length() > 4000 ? text.substring(0, 4000) : text).doesNotThrowAnyException();
      withErrors += sawError[0] ? 1 : 0;
    }
    // The mutations must actually break things, or the test proves nothing.
    assertThat(withErrors).isGreaterThan(ITERATIONS / 3);
  }

  static String mutateText(String text, Random rnd) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int n = 1 + rnd.nextInt(4);
    for (int k = 0; k < n && !lines.isEmpty(); k++) {
      int at = rnd.nextInt(lines.size());
      switch (rnd.nextInt(4)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, lines.get(rnd.nextInt(lines.size())));
        case 2 -> {
          String l = lines.get(at);
          if (!l.isEmpty()) {
            int cut = rnd.nextInt(l.length());
            lines.set(at, l.substring(0, cut) + l.substring(Math.min(l.length(), cut + 1 + rnd.nextInt(3))));
          }
        }
        default -> lines.set(at, "  ".repeat(rnd.nextInt(4)) + lines.get(at).strip());
      }
    }
    return String.join("\n", lines);
  }

  static String mutateStructure(String text, Random rnd) {
    List<String> docs = ManifestLoaderAccess.split(text);
    List<String> out = new ArrayList<>();
    for (String d : docs) {
      JsonNode node;
      try {
        node = Json.YAML.readTree(d);
      } catch (RuntimeException e) {
        out.add(d);
        continue;
      }
      if (node != null && node.isContainer() && rnd.nextInt(3) == 0) {
        for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
          mutate(node, rnd);
        }
      }
      out.add(node == null ? "" : Json.YAML.writeValueAsString(node));
    }
    return String.join("\n---\n", out);
  }

  static void mutate(JsonNode root, Random rnd) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(rnd.nextInt(containers.size()));
    if (target instanceof ObjectNode o) {
      List<String> names = new ArrayList<>(o.propertyNames());
      String key = names.isEmpty() || rnd.nextInt(4) == 0 ? KEYS[rnd.nextInt(KEYS.length)] : names.get(rnd.nextInt(names.size()));
      switch (rnd.nextInt(4)) {
        case 0 -> o.remove(key);
        case 1 -> {
          JsonNode v = o.remove(key);
          if (v != null) {
            o.set(KEYS[rnd.nextInt(KEYS.length)], v);
          }
        }
        default -> o.set(key, randomValue(rnd));
      }
    } else if (target instanceof ArrayNode a) {
      if (a.isEmpty() || rnd.nextInt(3) == 0) {
        a.add(randomValue(rnd));
      } else {
        int i = rnd.nextInt(a.size());
        switch (rnd.nextInt(3)) {
          case 0 -> a.remove(i);
          case 1 -> a.add(a.get(i).deepCopy());
          default -> a.set(i, randomValue(rnd));
        }
      }
    }
  }

  static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainer()) {
      out.add(n);
      for (JsonNode c : n.values()) {
        collect(c, out);
      }
    }
  }

  static JsonNode randomValue(Random rnd) {
    return switch (rnd.nextInt(14)) {
      case 0 -> NODES.numberNode(-1);
      case 1 -> NODES.numberNode(0);
      case 2 -> NODES.numberNode(65536);
      case 3 -> NODES.numberNode(Long.MAX_VALUE);
      case 4 -> NODES.numberNode(1.5);
      case 5 -> NODES.stringNode("");
      case 6 -> NODES.stringNode("(?=.*x)");
      case 7 -> NODES.stringNode("/");
      case 8 -> NODES.booleanNode(true);
      case 9 -> NODES.nullNode();
      case 10 -> NODES.objectNode();
      case 11 -> NODES.arrayNode().add(NODES.nullNode());
      case 12 -> NODES.arrayNode();
      default -> NODES.objectNode().put("name", "x").put("weight", rnd.nextInt(200) - 50);
    };
  }
}
