package io.appmeshxds.translator.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.api.VirtualNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ManifestLoaderTest {

  static final String VN = """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualNode
      metadata: {name: a, namespace: demo}
      spec:
        listeners:
          - portMapping: {port: 8080, protocol: http}
            foo: bar
        serviceDiscovery: {dns: {hostname: a.demo}}
      """;

  ManifestLoader loader = new ManifestLoader();

  @Test
  void unknownFieldsAreWarningsWithTheirPathAndTheObjectIsKept() {
    LoadResult r = loader.loadText("f.yaml", VN + "extra: 1\n");
    assertThat(r.objects()).hasSize(1);
    assertThat(r.problems()).extracting(Problem::severity, Problem::field, Problem::message).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "spec.listeners[0].foo",
            "unknown field: the API server prunes it (App Mesh's CRDs are structural), so it has no effect"),
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "extra",
            "unknown field: the API server keeps it (top-level fields are preserved), but App Mesh does not use it"));
    assertThat(r.problems().get(0).source().toString()).isEqualTo("f.yaml");
  }

  @Test
  void multiDocumentStreamsNameTheDocumentIndexAndKeepTheOthers() {
    String text = "---\n" + VN + "---\n# only a comment\n---\nkind: [broken\n---\n" + VN.replace("name: a", "name: b");
    LoadResult r = loader.loadText("-", text);
    assertThat(r.objects()).extracting(o -> o.ref().name()).containsExactly("a", "b");
    assertThat(r.objects().get(1).source().toString()).isEqualTo("- document 4");
    Problem syntax = r.problems().stream().filter(Problem::isError).findFirst().orElseThrow();
    assertThat(syntax.source().toString()).isEqualTo("- document 3");
    assertThat(syntax.reason()).isEqualTo(Reason.MalformedInput);
  }

  @Test
  void wrongTypesNameTheFieldPath() {
    LoadResult r = loader.loadText("f.yaml", VN.replace("port: 8080", "port: [8080]"));
    assertThat(r.objects()).isEmpty();
    assertThat(r.problems()).filteredOn(Problem::isError).extracting(Problem::object, Problem::field, Problem::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(
            new ObjectRef("VirtualNode", "demo", "a"), "spec.listeners[0].portMapping.port", "expected an integer"));
  }

  @Test
  void duplicateKeysAreErrors() {
    LoadResult r = loader.loadText("f.yaml", "apiVersion: v1\nkind: Namespace\nkind: Namespace\nmetadata: {name: x}\n");
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).message()).isEqualTo("not valid YAML/JSON: Duplicate Object property \"kind\" (line 3)");
  }

  @Test
  void listsJsonAndOtherKinds() {
    String list = """
        apiVersion: v1
        kind: List
        items:
          - {apiVersion: v1, kind: Namespace, metadata: {name: demo, labels: {mesh: m}}}
          - {apiVersion: apps/v1, kind: Deployment, metadata: {name: d, namespace: demo}}
          - {apiVersion: v1, kind: Service, metadata: {name: s, namespace: demo}, spec: {ports: [{name: http, port: 80, targetPort: 8080}]}}
          - apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: s-1, namespace: demo, labels: {kubernetes.io/service-name: s}}
            addressType: IPv4
            endpoints: [{addresses: [10.0.0.1], conditions: {ready: true}}, {addresses: [10.0.0.2], conditions: {ready: false}}]
            ports: [{name: http, port: 8080, protocol: TCP}]
        """;
    MeshResources res = MeshResources.of(loader.loadText("l.yaml", list));
    assertThat(res.namespaces()).containsOnlyKeys("demo");
    assertThat(res.services()).containsOnlyKeys(new ObjectRef("Service", "demo", "s"));
    assertThat(res.services().values().iterator().next().ports().get(0).targetPort()).isEqualTo(8080);
    EndpointSlice slice = res.endpointSlices().values().iterator().next();
    assertThat(slice.serviceName()).isEqualTo("s");
    assertThat(slice.endpoints()).extracting(EndpointSlice.Endpoint::isReady).containsExactly(true, false);
    LoadResult json = loader.loadText("j.json", "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\"}},"
        + "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"y\"}}]");
    assertThat(json.objects()).extracting(o -> o.source().toString()).containsExactly("j.json document 1", "j.json document 2");
  }

  @Test
  void directoriesAreReadRecursivelyInPathOrder(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("b/c"));
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("b/c/z.yml"), VN);
    Files.writeString(dir.resolve("a.json"), "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"demo\"}}");
    Files.writeString(dir.resolve("notes.txt"), "kind: [not read");
    Files.writeString(dir.resolve(".git/x.yaml"), "kind: [not read");
    LoadResult r = ManifestFiles.load(loader, List.of(dir));
    assertThat(r.problems()).filteredOn(Problem::isError).isEmpty();
    assertThat(r.objects()).extracting(o -> o.ref().kind()).containsExactly("Namespace", "VirtualNode");
    assertThat(((VirtualNode) r.objects().get(1).object()).spec().listeners()).hasSize(1);
    assertThat(ManifestFiles.load(loader, List.of(dir.resolve("missing"))).ioErrors()).hasSize(1);
  }

  @Test
  void aRedeclaredObjectKeepsTheLastCopyWithAWarningNamingBothPlaces() {
    // A walkthrough's later step re-applies the Namespace with one more label: kubectl keeps the last copy.
    String ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo, labels: {mesh: m}}\n";
    String again = "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo, labels: {mesh: m, appmesh.k8s.aws/sidecarInjectorWebhook: enabled}}\n";
    MeshResources res = MeshResources.of(loader.loadText("f.yaml", ns + "---\n" + VN + "---\n" + again + "---\n" + VN.replace("8080", "9090")));
    assertThat(res.namespaces().get("demo").labels()).containsEntry("appmesh.k8s.aws/sidecarInjectorWebhook", "enabled");
    assertThat(res.objects()).hasSize(1);
    assertThat(res.objects().values().iterator().next().toString()).contains("9090");
    assertThat(res.sources().get(new ObjectRef("Namespace", null, "demo"))).hasToString("f.yaml document 3");
    assertThat(res.loadProblems()).noneMatch(Problem::isError);
    assertThat(res.loadProblems()).filteredOn(p -> p.message().startsWith("defined")).extracting(p -> p.source() + ": " + p.object() + ": " + p.severity() + ": " + p.message())
        .containsExactlyInAnyOrder(
            "f.yaml document 3: Namespace demo: WARNING: defined more than once (first at f.yaml document 1, last at f.yaml document 3); the last copy is"
                + " used, as kubectl apply does",
            "f.yaml document 4: VirtualNode demo/a: WARNING: defined more than once (first at f.yaml document 2, last at f.yaml document 4); the last copy"
                + " is used, as kubectl apply does");
  }

  @Test
  void namespaceDefaultsToDefaultAndMeshIsClusterScoped() {
    LoadResult r = loader.loadText("f.yaml", "apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualService\nmetadata: {name: s}\n---\n"
        + "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m, namespace: ignored}\n");
    assertThat(r.objects()).extracting(LoadedObject::ref).containsExactly(
        new ObjectRef("VirtualService", "default", "s"), new ObjectRef("Mesh", null, "m"));
  }

  static List<String> lines(LoadResult r) {
    return r.problems().stream().map(Problem::toLine).toList();
  }

  @Test
  void namesTheApiServerWouldRejectAreErrorsAndTheObjectIsNotUsed() {
    LoadResult r = loader.loadText("f.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: Demo}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: colorTeller, namespace: demo}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: color_teller.demo, namespace: demo}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: colorteller.demo.svc.cluster.local, namespace: my_ns}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: 1st, namespace: demo}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: colorteller.demo.svc.cluster.local, namespace: demo}
        """);
    assertThat(r.objects()).extracting(LoadedObject::ref)
        .containsExactly(new ObjectRef("VirtualService", "demo", "colorteller.demo.svc.cluster.local"));
    String label = "it must be a lowercase RFC 1123 label: lower case letters, digits and '-', starting and ending with a letter"
        + " or digit (the API server rejects it)";
    String subdomain = "it must be a lowercase RFC 1123 subdomain: lower case letters, digits, '-' and '.', starting and ending"
        + " with a letter or digit (the API server rejects it)";
    assertThat(lines(r)).containsExactly(
        "f.yaml document 1: Namespace Demo: metadata.name: \"Demo\" is not a valid name: " + label,
        "f.yaml document 2: VirtualNode demo/colorTeller: metadata.name: \"colorTeller\" is not a valid name: " + subdomain,
        "f.yaml document 3: VirtualService demo/color_teller.demo: metadata.name: \"color_teller.demo\" is not a valid name: " + subdomain,
        "f.yaml document 4: VirtualService my_ns/colorteller.demo.svc.cluster.local: metadata.namespace: \"my_ns\" is not a valid name: "
            + label,
        "f.yaml document 5: Service demo/1st: metadata.name: \"1st\" is not a valid name: it must be an RFC 1035 label: lower case"
            + " letters, digits and '-', starting with a letter and ending with a letter or digit (the API server rejects it)");
    assertThat(r.problems()).allMatch(p -> p.isError() && p.reason() == Reason.MalformedInput);
  }

  @Test
  void namesLongerThanTheLimitAreErrors() {
    String name = "a".repeat(64);
    LoadResult r = loader.loadText("f.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n---\n"
        + "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: " + name + "}\n");
    assertThat(r.objects()).extracting(LoadedObject::ref).containsExactly(new ObjectRef("Mesh", null, name));
    assertThat(lines(r)).containsExactly("f.yaml document 1: Namespace " + name + ": metadata.name: \"" + name
        + "\" is too long: at most 63 characters (got 64)");
  }

  @Test
  void leftoverTemplateVariablesAreErrorsNamingTheField() {
    LoadResult r = loader.loadText("-", """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata:
          name: ${MESH_NAME}
        spec:
          namespaceSelector:
            matchLabels:
              mesh: ${MESH_NAME}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: front, namespace: demo, labels: {app.kubernetes.io/name: front}}
        spec:
          serviceDiscovery: {dns: {hostname: "front.${APP_NAMESPACE}.svc.cluster.local"}}
          backends: [{virtualService: {virtualServiceARN: "arn:aws:appmesh:${AWS_REGION}:${AWS_ACCOUNT_ID}:mesh/m/virtualService/x"}}]
        ---
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: demo}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service: {port: 9898}
          analysis:
            webhooks: [{name: load, url: "http://tester/", metadata: {cmd: "hey -z 1m ${URL}"}}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ${APP}
        """);
    assertThat(r.objects()).isEmpty();
    assertThat(r.canaries()).extracting(c -> c.ref().name()).containsExactly("podinfo");
    assertThat(lines(r)).containsExactly(
        "- document 1: Mesh ${MESH_NAME}: metadata.name: unsubstituted template variable ${MESH_NAME}; substitute it first, e.g. with envsubst",
        "- document 1: Mesh ${MESH_NAME}: spec.namespaceSelector.matchLabels.mesh: unsubstituted template variable ${MESH_NAME}; substitute"
            + " it first, e.g. with envsubst",
        "- document 2: VirtualNode demo/front: spec.serviceDiscovery.dns.hostname: unsubstituted template variable ${APP_NAMESPACE};"
            + " substitute it first, e.g. with envsubst",
        "- document 2: VirtualNode demo/front: spec.backends[0].virtualService.virtualServiceARN: unsubstituted template variables"
            + " ${AWS_REGION}, ${AWS_ACCOUNT_ID}; substitute them first, e.g. with envsubst");
  }

  @Test
  void anObjectTheApiServerStoredIsTakenAsWrittenPlaceholderOrNot() {
    // A cluster's object with a literal ${VAR} was accepted by the API server and served by App Mesh.
    JsonNode doc = Json.YAML.readTree("apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\n"
        + "metadata: {name: front, namespace: demo}\nspec: {serviceDiscovery: {dns: {hostname: \"front.${NS}.svc\"}}}\n");
    LoadResult r = loader.loadDocument("kubernetes", doc);
    assertThat(r.problems()).isEmpty();
    assertThat(r.objects()).hasSize(1);
  }

  @Test
  void templateFilesInADirectoryAreCountedNotRead(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mesh.yaml.template"), "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata:\n  name: ${MESH}\n");
    Files.writeString(dir.resolve("app.yml.template"), "kind: Nope\n");
    Files.writeString(dir.resolve("notes.txt"), "x");
    LoadResult r = ManifestFiles.load(loader, List.of(dir));
    assertThat(r.problems()).isEmpty();
    assertThat(r.objects()).isEmpty();
    assertThat(r.read().files()).isZero();
    assertThat(r.read().templates()).containsExactly(dir.resolve("app.yml.template").toString(),
        dir.resolve("mesh.yaml.template").toString());
    // Named explicitly, a template is read like any file, and its variables are reported.
    assertThat(ManifestFiles.load(loader, List.of(dir.resolve("mesh.yaml.template"))).problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("unsubstituted template variable ${MESH}"));
  }

  @Test
  void readCountsWhatWasRead() {
    LoadResult r = loader.loadText("-", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\n# only a comment\n---\n"
        + "apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Service, metadata: {name: a}}, "
        + "{apiVersion: apps/v1, kind: Deployment, metadata: {name: b}}]\n");
    assertThat(r.read().documents()).isEqualTo(2);
    assertThat(r.read().kinds()).containsExactly(java.util.Map.entry("Deployment", 2), java.util.Map.entry("Service", 1));
    assertThat(r.read().meshDocuments()).isZero();
    assertThat(r.read().inputs()).containsExactly("-");
  }
}
