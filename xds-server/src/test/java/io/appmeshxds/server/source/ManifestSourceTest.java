package io.appmeshxds.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watched manifests: changes applied within a second, last good objects kept per file. */
class ManifestSourceTest {
  static final String VS = """
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualService
      metadata: {name: %s, namespace: demo}
      spec: {}
      """;
  static final ObjectRef A = new ObjectRef("VirtualService", "demo", "a");
  static final ObjectRef B = new ObjectRef("VirtualService", "demo", "b");

  @TempDir Path dir;

  static void await(BooleanSupplier c) throws InterruptedException {
    io.appmeshxds.server.testing.Await.until(c, 10_000);
  }

  @Test
  void appliesChangesAndKeepsTheLastGoodObjectsOfABrokenFile() throws Exception {
    Path f = dir.resolve("services.yaml");
    Files.writeString(f, VS.formatted("a") + "---\n" + VS.formatted("b"));
    ResourceStore store = new ResourceStore();
    try (ManifestSource source = new ManifestSource(List.of(dir), store, 50).start()) {
      assertThat(store.allSynced()).isTrue();
      assertThat(store.refs()).containsExactly(A, B);

      long t0 = System.nanoTime();
      Files.writeString(f, VS.formatted("a"));
      await(() -> store.refs().equals(List.of(A)));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println("a deletion in a watched file was applied after " + ms + " ms");

      // A syntax error: the file's last good objects stay, the error is reported.
      Files.writeString(f, VS.formatted("a") + "---\nkind: [unclosed\n");
      await(() -> !store.problems().isEmpty());
      assertThat(store.refs()).containsExactly(A);
      List<Problem> ps = store.problems().values().iterator().next();
      assertThat(ps).extracting(Problem::toLine).anySatisfy(l -> assertThat(l).contains("services.yaml document 2: not valid YAML"));

      // Broken so that nothing is readable: still the last good objects.
      Files.writeString(f, "kind: [unclosed\n");
      await(() -> store.problems().values().iterator().next().stream().anyMatch(p -> p.toLine().startsWith(f.toString())));
      assertThat(store.refs()).containsExactly(A);

      // Fixed: the problems clear and the file is taken as it is.
      Files.writeString(f, VS.formatted("b"));
      await(() -> store.refs().equals(List.of(B)) && store.problems().isEmpty());

      // A new file in a new sub-directory is picked up; a deleted file's objects go away.
      Files.createDirectories(dir.resolve("more"));
      Files.writeString(dir.resolve("more/a.yaml"), VS.formatted("a"));
      await(() -> store.refs().equals(List.of(A, B)));
      Files.delete(f);
      await(() -> store.refs().equals(List.of(A)));
    }
  }

  @Test
  void aRedeclaredObjectKeepsItsLastCopyWithOneWarning() throws Exception {
    String ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo, labels: {%s}}\n";
    // Step 1 declares the Namespace, step 2 re-declares it with one more label (and twice in one file).
    Files.writeString(dir.resolve("1-namespace.yaml"), ns.formatted("mesh: m"));
    Files.writeString(dir.resolve("2-inject.yaml"), ns.formatted("mesh: m, x: y") + "---\n" + ns.formatted("mesh: m, x: z"));
    ResourceStore store = new ResourceStore();
    try (ManifestSource source = new ManifestSource(List.of(dir), store, 50).start()) {
      var snap = store.snapshot();
      assertThat(snap.namespaces().get("demo").labels()).containsEntry("x", "z");
      assertThat(snap.loadProblems()).noneMatch(Problem::isError);
      assertThat(snap.loadProblems()).extracting(Problem::toLine).containsExactlyInAnyOrder(
          dir.resolve("2-inject.yaml") + " document 2: Namespace demo: metadata.name: warning: defined more than once (first at "
              + dir.resolve("2-inject.yaml") + " document 1, last at " + dir.resolve("2-inject.yaml") + " document 2); the last copy is used, as"
              + " kubectl apply does",
          dir.resolve("2-inject.yaml") + " document 2: Namespace demo: metadata.name: warning: defined more than once (first at "
              + dir.resolve("1-namespace.yaml") + ", last at " + dir.resolve("2-inject.yaml") + " document 2); the last copy is used, as"
              + " kubectl apply does");
      // The later file goes away: the first copy is served again, without a warning.
      Files.delete(dir.resolve("2-inject.yaml"));
      await(() -> store.snapshot().loadProblems().isEmpty());
      assertThat(store.snapshot().namespaces().get("demo").labels()).doesNotContainKey("x");
    }
  }

  static final String MESH = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: demo, labels: {mesh: appmesh}}
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: Mesh
      metadata: {name: appmesh}
      spec: {namespaceSelector: {matchLabels: {mesh: appmesh}}}
      """;
  static final String CANARY = """
      apiVersion: flagger.app/v1beta1
      kind: Canary
      metadata: {name: podinfo, namespace: demo}
      spec:
        provider: appmesh:v1beta2
        targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
        service: {port: 9898}
        analysis: {interval: 15s}
      """;
  static final ObjectRef APEX = new ObjectRef("VirtualRouter", "demo", "podinfo");

  @Test
  void objectsFlaggerCreatesAreServedUntilARealOneReplacesThemAndComeBackWhenItGoes() throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), MESH);
    Files.writeString(dir.resolve("canary.yaml"), CANARY);
    ResourceStore store = new ResourceStore();
    try (ManifestSource source = new ManifestSource(List.of(dir), store, 50).start()) {
      var snap = store.snapshot();
      assertThat(snap.objects().keySet()).extracting(ObjectRef::toString).containsExactlyInAnyOrder("Mesh appmesh",
          "VirtualNode demo/podinfo-canary", "VirtualNode demo/podinfo-primary", "VirtualRouter demo/podinfo",
          "VirtualRouter demo/podinfo-canary", "VirtualService demo/podinfo", "VirtualService demo/podinfo-canary");
      assertThat(snap.sources().get(APEX)).hasToString(dir.resolve("canary.yaml") + " (created by Flagger from Canary demo/podinfo)");
      assertThat(snap.loadProblems()).isEmpty();

      // Flagger moved the weights and the cluster's router was exported to a file: the real one wins.
      String router = """
          apiVersion: appmesh.k8s.aws/v1beta2
          kind: VirtualRouter
          metadata: {name: podinfo, namespace: demo}
          spec:
            listeners: [{portMapping: {port: 9898, protocol: http}}]
            routes:
              - name: podinfo
                httpRoute:
                  match: {prefix: /}
                  action: {weightedTargets: [{virtualNodeRef: {name: podinfo-canary}, weight: 10},
                                             {virtualNodeRef: {name: podinfo-primary}, weight: 90}]}
          """;
      Files.writeString(dir.resolve("router.yaml"), router);
      await(() -> !store.snapshot().sources().get(APEX).derived());
      assertThat(store.snapshot().objects().get(APEX).toString()).contains("weight=90");
      assertThat(store.snapshot().loadProblems()).isEmpty();

      // The real router is deleted while the Canary remains: the derived one is served again.
      Files.delete(dir.resolve("router.yaml"));
      await(() -> store.snapshot().sources().get(APEX).derived());
      assertThat(store.snapshot().objects().get(APEX).toString()).contains("weight=0").doesNotContain("weight=90");

      // The Canary goes: so do the objects Flagger created from it.
      Files.delete(dir.resolve("canary.yaml"));
      await(() -> !store.snapshot().objects().containsKey(APEX));
      assertThat(store.snapshot().objects().keySet()).extracting(ObjectRef::toString).containsExactly("Mesh appmesh");
    }
  }
}
