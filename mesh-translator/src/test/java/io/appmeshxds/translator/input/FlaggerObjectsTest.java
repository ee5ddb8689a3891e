package io.appmeshxds.translator.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The App Mesh objects Flagger's appmesh:v1beta2 router creates at initialization, derived from
 * the Canary, equal the hand-written phase fixtures object by object (as records, not as text).
 */
class FlaggerObjectsTest {
  static final Path EXAMPLE_CANARY = Path.of("..", "deploy", "examples", "podinfo", "canary.yaml");
  static final String ENV = TestManifests.resource("flagger/environment.yaml");
  final ManifestLoader loader = new ManifestLoader();

  static String canary(String spec) {
    return "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: podinfo, namespace: demo}\nspec:\n" + spec;
  }

  static final String SPEC = """
        provider: appmesh:v1beta2
        targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
        service: {port: 9898}
        analysis: {interval: 15s}
      """;

  /** Objects of a fixture by ref, in document order. */
  Map<ObjectRef, MeshObject> fixture(String name) {
    Map<ObjectRef, MeshObject> out = new LinkedHashMap<>();
    LoadResult r = loader.loadText(name, TestManifests.resource(name));
    assertThat(r.problems()).isEmpty();
    r.objects().forEach(o -> out.put(o.ref(), (MeshObject) o.object()));
    return out;
  }

  static Map<ObjectRef, MeshObject> byRef(FlaggerObjects.Derived d) {
    Map<ObjectRef, MeshObject> out = new LinkedHashMap<>();
    d.objects().forEach(o -> out.put(o.ref(), (MeshObject) o.object()));
    return out;
  }

  FlaggerObjects.Derived derive(String text) {
    return FlaggerObjects.derive(loader.loadText("canary.yaml", text));
  }

  @Test
  void theExampleCanaryGivesExactlyTheObjectsOfInitYaml() throws Exception {
    LoadResult load = loader.loadText("canary.yaml", Files.readString(EXAMPLE_CANARY));
    FlaggerObjects.Derived d = FlaggerObjects.derive(load);
    assertThat(d.problems()).isEmpty();
    Map<ObjectRef, MeshObject> expected = fixture("flagger/init.yaml");
    // Same objects, same content, in Flagger's creation order.
    assertThat(byRef(d)).containsExactlyEntriesOf(expected);
    assertThat(d.objects()).allSatisfy(o -> assertThat(o.source()).hasToString(
        "canary.yaml (created by Flagger from Canary demo/podinfo)"));
  }

  @Test
  void theAbTestingCanaryGivesExactlyTheObjectsOfAbTestingInitYaml() {
    FlaggerObjects.Derived d = derive(TestManifests.resource("flagger/canary-abtest.yaml"));
    assertThat(d.problems()).isEmpty();
    assertThat(byRef(d)).containsExactlyEntriesOf(fixture("flagger/ab-testing-init.yaml"));
  }

  @Test
  void everyFieldFlaggerReadsReachesTheObjects() {
    FlaggerObjects.Derived d = derive("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: backend, namespace: demo}
        spec: {selector: {matchLabels: {app.kubernetes.io/name: backend, tier: api}}}
        ---
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: backend
          namespace: demo
          annotations: {appmesh.flagger.app/accesslog: enabled}
        spec:
          provider: appmesh:v1beta2
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: backend}
          service:
            name: api
            port: 80
            targetPort: 9000
            portName: grpc-api
            timeout: 1m30s
            hosts: ["*"]
            backends: [db, "arn:aws:appmesh:us-west-2:111122223333:mesh/appmesh/virtualService/billing.demo"]
            apex: {labels: {team: payments}, annotations: {owner: alice}}
            retries: {attempts: 0}
            match: [{uri: {prefix: /api}}]
          analysis: {interval: 15s}
        """);
    assertThat(d.problems()).extracting(Problem::field, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("spec.service.retries.perTryTimeout", "not set: Flagger uses 250 ms"));
    Map<ObjectRef, MeshObject> objects = byRef(d);
    assertThat(objects.keySet()).extracting(ObjectRef::toString).containsExactly("VirtualNode demo/api-primary",
        "VirtualNode demo/api-canary", "VirtualRouter demo/api", "VirtualService demo/api", "VirtualRouter demo/api-canary",
        "VirtualService demo/api-canary");
    VirtualNode primary = (VirtualNode) objects.get(new ObjectRef("VirtualNode", "demo", "api-primary"));
    VirtualNode canary = (VirtualNode) objects.get(new ObjectRef("VirtualNode", "demo", "api-canary"));
    // The pod selector key is the Deployment's; the values come from targetRef.name.
    assertThat(primary.spec().podSelector().matchLabels()).containsExactly(Map.entry("app.kubernetes.io/name", "backend-primary"));
    assertThat(canary.spec().podSelector().matchLabels()).containsExactly(Map.entry("app.kubernetes.io/name", "backend"));
    var listener = primary.spec().listeners().get(0);
    assertThat(listener.portMapping().port()).isEqualTo(9000);
    assertThat(listener.portMapping().protocol().name()).isEqualTo("grpc");
    assertThat(listener.timeout().http().perRequest().toMillis()).isEqualTo(90_000);
    assertThat(primary.spec().serviceDiscovery().dns().hostname()).isEqualTo("api-primary.demo.svc.cluster.local.");
    assertThat(primary.spec().backends()).extracting(b -> b.virtualService().virtualServiceRef() == null
        ? b.virtualService().virtualServiceARN() : b.virtualService().virtualServiceRef().name())
        .containsExactly("db", "arn:aws:appmesh:us-west-2:111122223333:mesh/appmesh/virtualService/billing.demo");
    assertThat(primary.spec().logging().accessLog().file().path()).isEqualTo("/dev/stdout");
    assertThat(primary.metadata().labels()).containsExactly(Map.entry("team", "payments"));
    assertThat(primary.metadata().annotations()).containsOnly(Map.entry("owner", "alice"),
        Map.entry("kustomize.toolkit.fluxcd.io/reconcile", "disabled"), Map.entry("helm.toolkit.fluxcd.io/driftDetection", "disabled"));
    VirtualRouter apex = (VirtualRouter) objects.get(new ObjectRef("VirtualRouter", "demo", "api"));
    var route = apex.spec().routes().get(0);
    assertThat(route.name()).isEqualTo("api");
    assertThat(route.httpRoute().match().prefix()).isEqualTo("/api");
    assertThat(route.httpRoute().retryPolicy().maxRetries()).isEqualTo(1);
    assertThat(route.httpRoute().retryPolicy().perRetryTimeout().toMillis()).isEqualTo(250);
    assertThat(route.httpRoute().retryPolicy().httpRetryEvents()).extracting(Enum::name).containsExactly("GATEWAY_ERROR");
    assertThat(apex.spec().listeners().get(0).portMapping().port()).isEqualTo(9000);
    VirtualService apexService = (VirtualService) objects.get(new ObjectRef("VirtualService", "demo", "api"));
    assertThat(apexService.metadata().annotations()).containsOnly(Map.entry("gateway.appmesh.k8s.aws/expose", "true"),
        Map.entry("gateway.appmesh.k8s.aws/domain", "*,"), Map.entry("gateway.appmesh.k8s.aws/timeout", "1m30s"));
    VirtualService canaryService = (VirtualService) objects.get(new ObjectRef("VirtualService", "demo", "api-canary"));
    assertThat(canaryService.metadata().annotations()).isEmpty();
  }

  @Test
  void aRetryEventTheCrdRejectsStopsFlaggerAtTheRouter() {
    FlaggerObjects.Derived d = derive(canary(SPEC.replace("service: {port: 9898}",
        "service: {port: 9898, retries: {attempts: 2, perTryTimeout: 1s, retryOn: \"gateway-error, connect-failure\"}}")));
    assertThat(byRef(d).keySet()).extracting(ObjectRef::name).containsExactly("podinfo-primary", "podinfo-canary");
    assertThat(d.problems()).extracting(Problem::toLine).containsExactly(
        "canary.yaml (created by Flagger from Canary demo/podinfo): VirtualRouter demo/podinfo:"
            + " spec.routes[0].httpRoute.retryPolicy.httpRetryEvents[1]: unsupported value \"connect-failure\"; supported values:"
            + " server-error, gateway-error, client-error, stream-error",
        "canary.yaml: Canary demo/podinfo: warning: the API server rejects VirtualRouter podinfo as Flagger writes it from this"
            + " Canary, and Flagger stops there: VirtualService podinfo, VirtualRouter podinfo-canary, VirtualService"
            + " podinfo-canary are not created");
  }

  @Test
  void aSpaceAfterACommaInRetryOnBreaksTheRouterAsTheApiServerSeesIt() {
    // Flagger splits retryOn on "," without trimming; the CRD's enum then refuses " client-error".
    FlaggerObjects.Derived d = derive(canary(SPEC.replace("service: {port: 9898}",
        "service: {port: 9898, retries: {attempts: 2, perTryTimeout: 1s, retryOn: \"gateway-error, client-error\"}}")));
    assertThat(d.objects()).hasSize(2);
    assertThat(d.problems()).first().satisfies(p -> assertThat(p.toLine()).isEqualTo(
        "canary.yaml (created by Flagger from Canary demo/podinfo): VirtualRouter demo/podinfo:"
            + " spec.routes[0].httpRoute.retryPolicy.httpRetryEvents[1]: unsupported value \" client-error\": App Mesh's CRD"
            + " takes the value as written, without the spaces around it"));
  }

  @Test
  void aSecondCanaryWithTheSameApexIsAnErrorOnTheSecond() {
    String first = canary(SPEC);
    String second = canary(SPEC.replace("name: podinfo}", "name: podinfo-v2}").replace("service: {port: 9898}",
        "service: {port: 9898, name: podinfo}")).replace("name: podinfo, namespace", "name: podinfo-v2, namespace");
    FlaggerObjects.Derived d = derive(first + "---\n" + second);
    assertThat(d.objects()).hasSize(6).allSatisfy(o -> assertThat(o.source().derivedFrom().name()).isEqualTo("podinfo"));
    assertThat(d.problems()).singleElement().satisfies(p -> {
      assertThat(p.object()).isEqualTo(new ObjectRef("Canary", "demo", "podinfo-v2"));
      assertThat(p.severity()).isEqualTo(Severity.ERROR);
      assertThat(p.field()).isEqualTo("spec.service.name");
      assertThat(p.message()).isEqualTo("Flagger would create VirtualNode demo/podinfo-primary for this Canary, but Canary"
          + " demo/podinfo (canary.yaml document 1) creates it already: two Canaries with the same apex name \"podinfo\" fight over"
          + " its objects");
    });
  }

  @Test
  void withoutAProviderTheGlobalAppMeshProviderIsAssumedOnlyInAMeshNamespace() {
    String noProvider = canary(SPEC.replace("  provider: appmesh:v1beta2\n", ""));
    String inMesh = "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo, labels: {mesh: m}}\n---\n"
        + "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m}\nspec: {namespaceSelector: {matchLabels: {mesh: m}}}\n---\n";
    FlaggerObjects.Derived d = derive(inMesh + noProvider);
    assertThat(d.objects()).hasSize(6);
    assertThat(d.problems()).singleElement().satisfies(p -> {
      assertThat(p.severity()).isEqualTo(Severity.WARNING);
      assertThat(p.toLine()).isEqualTo("canary.yaml document 3: Canary demo/podinfo: spec.provider: warning: not set: assumed Flagger's"
          + " global mesh provider appmesh:v1beta2, as namespace demo is in mesh m; the App Mesh objects Flagger creates from"
          + " this Canary are derived");
    });
    FlaggerObjects.Derived outside = derive(inMesh.replace("labels: {mesh: m}", "labels: {mesh: other}") + noProvider);
    assertThat(outside.objects()).isEmpty();
    assertThat(outside.problems()).isEmpty();
  }

  @Test
  void otherProvidersAndUnservedVersionsDeriveNothing() {
    assertThat(derive(canary(SPEC.replace("appmesh:v1beta2", "istio"))).objects()).isEmpty();
    assertThat(derive(canary(SPEC).replace("flagger.app/v1beta1", "flagger.app/v1beta2")).objects()).isEmpty();
    // The v1beta1 router: still derived (CanaryRules warns that Flagger writes v1beta1 objects).
    assertThat(derive(canary(SPEC.replace("appmesh:v1beta2", "appmesh"))).objects()).hasSize(6);
  }

  @Test
  void aCanaryFlaggerCannotInitializeDerivesNothingAndSaysWhy() {
    FlaggerObjects.Derived noTarget = derive(canary("  provider: appmesh:v1beta2\n  service: {port: \"http\"}\n"));
    assertThat(noTarget.objects()).isEmpty();
    assertThat(noTarget.problems()).extracting(Problem::field, Problem::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("spec.service.port", Reason.MalformedInput),
        org.assertj.core.groups.Tuple.tuple("spec.targetRef.name", Reason.MalformedInput),
        org.assertj.core.groups.Tuple.tuple("spec.service.port", Reason.InvalidSpec));
    FlaggerObjects.Derived noLabel = derive("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: podinfo, namespace: demo}\n"
        + "spec: {selector: {matchLabels: {component: podinfo}}}\n---\n" + canary(SPEC));
    assertThat(noLabel.objects()).isEmpty();
    assertThat(noLabel.problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo(
        "deployment podinfo.demo spec.selector.matchLabels must contain one of [app, name, app.kubernetes.io/name] (Flagger"
            + " stops here: no App Mesh object is created)"));
  }

  @Test
  void realObjectsWinSilentlyAndDerivedOnesFillTheGaps() {
    // The environment, the primary VirtualNode as the cluster holds it (an extra label), and the Canary.
    String realPrimary = """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: podinfo-primary, namespace: demo, labels: {from: cluster}}
        spec:
          podSelector: {matchLabels: {app: podinfo-primary}}
          listeners: [{portMapping: {port: 9898, protocol: http}}]
          serviceDiscovery: {dns: {hostname: podinfo-primary.demo.svc.cluster.local.}}
        """;
    LoadResult load = loader.loadText("all.yaml", ENV + "\n---\n" + realPrimary + "---\n" + canary(SPEC));
    MeshResources res = MeshResources.of(load);
    ObjectRef primary = new ObjectRef("VirtualNode", "demo", "podinfo-primary");
    assertThat(res.objects().get(primary).metadata().labels()).containsEntry("from", "cluster");
    assertThat(res.sources().get(primary).derived()).isFalse();
    ObjectRef router = new ObjectRef("VirtualRouter", "demo", "podinfo");
    assertThat(res.objects()).containsKey(router);
    assertThat(res.sources().get(router)).hasToString("all.yaml document 18 (created by Flagger from Canary demo/podinfo)");
    assertThat(res.loadProblems()).isEmpty();
  }
}
