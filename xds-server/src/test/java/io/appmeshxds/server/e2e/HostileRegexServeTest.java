package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.Flagger;
import io.appmeshxds.translator.input.Problem;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: one 41-character regex took the control plane down (RE2J ran out of memory compiling
 * it). Here it arrives in a watched file next to the podinfo mesh, with a 200 KB regex: the router
 * holding them is rejected with a message naming the object and the field, the control plane stays
 * ready, the heap does not grow beyond a stated margin, and a weight change still reaches the
 * client within its budget.
 */
class HostileRegexServeTest {
  static final String NESTED = "((((a{1,1000}){1,1000}){1,1000}){1,1000})";
  /** Heap growth allowed after the hostile file, measured after a GC (compiling NESTED took GBs). */
  static final long HEAP_MARGIN = 64L << 20;
  static final long CHANGE_BUDGET_MS = 15_000;

  @TempDir Path dir;

  static String hostileRouter(String name, String regex) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata: {name: %s, namespace: demo}
        spec:
          listeners: [{portMapping: {port: 9898, protocol: http}}]
          routes:
            - name: r
              httpRoute:
                match:
                  prefix: /
                  headers: [{name: x-evil, match: {regex: "%s"}}]
                action: {weightedTargets: [{virtualNodeRef: {name: podinfo-primary}, weight: 1}]}
        """.formatted(name, regex);
  }

  @Test
  void theIssueRegexAndA200KilobyteRegexAreRejectedPerObjectWhileServingGoesOn() throws Exception {
    try (RunningMesh mesh = new RunningMesh(dir)) {
      mesh.awaitRoute(Map.of(), "primary");
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      long builds = mesh.cp.reconciler().builds();
      mesh.files.write("hostile.yaml", hostileRouter("evil", NESTED) + "---\n" + hostileRouter("evil-long", "a".repeat(200 * 1024)));
      RunningMesh.await(() -> mesh.cp.reconciler().builds() > builds && problems(mesh).size() >= 2, 20_000);
      List<String> lines = problems(mesh);
      lines.forEach(System.out::println);
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("VirtualRouter demo/evil:")
          .contains("spec.routes[0].httpRoute.match.headers[0].match.regex").contains("invalid repetition size"));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("VirtualRouter demo/evil-long:")
          .contains("spec.routes[0].httpRoute.match.headers[0].match.regex").contains("longer than 4096 characters"));
      assertThat(lines).allSatisfy(l -> assertThat(l.length()).as("a status line, not the pattern").isLessThan(1_000));
      assertThat(mesh.cp.reconciler().ready()).isTrue();
      // The rest keeps working: a weight change reaches the client.
      mesh.files.router(Flagger.weights(100));
      long ms = mesh.awaitRoute(Map.of(), "canary");
      System.gc();
      long grown = memory.getHeapMemoryUsage().getUsed() - heapBefore;
      System.out.printf("hostile regex in serve: weight change arrived in %d ms (budget %d), heap grew %.1f MB (margin %d MB), "
          + "ready %s%n", ms, CHANGE_BUDGET_MS, grown / 1e6, HEAP_MARGIN >> 20, mesh.cp.reconciler().ready());
      assertThat(ms).isLessThan(CHANGE_BUDGET_MS);
      assertThat(grown).isLessThan(HEAP_MARGIN);
      assertThat(mesh.cp.reconciler().ready()).isTrue();
    }
  }

  @Test
  void aRestartWithTheHostileFilePresentTurnsReadyAndServes() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("hostile.yaml"), hostileRouter("evil", NESTED));
    long t0 = System.nanoTime();
    try (RunningMesh mesh = new RunningMesh(dir)) { // waits for ready (20 s at most)
      long started = (System.nanoTime() - t0) / 1_000_000;
      long ms = mesh.awaitRoute(Map.of(), "primary");
      System.out.printf("hostile regex at start: ready %d ms after start (class loading included), routing %d ms later%n",
          started, ms);
      assertThat(mesh.cp.reconciler().ready()).isTrue();
      assertThat(problems(mesh)).anySatisfy(l -> assertThat(l).contains("VirtualRouter demo/evil:"));
    }
  }

  /**
   * The apex router's file is overwritten in place with binary junk, a 50 MB file and an alias
   * bomb: the last good router stays served throughout, and a good version's new weights arrive
   * within their budget. (A slow in-place rewrite is driven by a fake clock in {@code
   * ManifestSourceUntrustedTest}.)
   */
  @Test
  void badRewritesOfAServedFileKeepItsLastGoodVersion() throws Exception {
    try (RunningMesh mesh = new RunningMesh(dir)) {
      mesh.files.router(Flagger.weights(0));
      mesh.awaitRoute(Map.of(), "primary");
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      Path router = dir.resolve("router.yaml");
      String good = java.nio.file.Files.readString(router);
      byte[] junk = new byte[1 << 20];
      new java.util.Random(5).nextBytes(junk);
      java.nio.file.Files.write(router, junk);
      awaitProblem(mesh, "binary data, not a manifest");
      try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(router.toFile(), "rw")) {
        raf.setLength(50L << 20);
      }
      awaitProblem(mesh, "the limit for one manifest file");
      // An alias bomb in the router itself (9^6 if expanded): read as one unknown field, a warning.
      StringBuilder bomb = new StringBuilder(good).append("  x-bomb:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
      for (int i = 1; i <= 6; i++) {
        bomb.append("    a").append(i).append(": &a").append(i).append(" [")
            .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
      }
      java.nio.file.Files.writeString(router, bomb);
      awaitProblem(mesh, "x-bomb");
      mesh.files.router(Flagger.weights(100));
      long ms = mesh.awaitRoute(Map.of(), "canary");
      System.gc();
      long grown = memory.getHeapMemoryUsage().getUsed() - heapBefore;
      System.out.printf("bad rewrites in serve: new weights arrived %d ms after a good version was written (budget %d), heap grew "
          + "%.1f MB (margin %d MB), ready %s%n", ms, CHANGE_BUDGET_MS, grown / 1e6, HEAP_MARGIN >> 20,
          mesh.cp.reconciler().ready());
      assertThat(ms).isLessThan(CHANGE_BUDGET_MS);
      assertThat(grown).isLessThan(HEAP_MARGIN);
      assertThat(mesh.cp.reconciler().ready()).isTrue();
    }
  }

  private static void awaitProblem(RunningMesh mesh, String text) throws InterruptedException {
    RunningMesh.await(() -> mesh.cp.store().problems().values().stream().flatMap(List::stream)
        .anyMatch(p -> p.toLine().contains(text)), 10_000);
    for (int i = 0; i < 5; i++) {
      assertThat(mesh.apex.call(Map.of(), 5_000)).as("the last good router after: " + text).isEqualTo("primary");
    }
  }

  private static List<String> problems(RunningMesh mesh) {
    return mesh.cp.reconciler().lastBuild() == null ? List.of()
        : mesh.cp.reconciler().lastBuild().status().allProblems().stream().filter(Problem::isError)
            .map(Problem::toLine).toList();
  }
}
