package io.appmeshxds.bench.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the T1, T3 and serialization benchmarks through JMH's API and collects their numbers plus
 * the facts the benchmarks wrote to the aux file (proxies re-translated, unique resources, bytes).
 */
public final class JmhSuite {

  /**
   * How much JMH to run.
   *
   * @param forks 0 runs in this JVM (shares one warm translation across benchmarks: quick), 1+ forks
   * @param forkJvm options of forked JVMs
   * @param t1Warmup single-shot warm-up runs of the cold translation
   * @param t1Measure measured single-shot runs
   * @param t3Warmup warm-up iterations of the one-object change
   * @param t3Measure measured iterations (each samples every change made within {@code t3IterationMillis})
   */
  public record Settings(String profile, int forks, List<String> forkJvm, int t1Warmup, int t1Measure, int t3Warmup, int t3Measure,
      long t3IterationMillis, int serWarmup, int serMeasure, long serIterationMillis, Path logDir) {}

  /** A measured benchmark: time statistics in ms and the facts from the aux file. */
  public record Measured(String name, double score, double p50, double p99, double max, long n, Map<String, String> aux) {}

  /** Everything measured, by key: T1, T3/router, T3/node, T3/slice, SER. */
  public record Results(Map<String, Measured> byKey, List<String> errors) {}

  private JmhSuite() {}

  public static Results run(Settings s, PrintStream progress) throws IOException {
    Path aux = Files.createTempFile("bench-aux", ".txt");
    System.setProperty("bench.aux", aux.toString());
    Map<String, Measured> out = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    try {
      progress.println("[jmh] T1 cold full translation (" + s.profile() + ", " + s.t1Warmup() + "+" + s.t1Measure() + " single shots)");
      run(s, aux, base(s, "T1").include(ColdTranslationBench.class.getName() + "\\.").warmupIterations(s.t1Warmup())
          .measurementIterations(s.t1Measure()), out, errors);
      progress.println("[jmh] T3 one-object changes (router, node, slice)");
      run(s, aux, base(s, "T3").include(ChangeBench.class.getName() + "\\.").warmupIterations(s.t3Warmup())
          .warmupTime(TimeValue.milliseconds(s.t3IterationMillis())).measurementIterations(s.t3Measure())
          .measurementTime(TimeValue.milliseconds(s.t3IterationMillis())), out, errors);
      progress.println("[jmh] serialization of every unique resource");
      run(s, aux, base(s, "serialize").include(SerializeBench.class.getName() + "\\.").warmupIterations(s.serWarmup())
          .warmupTime(TimeValue.milliseconds(s.serIterationMillis())).measurementIterations(s.serMeasure())
          .measurementTime(TimeValue.milliseconds(s.serIterationMillis())), out, errors);
    } finally {
      Meshes.clear();
      Files.deleteIfExists(aux);
    }
    return new Results(out, errors);
  }

  private static ChainedOptionsBuilder base(Settings s, String name) {
    ChainedOptionsBuilder b = new OptionsBuilder().param("profile", s.profile()).forks(s.forks()).shouldFailOnError(true)
        .output(s.logDir().resolve("jmh-" + name + ".log").toString());
    if (s.forks() > 0) {
      List<String> jvm = new ArrayList<>(s.forkJvm());
      jvm.add("-Dbench.aux=" + System.getProperty("bench.aux"));
      b.jvmArgsAppend(jvm.toArray(String[]::new));
    }
    return b;
  }

  private static void run(Settings s, Path aux, ChainedOptionsBuilder opts, Map<String, Measured> out, List<String> errors) {
    try {
      Files.writeString(aux, "");
      Collection<RunResult> results = new Runner(opts.build()).run();
      List<Map<String, String>> facts = auxLines(aux);
      for (RunResult rr : results) {
        String bench = rr.getParams().getBenchmark();
        String cls = bench.substring(0, bench.lastIndexOf('.'));
        String key;
        String tag;
        if (cls.endsWith("ColdTranslationBench")) {
          key = "T1";
          tag = "T1";
        } else if (cls.endsWith("ChangeBench")) {
          key = "T3/" + rr.getParams().getParam("variant");
          tag = "T3";
        } else {
          key = "SER";
          tag = "SER";
        }
        var st = rr.getPrimaryResult().getStatistics();
        Map<String, String> a = facts.stream().filter(f -> tag.equals(f.get("tag"))
            && (!key.startsWith("T3/") || key.equals("T3/" + f.get("variant")))).reduce((x, y) -> y).orElse(Map.of());
        out.put(key, new Measured(bench, rr.getPrimaryResult().getScore(), st.getPercentile(50), st.getPercentile(99), st.getMax(),
            st.getN(), a));
      }
    } catch (RunnerException | IOException | RuntimeException e) {
      errors.add("JMH: " + e.getMessage());
    }
  }

  /** Aux lines as maps: {@code tag} is the first word, then key=value pairs. */
  static List<Map<String, String>> auxLines(Path aux) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : Files.readAllLines(aux)) {
      if (line.isBlank()) {
        continue;
      }
      String[] w = line.trim().split("\\s+");
      Map<String, String> m = new LinkedHashMap<>();
      m.put("tag", w[0]);
      for (int i = 1; i < w.length; i++) {
        int eq = w[i].indexOf('=');
        if (eq > 0) {
          m.put(w[i].substring(0, eq), w[i].substring(eq + 1));
        }
      }
      out.add(m);
    }
    return out;
  }
}
