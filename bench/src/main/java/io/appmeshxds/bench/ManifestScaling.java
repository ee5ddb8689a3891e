package io.appmeshxds.bench;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.model.ManifestValidation;
import io.appmeshxds.translator.input.Problem;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/bench manifests [MB…] [--results DIR]}: what {@code validate} costs as the input grows
 * (default 1, 2, 4, 8 and 16 MB of generated App Mesh manifests, one file each), split into reading
 * (bytes, YAML, conversion) and validation (model build), in CPU time and allocation of the calling
 * thread, with the cost per byte and the growth against the previous size (2.0 per doubling is
 * linear). Ends with the cost of refusing a 50 MB file. Prints a markdown table; with {@code
 * --results}, also writes it to {@code DIR/manifests-<date>.md}.
 */
public final class ManifestScaling {
  private ManifestScaling() {}

  /** One measured step. */
  private record Cost(long cpuNanos, long allocated, long wallNanos) {}

  private interface Step<T> {
    T run() throws Exception;
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static <T> T measure(Step<T> step, Cost[] out) throws Exception {
    long id = Thread.currentThread().getId();
    long cpu = THREADS.getCurrentThreadCpuTime();
    long alloc = THREADS.getThreadAllocatedBytes(id);
    long wall = System.nanoTime();
    T t = step.run();
    out[0] = new Cost(THREADS.getCurrentThreadCpuTime() - cpu, THREADS.getThreadAllocatedBytes(id) - alloc,
        System.nanoTime() - wall);
    return t;
  }

  /** About {@code bytes} of manifests: a Namespace, a Mesh and VirtualNode/VirtualService/VirtualRouter triples. */
  static String mesh(long bytes) {
    StringBuilder b = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: demo, labels: {mesh: m}}\n---\n"
        + "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m}\nspec: {namespaceSelector: {matchLabels: {mesh: m}}}\n");
    int services = (int) Math.max(1, bytes / 876);
    for (int i = 0; i < services; i++) {
      int next = (i + 1) % services;
      b.append("---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: svc").append(i)
          .append(", namespace: demo}\nspec:\n  podSelector: {matchLabels: {app: svc").append(i)
          .append("}}\n  listeners: [{portMapping: {port: 8080, protocol: http}}]\n  serviceDiscovery: {dns: {hostname: svc")
          .append(i).append(".demo.svc.cluster.local}}\n  backends: [{virtualService: {virtualServiceRef: {name: svc")
          .append(next).append("}}}]\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualService\n")
          .append("metadata: {name: svc").append(i).append(", namespace: demo}\nspec:\n  awsName: svc").append(i)
          .append(".demo.svc.cluster.local\n  provider: {virtualRouter: {virtualRouterRef: {name: svc").append(i)
          .append("}}}\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualRouter\nmetadata: {name: svc").append(i)
          .append(", namespace: demo}\nspec:\n  listeners: [{portMapping: {port: 8080, protocol: http}}]\n  routes:\n")
          .append("  - name: r\n    httpRoute:\n      match: {prefix: /}\n      action: {weightedTargets: [{virtualNodeRef: {name: svc")
          .append(i).append("}, weight: 1}]}\n");
    }
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    Path results = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--results")) {
        results = Path.of(args[++i]);
      } else {
        sizes.add(Integer.parseInt(args[i]));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1, 2, 4, 8, 16);
    }
    Path dir = Files.createTempDirectory("manifest-scaling");
    ManifestLoader loader = new ManifestLoader();
    var builder = Pipelines.standard().modelBuilder();
    // Warm-up: class loading and JIT are not the input's cost.
    Path warm = Files.writeString(dir.resolve("warm.yaml"), mesh(1 << 20));
    for (int i = 0; i < 2; i++) {
      ManifestValidation.problems(ManifestFiles.load(loader, List.of(warm)), builder);
    }
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "# validate: cost by input size (%s, %d cores, Java %s, git %s)%n%n",
        LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getenv().getOrDefault("BENCH_GIT", "unknown")));
    table.append("| input | objects | read CPU | read alloc | validate CPU | validate alloc | total CPU | ns/byte | growth |\n");
    table.append("|---|---|---|---|---|---|---|---|---|\n");
    double previous = 0;
    for (int mb : sizes) {
      Path f = Files.writeString(dir.resolve("mesh-" + mb + ".yaml"), mesh((long) mb << 20));
      long bytes = Files.size(f);
      System.gc();
      Cost[] read = new Cost[1];
      Cost[] validate = new Cost[1];
      LoadResult load = measure(() -> ManifestFiles.load(loader, List.of(f)), read);
      List<Problem> problems = measure(() -> ManifestValidation.problems(load, builder), validate);
      if (!load.ioErrors().isEmpty() || problems.stream().anyMatch(Problem::isError)) {
        throw new IllegalStateException("generated input has errors: " + load.ioErrors() + " "
            + problems.stream().filter(Problem::isError).limit(3).toList());
      }
      double total = read[0].cpuNanos() + validate[0].cpuNanos();
      table.append(String.format(Locale.ROOT, "| %.1f MB | %,d | %,d ms | %,d MB | %,d ms | %,d MB | %,d ms | %.0f | %s |%n",
          bytes / 1e6, load.objects().size(), read[0].cpuNanos() / 1_000_000, read[0].allocated() >> 20,
          validate[0].cpuNanos() / 1_000_000, validate[0].allocated() >> 20, (long) total / 1_000_000, total / bytes,
          previous == 0 ? "" : String.format(Locale.ROOT, "%.2f", total / previous)));
      previous = total;
      Files.delete(f);
    }
    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
      raf.setLength(50L << 20);
    }
    Cost[] refused = new Cost[1];
    LoadResult r = measure(() -> ManifestFiles.load(loader, List.of(huge)), refused);
    table.append(String.format(Locale.ROOT, "%n50 MB file: refused in %.1f ms CPU, %.1f MB allocated: `%s`%n",
        refused[0].cpuNanos() / 1e6, refused[0].allocated() / 1e6, r.ioErrors().get(0).replace(dir.toString(), "$TMP")));
    table.append("\nGrowth is total CPU against the previous row: 2.0 when the input doubles is linear.\n");
    Files.delete(huge);
    Files.delete(warm);
    Files.delete(dir);
    System.out.print(table);
    if (results != null) {
      Files.createDirectories(results);
      Path out = results.resolve("manifests-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd")) + ".md");
      Files.writeString(out, table.toString());
      System.out.println("written to " + out);
    }
  }
}
