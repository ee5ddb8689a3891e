package io.appmeshxds.server.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.ManifestValidation;
import io.appmeshxds.translator.model.MeshModelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code convert} on the bundled example and on every golden mesh (sidecar and gateway cases): the
 * output parses into fabric8's Gateway API model with no unknown field, and every backendRef names a
 * Service of the input or one the loss report names.
 */
class ConvertGoldenTest {

  static final Path PODINFO = Path.of("../deploy/examples/podinfo");

  static List<Path> inputs() throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(PODINFO);
    for (Path dir : List.of(Path.of("../mesh-translator/src/test/resources/golden/sidecar"),
        Path.of("../gateway/src/test/resources/golden/gateway"))) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().endsWith(".in.yaml")).sorted().forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void theModelCheckRejectsAnUnknownFieldAtAnyDepth() {
    Map<String, Object> ok = GatewayApiConverter.map("apiVersion", "gateway.networking.k8s.io/v1", "kind", "HTTPRoute",
        "metadata", GatewayApiConverter.map("name", "a", "namespace", "b"),
        "spec", GatewayApiConverter.map("rules", List.of(GatewayApiConverter.map("backendRefs",
            List.of(GatewayApiConverter.map("name", "s", "port", 80))))));
    GatewayApiModel.parse(ok);
    Map<String, Object> bad = GatewayApiConverter.map("apiVersion", "gateway.networking.k8s.io/v1", "kind", "HTTPRoute",
        "metadata", GatewayApiConverter.map("name", "a", "namespace", "b"),
        "spec", GatewayApiConverter.map("rules", List.of(GatewayApiConverter.map("backendRefs",
            List.of(GatewayApiConverter.map("name", "s", "port", 80, "retries", 3))))));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayApiModel.parse(bad)).hasMessageContaining("retries");
  }

  @Test
  void everyExampleAndGoldenMeshConvertsIntoTheGatewayApiModel() throws IOException {
    MeshModelBuilder builder = Pipelines.standard().modelBuilder();
    int converted = 0;
    int withErrors = 0;
    int documents = 0;
    int backendRefs = 0;
    int routes = 0;
    int gateways = 0;
    List<String> failures = new ArrayList<>();
    java.util.TreeMap<String, Integer> kinds = new java.util.TreeMap<>();
    for (Path in : inputs()) {
      LoadResult load = ManifestFiles.load(List.of(in));
      assertThat(load.ioErrors()).as(in.toString()).isEmpty();
      boolean errors = ManifestValidation.problems(load, builder).stream().anyMatch(p -> p.isError() && !p.isUnsupported());
      if (errors) {
        // convert refuses such input (exit 1) as validate does; what it accepts is converted below.
        withErrors++;
      }
      MeshResources res = MeshResources.of(load);
      GatewayApiConverter.Result r = GatewayApiConverter.convert(builder.build(res).model(), "appmesh-xds");
      converted++;
      String reportText = String.join("\n", r.report().entries().stream().map(LossReport.Entry::toLine).toList());
      if (reportText.contains("is already written for another object")) {
        failures.add(in.getFileName() + ": two objects converted to one name: " + reportText.lines()
            .filter(l -> l.contains("already written")).toList());
      }
      // Stable output: a second conversion of the same input writes the same documents.
      if (!GatewayApiConverter.convert(builder.build(MeshResources.of(load)).model(), "appmesh-xds").documents()
          .equals(r.documents())) {
        failures.add(in.getFileName() + ": a second conversion differs");
      }
      for (Map<String, Object> doc : r.documents()) {
        documents++;
        try {
          GatewayApiModel.parse(doc);
        } catch (RuntimeException e) {
          failures.add(in.getFileName() + ": " + e.getMessage());
        }
        String kind = (String) doc.get("kind");
        kinds.merge(kind, 1, Integer::sum);
        gateways += kind.equals("Gateway") ? 1 : 0;
        if (kind.endsWith("Route")) {
          routes++;
          String ns = (String) ((Map<?, ?>) doc.get("metadata")).get("namespace");
          for (Object rule : (List<?>) ((Map<?, ?>) doc.get("spec")).get("rules")) {
            for (Object o : (List<?>) ((Map<?, ?>) rule).get("backendRefs")) {
              Map<?, ?> ref = (Map<?, ?>) o;
              backendRefs++;
              String svcNs = ref.get("namespace") == null ? ns : (String) ref.get("namespace");
              boolean exists = res.services().containsKey(new ObjectRef("Service", svcNs, (String) ref.get("name")));
              if (!exists && !reportText.contains(svcNs + "/" + ref.get("name"))) {
                failures.add(in.getFileName() + ": backendRef " + svcNs + "/" + ref.get("name")
                    + " is neither in the input nor in the report");
              }
            }
          }
        }
      }
    }
    System.out.printf("convert: %d inputs (%d with errors convert refuses), %d documents, %d routes, %d gateways, "
        + "%d backendRefs; by kind %s%n", converted, withErrors, documents, routes, gateways, backendRefs, kinds);
    assertThat(failures).isEmpty();
    assertThat(converted).isGreaterThan(50);
    assertThat(routes).isGreaterThan(30);
    assertThat(gateways).isGreaterThan(5);
    assertThat(kinds).containsKeys("HTTPRoute", "GRPCRoute", "Gateway", "BackendTLSPolicy");
  }
}
