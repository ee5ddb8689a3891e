package io.appmeshxds.bench.load;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Runs one load run: a server JVM (ours, {@link BenchServer}, or the java-control-plane baseline,
 * {@link BaselineServer}: the same commands) and a client JVM ({@link ClientFleet}),
 * through their phases in order, every wait bounded. A phase that fails is recorded and the run goes
 * on with the next phase if the processes are still alive; both processes are always stopped.
 *
 * <ol>
 *   <li>load the mesh; live heap with no clients;
 *   <li>T8: {@code clients} connect at once, until every one ACKed everything it is served;
 *   <li>T2: live heap, direct memory and RSS with the mesh and the clients;
 *   <li>T4/T9: weight changes of the hot service (every client affected), then of ordinary
 *       services (few affected: the others must receive nothing);
 *   <li>T11: changes that must send nothing;
 *   <li>T16: churn, EndpointSlice and weight changes at fixed rates ({@link Churn});
 *   <li>T14: single clients connecting to the warm server, one at a time;
 *   <li>T7: more streams up to {@code t7Streams}, live heap per stream and idle CPU.
 * </ol>
 */
public final class LoadDriver {
  private final LoadSettings s;
  private final PrintStream log;
  private final String label;
  private final Class<? extends LoadServer> serverMain;
  private final LoadResult r = new LoadResult();
  private Child server;
  private Child clients;
  private double serverCpu;
  private double clientCpu;

  /** Our control plane, logs named as before ({@code server.log}, {@code clients.log}). */
  public LoadDriver(LoadSettings settings, PrintStream progress) {
    this(settings, progress, "", BenchServer.class);
  }

  /**
   * The server {@code serverMain} runs; {@code label} prefixes its log files ({@code <label>-server.log}
   * …) and its progress lines; an empty label is ours.
   */
  public LoadDriver(LoadSettings settings, PrintStream progress, String label, Class<? extends LoadServer> serverMain) {
    this.s = settings;
    this.log = progress;
    this.label = label;
    this.serverMain = serverMain;
  }

  private String file(String name) {
    return label.isEmpty() ? name : label + "-" + name;
  }

  /**
   * The server's JVM options, the GC log and the flight recording renamed for a labelled run (with
   * {@code --jfr} the baseline's server is recorded too, so the two profiles can be compared).
   */
  private List<String> serverJvm() {
    if (label.isEmpty()) {
      return s.serverJvm();
    }
    List<String> out = new ArrayList<>();
    for (String a : s.serverJvm()) {
      if (a.startsWith("-Xlog:gc:file=")) {
        out.add("-Xlog:gc:file=" + s.logDir().resolve(file("server-gc.log")));
      } else if (a.startsWith("-XX:StartFlightRecording")) {
        out.add(a.replace(s.logDir().resolve("server.jfr").toString(), s.logDir().resolve(file("server.jfr")).toString()));
      } else {
        out.add(a);
      }
    }
    return out;
  }

  public LoadResult run() {
    try {
      server = Child.start(file("server"), serverMain.getName(), serverJvm(), s.logDir().resolve(file("server.log")));
      say("server pid %d, log %s", server.pid(), server.log());
      Msg load = srv(new Msg("load").put("profile", s.profile().name()).put("hot", true).put("timeoutMs", s.timeoutMillis() * 4),
          s.timeoutMillis() * 5);
      r.generateMs = load.dbl("generateMs");
      r.readyMs = load.dbl("readyMs");
      r.readyCpuMs = load.dbl("readyCpuMs");
      r.objects = load.num("objects");
      r.groups = load.num("groups");
      say("loaded %s: %d objects, %d proxy groups, first config published %.0f ms after sync (%.0f ms CPU)", s.profile().name(),
          r.objects, r.groups, r.readyMs, r.readyCpuMs);
      Msg gc0 = srv(new Msg("gc"), 120_000);
      r.heapNoClients = gc0.num("heapAfterGc");
      r.rssNoClients = gc0.num("rss");
      r.metaspace = gc0.num("metaspace");
      say("live heap, no clients: %s (RSS %s)", mib(r.heapNoClients), mib(r.rssNoClients));
      histogram(file("histo-no-clients.txt"));
      clients = Child.start(file("clients"), ClientFleet.class.getName(), s.clientJvm(), s.logDir().resolve(file("clients.log")));
      cli(new Msg("init").put("port", load.num("xdsPort")).put("ackDelayMs", s.ackDelayMillis()), 30_000);
      phase("T8 storm", this::storm);
      phase("T8 reconnect storm", this::reconnectStorm);
      phase("T2 memory", this::memoryWithClients);
      phase("T4 hot changes", this::hotChanges);
      phase("T9 typical changes", this::typicalChanges);
      phase("T11 no-op changes", this::noops);
      phase("T16 churn", this::churn);
      phase("T14 sequential connects", this::sequentialConnects);
      phase("T7 streams", this::streams);
    } catch (Exception e) {
      r.errors.add("run aborted: " + e.getMessage());
      say("run aborted: %s", e);
    } finally {
      close(clients);
      close(server);
    }
    return r;
  }

  private interface Phase {
    void run() throws Exception;
  }

  private void phase(String name, Phase p) {
    long t0 = System.nanoTime();
    try {
      p.run();
      say("%s done in %.1f s", name, (System.nanoTime() - t0) / 1e9);
    } catch (Exception e) {
      r.errors.add(name + ": " + e.getMessage());
      say("%s failed: %s", name, e.getMessage());
    }
  }

  private void storm() throws Exception {
    srv(new Msg("mark"), 10_000);
    double s0 = serverCpu;
    cli(new Msg("mark"), 10_000);
    double c0 = clientCpu;
    Msg open = cli(new Msg("connect").put("from", 0).put("to", s.clients()), s.timeoutMillis());
    Msg done = srv(new Msg("await-full").put("from", 0).put("to", s.clients()).put("timeoutMs", s.timeoutMillis()),
        s.timeoutMillis() + 30_000);
    Msg st = cli(new Msg("status"), 30_000);
    r.stormMs = done.dbl("ms");
    r.stormP50ClientMs = done.dbl("p50ClientMs");
    r.stormComplete = (int) done.num("complete");
    r.stormAllAcked = Boolean.parseBoolean(done.str("allAcked"));
    r.stormServerCpuMs = serverCpu - s0;
    r.stormClientCpuMs = clientCpu - c0;
    r.clientFailures = (int) st.num("failed");
    r.firstFailure = st.str("firstFailure", null);
    say("T8: %d clients opened in %.0f ms; %d/%d fully ACKed, last at %.0f ms (median client %.0f ms); CPU server %.1f s, clients %.1f s; %d stream failures",
        s.clients(), open.dbl("openMs"), r.stormComplete, s.clients(), r.stormMs, r.stormP50ClientMs, r.stormServerCpuMs / 1000,
        r.stormClientCpuMs / 1000, r.clientFailures);
  }

  /**
   * The same clients disconnect and connect again at once. Why a second storm: the first one runs
   * on cold JVMs (JIT, class loading), in the client process too; this one shows the warm server.
   */
  private void reconnectStorm() throws Exception {
    cli(new Msg("disconnect").put("from", 0).put("to", s.clients()), s.timeoutMillis());
    Thread.sleep(500);
    srv(new Msg("mark"), 10_000);
    double s0 = serverCpu;
    cli(new Msg("mark"), 10_000);
    double c0 = clientCpu;
    cli(new Msg("connect").put("from", 0).put("to", s.clients()), s.timeoutMillis());
    Msg done = srv(new Msg("await-full").put("from", 0).put("to", s.clients()).put("timeoutMs", s.timeoutMillis()),
        s.timeoutMillis() + 30_000);
    cli(new Msg("status"), 30_000);
    r.restormMs = done.dbl("ms");
    r.restormP50ClientMs = done.dbl("p50ClientMs");
    r.restormComplete = Boolean.parseBoolean(done.str("allAcked")) ? (int) done.num("complete") : -1;
    r.restormServerCpuMs = serverCpu - s0;
    r.restormClientCpuMs = clientCpu - c0;
    say("T8 again (warm JVMs): %d fully ACKed, last at %.0f ms (median client %.0f ms); CPU server %.1f s, clients %.1f s",
        done.num("complete"), r.restormMs, r.restormP50ClientMs, r.restormServerCpuMs / 1000, r.restormClientCpuMs / 1000);
  }

  private void memoryWithClients() throws Exception {
    Thread.sleep(1000);
    Msg gc = srv(new Msg("gc"), 120_000);
    r.heapWithClients = gc.num("heapAfterGc");
    r.directWithClients = gc.num("direct");
    r.rssWithClients = gc.num("rss");
    say("T2: live heap with %d clients %s, direct %s, metaspace %s, RSS %s, open watches %d", s.clients(), mib(r.heapWithClients),
        mib(r.directWithClients), mib(gc.num("metaspace")), mib(r.rssWithClients), gc.num("openWatches"));
  }

  /** The canary weight of change k: differs from the previous one and from the initial 0. */
  static int weight(int k) {
    return 1 + (k * 37) % 99;
  }

  private void hotChanges() throws Exception {
    for (int k = 0; k < s.warmupChanges(); k++) {
      r.hotWarmup.add(change("hot", weight(s.hotChanges() + k)));
    }
    long t0 = System.nanoTime();
    cli(new Msg("status"), 30_000);
    double s0 = serverCpu;
    double c0 = clientCpu;
    for (int k = 0; k < s.hotChanges(); k++) {
      if (k >= 3 && (System.nanoTime() - t0) / 1_000_000 > s.changeBudgetMillis()) {
        say("T4: change budget of %d s spent after %d changes", s.changeBudgetMillis() / 1000, k);
        break;
      }
      r.hot.add(change("hot", weight(k)));
    }
    cli(new Msg("status"), 30_000);
    r.hotServerCpuMs = serverCpu - s0;
    r.hotClientCpuMs = clientCpu - c0;
  }

  private void typicalChanges() throws Exception {
    for (int k = 0; k < s.typicalChanges(); k++) {
      // Spread over the mesh; any service works: the point is who is NOT affected.
      int service = (int) ((k * 7919L + 13) % s.profile().services());
      r.typical.add(change(Integer.toString(service), weight(k)));
    }
  }

  private LoadResult.Change change(String target, int w) throws Exception {
    cli(new Msg("mark"), 30_000);
    double s0 = serverCpu;
    Msg c = srv(new Msg("change").put("target", target).put("w", w).put("n", s.clients()).put("timeoutMs", s.timeoutMillis()),
        s.timeoutMillis() * 2 + 30_000);
    double cpu = serverCpu - s0;
    // Anything a client receives after the last ACK would be a stray push: give it a moment.
    Thread.sleep(100);
    Msg d = cli(new Msg("diff"), 30_000);
    BitSet affected = ClientFleet.decode(c.str("affectedSet", "-"));
    BitSet receivers = ClientFleet.decode(d.str("receivers"));
    LoadResult.Change ch = new LoadResult.Change(target, c.dbl("ms"), c.dbl("p50ClientMs"), c.dbl("buildMs"),
        (int) c.num("affected"), Boolean.parseBoolean(c.str("allAcked")), affected.equals(receivers), d.num("messages"),
        d.num("otherMessages"), d.num("maxMessagesPerClient"), d.num("maxResourcesPerClient"), d.num("maxBytesPerClient"),
        d.num("totalBytes"), cpu);
    say("change %s w=%d: %d affected, last ACK %.1f ms (build %.1f ms), receivers %s affected, %d messages (%d not RDS), max %d B per client, server CPU %.0f ms",
        target, w, ch.affected(), ch.ms(), ch.buildMs(), ch.receiversMatch() ? "==" : "!=", ch.messages(), ch.otherMessages(),
        ch.maxBytesPerClient(), cpu);
    return ch;
  }

  private void noops() throws Exception {
    cli(new Msg("mark"), 30_000);
    Msg eq = srv(new Msg("noop").put("kind", "equal").put("target", "hot"), 60_000);
    Msg d = cli(new Msg("diff"), 30_000);
    r.noopEqualChanged = Boolean.parseBoolean(eq.str("changed"));
    r.noopEqualServerPushes = Math.round(eq.dbl("pushes"));
    r.noopEqualClientMessages = d.num("messages");
    cli(new Msg("mark"), 30_000);
    Msg meta = srv(new Msg("noop").put("kind", "meta").put("target", "hot").put("timeoutMs", s.timeoutMillis()),
        s.timeoutMillis() + 30_000);
    d = cli(new Msg("diff"), 30_000);
    r.noopMetaServerPushes = Math.round(meta.dbl("pushes"));
    r.noopMetaClientMessages = d.num("messages");
    r.noopMetaBuilds = meta.num("builds");
    say("T11: equal re-put changed=%s, %d pushes, %d messages; metadata-only: %d build(s), %d pushes, %d messages",
        r.noopEqualChanged, r.noopEqualServerPushes, r.noopEqualClientMessages, r.noopMetaBuilds, r.noopMetaServerPushes,
        r.noopMetaClientMessages);
  }

  /** T16 on the connected clients [0, clients): the server runs the timetable itself and reports. */
  private void churn() throws Exception {
    if (s.churnSeconds() <= 0) {
      return;
    }
    cli(new Msg("status"), 30_000);
    double c0 = clientCpu;
    long settle = Math.max(60_000, s.timeoutMillis());
    Msg m = srv(new Msg("churn").put("n", s.clients()).put("seconds", s.churnSeconds()).put("sliceRate", s.churnSliceRate())
        .put("weightRate", s.churnWeightRate()).put("settleMs", settle), (long) (s.churnSeconds() * 1000) + settle + 120_000);
    cli(new Msg("status"), 30_000);
    r.churn = m;
    r.churnClientCpuMs = clientCpu - c0;
    say("T16: %d changes in %.0f s, %d incomplete; due -> all affected ACKed p50 %.0f ms, p99 %.0f ms, max %.0f ms (weight p99 %.0f, slice p99 %.0f); first third p50/p99 %.0f/%.0f ms, last third %.0f/%.0f ms; server %.2f cores, lag max %.0f ms; %d of %d affected clients starved, %d client-changes undelivered",
        m.num("changes"), m.dbl("windowMs") / 1000, m.num("incomplete"), m.dbl("p50Ms"), m.dbl("p99Ms"), m.dbl("maxMs"),
        m.dbl("routesP99Ms"), m.dbl("endpointsP99Ms"), m.dbl("firstP50Ms"), m.dbl("firstP99Ms"), m.dbl("lastP50Ms"), m.dbl("lastP99Ms"),
        m.dbl("cores"), m.dbl("maxLagMs"), m.num("starved"), m.num("affectedClients"), m.num("undelivered"));
  }

  private void sequentialConnects() throws Exception {
    int base = s.clients();
    for (int j = base; j < base + s.sequentialConnects(); j++) {
      srv(new Msg("mark"), 10_000);
      cli(new Msg("connect").put("from", j).put("to", j + 1), 30_000);
      Msg done = srv(new Msg("await-full").put("from", j).put("to", j + 1).put("timeoutMs", 30_000), 60_000);
      r.sequentialConnectMs.add(done.dbl("ms"));
    }
    cli(new Msg("disconnect").put("from", base).put("to", base + s.sequentialConnects()), 60_000);
    say("T14: %d single connects on the warm server: %s ms", s.sequentialConnects(), r.sequentialConnectMs);
  }

  private void streams() throws Exception {
    r.t7Streams = s.t7Streams();
    if (s.t7Streams() > s.clients()) {
      srv(new Msg("mark"), 10_000);
      cli(new Msg("connect").put("from", s.clients()).put("to", s.t7Streams()), s.timeoutMillis());
      // Only the new ones: the first clients ACKed long before this mark.
      Msg done = srv(new Msg("await-full").put("from", s.clients()).put("to", s.t7Streams()).put("timeoutMs", s.timeoutMillis() * 3),
          s.timeoutMillis() * 3 + 30_000);
      r.t7ConnectMs = done.dbl("ms");
      r.t7ServerComplete = s.clients() + (int) done.num("complete");
      say("T7: %d more streams connected, %d of them fully ACKed, the last after %.0f ms", s.t7Streams() - s.clients(),
          done.num("complete"), r.t7ConnectMs);
    } else {
      r.t7ServerComplete = r.stormComplete;
    }
    Msg st = cli(new Msg("status"), 60_000);
    r.t7Complete = (int) st.num("complete");
    Thread.sleep(1000);
    Msg gc = srv(new Msg("gc"), 120_000);
    histogram(file("histo-" + s.t7Streams() + "-streams.txt"));
    r.heapT7 = gc.num("heapAfterGc");
    r.directT7 = gc.num("direct");
    r.rssT7 = gc.num("rss");
    cli(new Msg("status"), 60_000);
    double c0 = clientCpu;
    long t0 = System.nanoTime();
    Msg idle = srv(new Msg("idle").put("ms", s.idleMillis()), s.idleMillis() + 60_000);
    cli(new Msg("status"), 60_000);
    r.idleCpuPct = idle.dbl("cpuPctOfCore");
    r.idleAllocMBps = idle.dbl("allocMBps");
    r.idleGcs = idle.num("gcs");
    r.idlePushes = Math.round(idle.dbl("pushes"));
    r.idleClientCpuPct = 100 * (clientCpu - c0) / ((System.nanoTime() - t0) / 1e6);
    say("T7: %d streams (%d complete): live heap %s (+%s per stream over no clients), direct %s, RSS %s; idle %.0f s: server CPU %.1f%% of a core, %.2f MB/s allocated, %d GCs, %d pushes; clients CPU %.1f%%",
        s.t7Streams(), r.t7Complete, mib(r.heapT7), kib((r.heapT7 - r.heapNoClients) / (double) s.t7Streams()), mib(r.directT7),
        mib(r.rssT7), s.idleMillis() / 1000.0, r.idleCpuPct, r.idleAllocMBps, r.idleGcs, r.idlePushes, r.idleClientCpuPct);
  }

  /**
   * The server's class histogram (live objects, after a full GC) into the log directory, via jcmd:
   * evidence of what the heap per stream is made of. Skipped quietly when jcmd is missing.
   */
  private void histogram(String file) {
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "GC.class_histogram")
          .redirectErrorStream(true).redirectOutput(s.logDir().resolve(file).toFile()).start();
      if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (Exception e) {
      say("no class histogram (%s)", e.getMessage());
    }
  }

  private Msg srv(Msg m, long timeout) throws Exception {
    Msg reply = server.call(m, timeout);
    if (reply.has("cpuMs")) {
      serverCpu = reply.dbl("cpuMs");
    }
    return reply;
  }

  private Msg cli(Msg m, long timeout) throws Exception {
    Msg reply = clients.call(m, timeout);
    if (reply.has("cpuMs")) {
      clientCpu = reply.dbl("cpuMs");
    }
    return reply;
  }

  private void close(Child c) {
    if (c != null) {
      c.close();
    }
  }

  private void say(String fmt, Object... args) {
    log.println("[load" + (label.isEmpty() ? "" : " " + label) + "] " + String.format(Locale.ROOT, fmt, args));
    log.flush();
  }

  static String mib(long bytes) {
    return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  static String kib(double bytes) {
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }
}
