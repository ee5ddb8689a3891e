package io.appmeshxds.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.Kind;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs under {@code deploy/crds/} are what the build generates from the model right now
 * (the crd-generator plugin runs at process-classes, before this test). A model change without
 * regenerated CRDs fails here; {@code -Dcrds.update=true} copies the generated files over.
 *
 * <p>Also checks the shape App Mesh's CRDs have, so existing objects load unchanged: group,
 * version, kinds, plurals, scope, categories, status subresource, printer columns and {@code
 * x-kubernetes-preserve-unknown-fields} at the root.
 */
class GeneratedCrdsTest {
  static final Path GENERATED = Path.of(System.getProperty("crds.generated", "target/crds"));
  static final Path COMMITTED = Path.of(System.getProperty("crds.committed", "../deploy/crds"));
  static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void committedCrdsAreTheGeneratedOnes() throws IOException {
    List<String> generated = names(GENERATED);
    assertThat(generated).hasSize(Kind.values().length);
    if (Boolean.getBoolean("crds.update")) {
      Files.createDirectories(COMMITTED);
      for (String n : names(COMMITTED)) {
        if (!generated.contains(n)) {
          Files.delete(COMMITTED.resolve(n));
        }
      }
      for (String n : generated) {
        Files.copy(GENERATED.resolve(n), COMMITTED.resolve(n), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertThat(names(COMMITTED)).as("files in " + COMMITTED + " (regenerate: -Dcrds.update=true)").isEqualTo(generated);
    for (String n : generated) {
      assertThat(read(COMMITTED.resolve(n)))
          .as(COMMITTED.resolve(n) + " is stale: the model changed; regenerate with -Dcrds.update=true and review the diff")
          .isEqualTo(read(GENERATED.resolve(n)));
    }
  }

  @Test
  void everyCrdHasAppMeshShape() throws IOException {
    for (Kind k : Kind.values()) {
      Path f = COMMITTED.resolve(k.plural() + "." + Kind.GROUP + "-v1.yml");
      CustomResourceDefinition crd = YAML.unmarshal(read(f), CustomResourceDefinition.class);
      assertThat(crd.getMetadata().getName()).isEqualTo(k.plural() + "." + Kind.GROUP);
      assertThat(crd.getSpec().getGroup()).isEqualTo(Kind.GROUP);
      assertThat(crd.getSpec().getScope()).isEqualTo(k.namespaced() ? "Namespaced" : "Cluster");
      assertThat(crd.getSpec().getNames().getKind()).isEqualTo(k.name());
      assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(k.plural());
      assertThat(crd.getSpec().getNames().getSingular()).isEqualTo(k.name().toLowerCase(Locale.ROOT));
      assertThat(crd.getSpec().getNames().getCategories()).isEqualTo(k.namespaced() ? List.of("all") : List.of());
      assertThat(crd.getSpec().getVersions()).hasSize(1);
      CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
      assertThat(v.getName()).isEqualTo(Kind.VERSION);
      assertThat(v.getServed()).isTrue();
      assertThat(v.getStorage()).isTrue();
      assertThat(v.getSubresources().getStatus()).as(k + " status subresource").isNotNull();
      JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
      assertThat(root.getXKubernetesPreserveUnknownFields()).as(k + " root keeps unknown fields").isTrue();
      assertThat(root.getProperties()).containsKeys("spec", "status");
      // As in App Mesh's CRDs, only the root preserves unknown fields: spec is structural, so the
      // API server prunes unknown spec fields (what validate's unknown-field warning says).
      assertThat(preservingPaths(root.getProperties().get("spec"), "spec")).as(k + " spec prunes unknown fields").isEmpty();
      if (k.arnField() != null) {
        assertThat(v.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath, CustomResourceColumnDefinition::getType)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("ARN", ".status." + k.arnField(), "string"),
                org.assertj.core.groups.Tuple.tuple("AGE", ".metadata.creationTimestamp", "date"));
        JSONSchemaProps status = root.getProperties().get("status");
        assertThat(status.getProperties()).containsKeys("conditions", "observedGeneration", k.arnField());
        JSONSchemaProps condition = status.getProperties().get("conditions").getItems().getSchema();
        assertThat(condition.getRequired()).containsExactlyInAnyOrder("type", "status");
        assertThat(condition.getProperties()).containsOnlyKeys("type", "status", "lastTransitionTime", "reason", "message");
        assertThat(condition.getProperties().get("lastTransitionTime").getFormat()).isEqualTo("date-time");
      } else {
        assertThat(v.getAdditionalPrinterColumns()).isNullOrEmpty();
      }
    }
  }

  @Test
  void constraintsMatchAppMeshsCrds() throws IOException {
    // A few of the field shapes App Mesh's CRDs declare (compared field by field when these were
    // generated; see the module's README note in deploy/crds/README.md for the known differences).
    JSONSchemaProps vn = spec("virtualnodes");
    JSONSchemaProps portMapping = vn.getProperties().get("listeners").getItems().getSchema().getProperties().get("portMapping");
    assertThat(portMapping.getRequired()).containsExactlyInAnyOrder("port", "protocol");
    assertThat(portMapping.getProperties().get("port").getMinimum().intValue()).isEqualTo(1);
    assertThat(portMapping.getProperties().get("port").getMaximum().intValue()).isEqualTo(65535);
    assertThat(portMapping.getProperties().get("protocol").getEnum()).extracting(e -> e.toString().replace("\"", ""))
        .containsExactlyInAnyOrder("grpc", "http", "http2", "tcp");
    JSONSchemaProps vr = spec("virtualrouters");
    JSONSchemaProps target = vr.getProperties().get("routes").getItems().getSchema().getProperties().get("httpRoute")
        .getProperties().get("action").getProperties().get("weightedTargets");
    assertThat(target.getMinItems()).isEqualTo(1L);
    assertThat(target.getMaxItems()).isEqualTo(10L);
    JSONSchemaProps weight = target.getItems().getSchema().getProperties().get("weight");
    assertThat(weight.getMinimum().intValue()).isZero();
    assertThat(weight.getMaximum().intValue()).isEqualTo(100);
    JSONSchemaProps mesh = spec("meshes");
    assertThat(mesh.getProperties().get("egressFilter").getProperties().get("type").getEnum()).extracting(e -> e.toString().replace("\"", ""))
        .containsExactlyInAnyOrder("ALLOW_ALL", "DROP_ALL");
    assertThat(spec("virtualservices").getProperties().get("meshRef").getRequired()).containsExactlyInAnyOrder("name", "uid");
    assertThat(spec("gatewayroutes").getProperties().get("virtualGatewayRef").getRequired())
        .containsExactlyInAnyOrder("name", "uid");
  }

  /** Paths below {@code schema} (included) that set x-kubernetes-preserve-unknown-fields. */
  private static List<String> preservingPaths(JSONSchemaProps schema, String path) {
    List<String> out = new java.util.ArrayList<>();
    if (schema == null) {
      return out;
    }
    if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
      out.add(path);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> out.addAll(preservingPaths(child, path + "." + name)));
    }
    if (schema.getItems() != null) {
      out.addAll(preservingPaths(schema.getItems().getSchema(), path + "[]"));
    }
    if (schema.getAdditionalProperties() != null) {
      out.addAll(preservingPaths(schema.getAdditionalProperties().getSchema(), path + ".*"));
    }
    return out;
  }

  private static JSONSchemaProps spec(String plural) throws IOException {
    CustomResourceDefinition crd = YAML.unmarshal(read(COMMITTED.resolve(plural + "." + Kind.GROUP + "-v1.yml")),
        CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
    }
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
