package io.appmeshxds.bench;

import io.appmeshxds.bench.jmh.JmhSuite;
import io.appmeshxds.bench.load.LoadDriver;
import io.appmeshxds.bench.load.LoadResult;
import io.appmeshxds.bench.load.LoadSettings;
import io.appmeshxds.bench.report.Machine;
import io.appmeshxds.bench.report.RegressionGuard;
import io.appmeshxds.bench.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/bench}'s entry point.
 *
 * <pre>
 * quick | full [--option value …]   JMH (T1, T3, serialization) and the load run; one table
 * probe [M1k|M10k] [changes]         rough translation timings, no JMH
 * abuse [--profile --streams --clients --changes]  issue 17's xDS abuse against the default limits (one process)
 * manifests [MB…]                    validate's cost by input size (1, 2, 4, 8, 16 MB), per byte
 * jmh [JMH arguments]                JMH's own command line
 * </pre>
 *
 * Options (defaults depend on the mode): --profile, --clients, --streams, --changes, --warmup, --typical,
 * --budget-s, --ack-delay-ms, --idle-s, --connects, --timeout-s, --server-jvm, --client-jvm,
 * --jmh-forks, --results, --skip-jmh, --skip-load, --jfr (a JFR profile of the server process, in the logs),
 * --churn-s (T16's window, 0: none), --slice-rate, --weight-rate (T16's changes per second),
 * --skip-baseline (no java-control-plane baseline run), --baseline-serializer default|cached.
 *
 * <p>The load run runs twice, the same phases with the same clients: against our control plane,
 * then against the java-control-plane baseline ({@link io.appmeshxds.bench.load.BaselineServer});
 * every load row shows both and the ratio. After the table, the run is compared row by row with the
 * last committed result of the same mode ({@link RegressionGuard}).
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "help" : args[0];
    switch (mode) {
      case "quick", "full" -> System.exit(run(mode, options(args)));
      case "probe" -> TranslationProbe.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      case "abuse" -> {
        Map<String, String> o = options(args);
        System.exit(io.appmeshxds.bench.load.AbuseRun.run(MeshGenerator.Profile.of(o.getOrDefault("profile", "M1k")),
            Integer.parseInt(o.getOrDefault("streams", "2000")), Integer.parseInt(o.getOrDefault("clients", "20")),
            Integer.parseInt(o.getOrDefault("changes", "10"))));
      }
      case "manifests" -> ManifestScaling.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      case "jmh" -> org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      default -> {
        System.err.println("usage: bin/bench quick|full [--clients N --streams N --changes K --skip-jmh --skip-load …] | abuse [--streams N --clients N --changes K] | probe [M1k|M10k] | manifests [MB…] | jmh [args]");
        System.exit(mode.equals("help") ? 0 : 2);
      }
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String k = args[i].substring(2);
      if (k.startsWith("skip-") || k.equals("jfr")) {
        o.put(k, "true");
      } else if (i + 1 < args.length) {
        o.put(k, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + k + " needs a value");
      }
    }
    return o;
  }

  static int run(String mode, Map<String, String> o) throws Exception {
    boolean quick = mode.equals("quick");
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    Path results = Path.of(o.getOrDefault("results", "bench/results"));
    Path logs = results.resolve("logs").resolve(mode + "-" + stamp);
    Files.createDirectories(logs);
    MeshGenerator.Profile profile = MeshGenerator.Profile.of(o.getOrDefault("profile", quick ? "M1k" : "M10k"));
    int clients = Integer.parseInt(o.getOrDefault("clients", quick ? "100" : "1000"));
    List<String> serverJvm = jvm(o.getOrDefault("server-jvm", quick ? "-Xms1g -Xmx3g -XX:MaxDirectMemorySize=512m"
        : "-Xms2g -Xmx12g -XX:MaxDirectMemorySize=2g"), logs.resolve("server-gc.log"));
    if (o.containsKey("jfr")) {
      serverJvm.add(0, "-XX:StartFlightRecording=filename=" + logs.resolve("server.jfr") + ",settings=profile,jdk.ExecutionSample#period=2ms,jdk.ThreadCPULoad#period=1s,dumponexit=true");
    }
    List<String> clientJvm = jvm(o.getOrDefault("client-jvm", quick ? "-Xmx1g -XX:MaxDirectMemorySize=512m"
        : "-Xmx4g -XX:MaxDirectMemorySize=2g"), null);
    LoadSettings ls = new LoadSettings(profile, clients, Integer.parseInt(o.getOrDefault("streams", quick ? "500" : "5000")),
        Integer.parseInt(o.getOrDefault("changes", "20")), Integer.parseInt(o.getOrDefault("warmup", "50")),
        Integer.parseInt(o.getOrDefault("typical", "5")),
        1000L * Long.parseLong(o.getOrDefault("budget-s", quick ? "60" : "600")), Long.parseLong(o.getOrDefault("ack-delay-ms", "0")),
        1000L * Long.parseLong(o.getOrDefault("idle-s", quick ? "10" : "35")), Integer.parseInt(o.getOrDefault("connects", quick ? "10" : "20")),
        serverJvm, clientJvm, logs, 1000L * Long.parseLong(o.getOrDefault("timeout-s", quick ? "120" : "900")),
        Double.parseDouble(o.getOrDefault("churn-s", quick ? "20" : "60")), Double.parseDouble(o.getOrDefault("slice-rate", "50")),
        Double.parseDouble(o.getOrDefault("weight-rate", "1")));
    boolean baseline = !o.containsKey("skip-baseline");
    String serializer = o.getOrDefault("baseline-serializer", "default");
    if (!serializer.equals("default") && !serializer.equals("cached")) {
      throw new IllegalArgumentException("--baseline-serializer is default or cached: " + serializer);
    }
    // Forked even in the quick profile: in one JVM, T1's full builds shaped the JIT's profile of the change
    // path, and T3 ran at 2.3 or 4.9 ms p50 from one run to the next; a fresh JVM per benchmark gives 2.0 every time.
    int forks = Integer.parseInt(o.getOrDefault("jmh-forks", "1"));
    JmhSuite.Settings js = quick
        ? new JmhSuite.Settings(profile.name(), forks, List.of("-Xmx3g"), 1, 2, 5, 3, 3000, 1, 3, 1000, logs)
        : new JmhSuite.Settings(profile.name(), forks, List.of("-Xmx12g"), 1, 2, 4, 3, 5000, 2, 3, 2000, logs);

    // T3 warms up for several iterations: after one short one the change path was still being
    // JIT-compiled while measured (a plateau at 3-7x the p50 in a tenth of the samples).
    String title = String.format(Locale.ROOT, "appmesh-xds bench %s: %s, %d clients, %d streams (%s)", mode, profile.name(), clients,
        ls.t7Streams(), stamp);
    Report rep = new Report(title);
    rep.note(Machine.describe());
    String git = System.getenv("BENCH_GIT");
    if (git != null && !git.isBlank()) {
      rep.note("code: " + git);
    }
    rep.note("thresholds: perf-anchors §6.2, stated for M10k with 1,000 clients (5,000 streams for T7)"
        + (quick ? "; this quick run is judged against the same numbers at its smaller scale" : ""));
    rep.note(String.format(Locale.ROOT,
        "load: server and clients are separate JVMs on 127.0.0.1 sharing the machine; mesh with a hot service every node lists; delta ADS, ACK delay %d ms; debounce 20 ms (max 100 ms); server JVM %s; clients JVM %s",
        ls.ackDelayMillis(), String.join(" ", serverJvm.stream().filter(a -> !a.startsWith("-Xlog") && !a.startsWith("-XX:StartFlight")).toList()), String.join(" ", clientJvm)));
    rep.note(String.format(Locale.ROOT, "JMH: %s, %d fork(s); T1 %d+%d single shots, T3 %d+%d × %d ms sampling iterations", profile.name(),
        forks, js.t1Warmup(), js.t1Measure(), js.t3Warmup(), js.t3Measure(), js.t3IterationMillis()));
    if (!o.containsKey("skip-load")) {
      rep.note(baseline ? "baseline: stock java-control-plane 1.0.49 (SimpleCache, a snapshot per VirtualNode group, V3DiscoveryServer with its "
          + ("cached".equals(serializer) ? "CachedProtoResourcesSerializer" : "default executor and serializer")
          + ") serving what our translator produces, translated in process on each change (no debounce); same clients, same phases, run after ours in fresh JVMs"
          : "baseline: skipped (--skip-baseline)");
    }
    rep.note("logs: " + logs);

    long t0 = System.nanoTime();
    if (!o.containsKey("skip-jmh")) {
      JmhSuite.Results jr = JmhSuite.run(js, System.out);
      Targets.jmh(rep, jr, profile.name());
    }
    if (!o.containsKey("skip-load")) {
      System.gc();
      LoadResult lr = new LoadDriver(ls, System.out).run();
      LoadResult base = null;
      if (baseline) {
        System.gc();
        LoadSettings bs = ls;
        if (serializer.equals("cached")) {
          List<String> jvm = new ArrayList<>(ls.serverJvm());
          jvm.add(0, "-Dbaseline.serializer=cached");
          bs = new LoadSettings(ls.profile(), ls.clients(), ls.t7Streams(), ls.hotChanges(), ls.warmupChanges(), ls.typicalChanges(),
              ls.changeBudgetMillis(), ls.ackDelayMillis(), ls.idleMillis(), ls.sequentialConnects(), jvm, ls.clientJvm(), ls.logDir(),
              ls.timeoutMillis(), ls.churnSeconds(), ls.churnSliceRate(), ls.churnWeightRate());
        }
        base = new LoadDriver(bs, System.out, "baseline", io.appmeshxds.bench.load.BaselineServer.class).run();
      }
      LoadTargets.load(rep, ls, lr, base);
    }
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    rep.note(String.format(Locale.ROOT, "run took %.1f min; load average at the end %.2f (other work on the machine inflates wall times)",
        (System.nanoTime() - t0) / 6e10, load));
    System.out.println();
    System.out.print(rep.text());
    Path md = results.resolve(mode + "-" + stamp + ".md");
    String text = rep.markdown();
    Optional<Path> last = RegressionGuard.lastCommitted(results, mode, md.getFileName().toString());
    if (last.isPresent()) {
      List<RegressionGuard.Line> lines = RegressionGuard.compare(Files.readString(last.get()), rep.rows());
      System.out.println();
      System.out.print(RegressionGuard.text(last.get().getFileName().toString(), lines));
      text += RegressionGuard.markdown(last.get().getFileName().toString(), lines);
    } else {
      System.out.println("regression guard: no committed " + mode + " result in " + results + " to compare with");
    }
    Files.writeString(md, text);
    System.out.println("written to " + md);
    return 0;
  }

  /** Splits JVM options and adds G1 (explicit, so System.gc() is a full GC) and a GC log. */
  static List<String> jvm(String opts, Path gcLog) {
    List<String> out = new ArrayList<>(List.of(opts.trim().split("\\s+")));
    out.add("-XX:+UseG1GC");
    out.add("-XX:-ExplicitGCInvokesConcurrent");
    if (gcLog != null) {
      out.add("-Xlog:gc:file=" + gcLog);
    }
    return out;
  }
}
