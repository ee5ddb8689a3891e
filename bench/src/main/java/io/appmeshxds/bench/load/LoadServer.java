package io.appmeshxds.bench.load;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.bench.report.Stats;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * A server process of the load harness, whichever xDS server it runs: our control plane
 * ({@link BenchServer}) or the java-control-plane baseline ({@link BaselineServer}). This class
 * holds what both are measured with, so their numbers mean the same thing: the commands, the
 * record of every client's latest ACK per type, and convergence timed the way perf-anchors §6.1
 * defines it (from the moment the server receives a change to the moment the last affected client's
 * ACK of the version sent arrives, both on this process's clock).
 *
 * <p>Commands: {@code load profile= seed= hot=}; {@code gc}; {@code mark}; {@code await-full from=
 * to= timeoutMs=}; {@code change target=hot|<i> w= n= timeoutMs=}; {@code noop kind=equal|meta
 * target= n= settleMs=}; {@code churn n= seconds= sliceRate= weightRate= settleMs=} ({@link Churn});
 * {@code idle ms=}; {@code stats}.
 */
public abstract class LoadServer implements AutoCloseable {
  static final String SOURCE = "bench";
  static final XdsResources.Type[] TYPES = {XdsResources.Type.LISTENER, XdsResources.Type.ROUTE,
      XdsResources.Type.CLUSTER, XdsResources.Type.ENDPOINT};

  /** The latest ACK of one client for one type. */
  private record Ack(String version, long nanos) {}

  private final List<AtomicReferenceArray<Ack>> acks = new ArrayList<>();
  private final Map<String, Integer> weights = new LinkedHashMap<>();
  private long markNanos;
  private int touch;
  /** Service indexes each client's node lists as backends (the hot service left out). */
  private int[][] clientBackends;
  /** The generated EndpointSlices, replaced as churn changes them. */
  private final Map<ObjectRef, EndpointSlice> slices = new HashMap<>();
  private volatile ChurnBook churn;

  /** Starts the server on 127.0.0.1 with these objects as one synced source; returns once the first config is built. */
  protected abstract Msg start(Map<ObjectRef, ResourceStore.Entry> entries, long timeoutMs) throws Exception;

  /** The resources the server currently serves to a key, or null. */
  protected abstract XdsResources current(NodeKey key);

  /**
   * Hands the server a changed object, as a Kubernetes watch event would; returns whether it was a
   * change. Whatever the server does before this returns is part of the measured time.
   */
  protected abstract boolean put(ObjectRef ref, Object object);

  /** Builds (translations that published) so far. */
  protected abstract long builds();

  /** Responses, resources and bytes pushed so far, over all streams. */
  protected abstract double pushes();

  protected abstract double pushedResources();

  protected abstract double pushedBytes();

  /** Open watches (informational). */
  protected abstract long openWatches();

  /** Starts (non-null) or stops (null) reporting every publish to {@code book}, with the build's input. */
  protected abstract void observePublishes(ChurnBook book);

  Msg handle(Msg cmd) throws Exception {
    return switch (cmd.word()) {
      case "load" -> load(MeshGenerator.Profile.of(cmd.str("profile")), cmd.num("seed", 42),
          Boolean.parseBoolean(cmd.str("hot", "true")), cmd.num("timeoutMs", 600_000));
      case "gc" -> ProcStats.ok().put("heapAfterGc", ProcStats.liveHeapAfterFullGc()).put("heapCommitted", ProcStats.heapCommitted())
          .put("direct", ProcStats.directBytes()).put("metaspace", ProcStats.nonHeapUsed("Metaspace"))
          .put("rss", ProcStats.rssBytes()).put("openWatches", openWatches());
      case "mark" -> {
        markNanos = System.nanoTime();
        yield ProcStats.ok();
      }
      case "await-full" -> awaitFull((int) cmd.num("from"), (int) cmd.num("to"), cmd.num("timeoutMs"));
      case "change" -> change(cmd.str("target"), (int) cmd.num("w"), (int) cmd.num("n"), cmd.num("timeoutMs", 120_000));
      case "noop" -> noop(cmd.str("kind"), cmd.str("target"), cmd.num("settleMs", 1000), cmd.num("timeoutMs", 120_000));
      case "churn" -> churn(new Churn.Settings((int) cmd.num("n"), Double.parseDouble(cmd.str("seconds")),
          Double.parseDouble(cmd.str("sliceRate", "50")), Double.parseDouble(cmd.str("weightRate", "1")), cmd.num("settleMs", 30_000),
          cmd.num("seed", 7)));
      case "idle" -> idle(cmd.num("ms"));
      case "stats" -> ProcStats.ok().put("pushes", pushes()).put("pushedBytes", pushedBytes()).put("builds", builds());
      default -> throw new IllegalArgumentException("unknown command " + cmd.word());
    };
  }

  /** Generates the mesh and starts the server on it; returns once the first config is built. */
  Msg load(MeshGenerator.Profile p, long seed, boolean hot, long timeoutMs) throws Exception {
    for (int t = 0; t < 4; t++) {
      acks.add(new AtomicReferenceArray<>(ClientPlan.max(p)));
    }
    long g0 = System.nanoTime();
    MeshResources mesh = MeshGenerator.generate(p, seed, hot ? MeshGenerator.Options.HOT : MeshGenerator.Options.DEFAULT);
    Map<ObjectRef, ResourceStore.Entry> entries = new LinkedHashMap<>();
    MeshGenerator.byRef(mesh).forEach((ref, o) -> entries.put(ref, new ResourceStore.Entry(o, null)));
    double generateMs = (System.nanoTime() - g0) / 1e6;
    clientBackends = backends(mesh, ClientPlan.max(p));
    slices.putAll(mesh.endpointSlices());
    mesh = null;
    Msg m = start(entries, timeoutMs);
    return m.put("generateMs", generateMs).put("objects", entries.size());
  }

  /** Which services (by index) client j's node lists as backends, for every client of the profile. */
  static int[][] backends(MeshResources mesh, int clients) {
    int[][] out = new int[clients][];
    for (VirtualNode n : mesh.<VirtualNode>ofKind(Kind.VirtualNode)) {
      int j = ClientPlan.indexOf(NodeKey.sidecar(MeshGenerator.MESH, n.name() + "_" + n.namespace()));
      if (j < 0 || j >= clients) {
        continue;
      }
      out[j] = n.spec().backends().stream().filter(b -> b.virtualService() != null)
          .map(b -> b.virtualService().virtualServiceRef().name()).filter(s -> s.startsWith("svc-") && !s.equals(MeshGenerator.HOT_SERVICE))
          .mapToInt(s -> Integer.parseInt(s.substring(4))).toArray();
    }
    return out;
  }

  /** Records an ACK (from the server's own callbacks, on its threads). */
  protected final void acked(NodeKey key, String typeUrl, String version, long nanos) {
    int j = ClientPlan.indexOf(key);
    int t = SimClient.TYPES.indexOf(typeUrl);
    if (j >= 0 && t >= 0 && j < acks.get(t).length()) {
      acks.get(t).set(j, new Ack(version, nanos));
      ChurnBook b = churn;
      if (b != null) {
        b.acked(j, t, version, nanos);
      }
    }
  }

  /** When client j ACKed {@code version} of type t at or after {@code since}, else -1. */
  private long ackedAt(int j, int t, String version, long since) {
    Ack a = acks.get(t).get(j);
    return a != null && a.version().equals(version) && a.nanos() >= since ? a.nanos() : -1;
  }

  /** The current version of each type client j is served (null: not served, or the type is empty). */
  private String[] expected(int j) {
    XdsResources r = current(ClientPlan.key(j));
    String[] v = r == null ? null : new String[4];
    for (int t = 0; t < 4 && v != null; t++) {
      v[t] = r.get(TYPES[t]).isEmpty() ? null : r.version(TYPES[t]);
    }
    return v;
  }

  /** When client j had ACKed every version in {@code v} (at or after {@code since}), or -1. */
  private long fullyAckedAt(int j, String[] v, long since) {
    long last = v == null ? -1 : 0;
    for (int t = 0; t < 4 && last >= 0; t++) {
      if (v[t] != null) {
        long at = ackedAt(j, t, v[t], since);
        last = at < 0 ? -1 : Math.max(last, at);
      }
    }
    return last;
  }

  /**
   * Waits until every client in [from, to) has ACKed the current version of every type it is
   * served, after the last {@code mark}. Reports the time from mark to the last such ACK.
   */
  Msg awaitFull(int from, int to, long timeoutMs) throws InterruptedException {
    long since = markNanos;
    long[] doneAt = new long[to - from];
    java.util.Arrays.fill(doneAt, -1);
    // Expected versions per client, looked up again every 250 ms only: this process is the one
    // measured, so the bookkeeping stays cheap (the ACK times come from the listener anyway).
    String[][] expected = new String[to - from][];
    long[] refreshed = {0};
    boolean all = waitUntil(() -> {
      boolean refresh = System.nanoTime() - refreshed[0] > 250_000_000L;
      if (refresh) {
        refreshed[0] = System.nanoTime();
      }
      boolean ok = true;
      for (int j = from; j < to; j++) {
        if (doneAt[j - from] >= 0) {
          continue;
        }
        if (refresh || expected[j - from] == null) {
          expected[j - from] = expected(j);
        }
        doneAt[j - from] = fullyAckedAt(j, expected[j - from], since);
        ok &= doneAt[j - from] >= 0;
      }
      return ok;
    }, timeoutMs, 10);
    List<Double> perClient = new ArrayList<>();
    long max = -1;
    for (long d : doneAt) {
      if (d >= 0) {
        perClient.add((d - since) / 1e6);
        max = Math.max(max, d);
      }
    }
    Stats s = Stats.of(perClient);
    return ProcStats.ok().put("complete", perClient.size()).put("expected", to - from).put("allAcked", all)
        .put("ms", max < 0 ? -1.0 : (max - since) / 1e6).put("p50ClientMs", perClient.isEmpty() ? -1.0 : s.p50());
  }

  /** Whether clients [0, n) have all ACKed what they are served now (at any time). */
  boolean converged(int n) {
    for (int j = 0; j < n; j++) {
      if (fullyAckedAt(j, expected(j), 0) < 0) {
        return false;
      }
    }
    return true;
  }

  static VirtualRouter router(String target, int w) {
    return target.equals("hot") ? MeshGenerator.hotRouter(w) : MeshGenerator.router(Integer.parseInt(target), w);
  }

  /**
   * One weight change, timed from the moment the server is handed the object to the last ACK of
   * every client (of the first {@code n}) whose served versions changed. Reports who was affected
   * and what was pushed.
   */
  Msg change(String target, int w, int n, long timeoutMs) throws InterruptedException {
    String[][] before = versions(n);
    double pushes0 = pushes();
    double bytes0 = pushedBytes();
    double resources0 = pushedResources();
    long builds0 = builds();
    VirtualRouter r = router(target, w);
    double cpu0 = ProcStats.cpuMillis();
    long t0 = System.nanoTime();
    boolean changed = put(ObjectRef.of(r), r);
    weights.put(target, w);
    if (!changed) {
      return ProcStats.ok().put("changed", false);
    }
    boolean built = waitUntil(() -> builds() > builds0, timeoutMs, 1);
    long tBuilt = System.nanoTime();
    if (!built) {
      return ProcStats.ok().put("changed", true).put("built", false).put("ms", -1.0);
    }
    String[][] after = versions(n);
    BitSet affected = new BitSet();
    List<int[]> pending = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      for (int t = 0; t < 4; t++) {
        if (after[j][t] != null && !after[j][t].equals(before[j][t])) {
          affected.set(j);
          pending.add(new int[] {j, t});
        }
      }
    }
    long[] lastAck = new long[n];
    List<int[]> waiting = new ArrayList<>(pending);
    // Each poll looks only at what is still missing; the ACK times come from the listener, so the
    // poll interval does not change what is measured.
    boolean acked = waitUntil(() -> {
      waiting.removeIf(p -> {
        long at = ackedAt(p[0], p[1], after[p[0]][p[1]], t0);
        if (at >= 0) {
          lastAck[p[0]] = Math.max(lastAck[p[0]], at);
        }
        return at >= 0;
      });
      return waiting.isEmpty();
    }, timeoutMs, 2);
    List<Double> perClient = new ArrayList<>();
    long max = -1;
    for (int j = affected.nextSetBit(0); j >= 0; j = affected.nextSetBit(j + 1)) {
      if (lastAck[j] > 0) {
        perClient.add((lastAck[j] - t0) / 1e6);
        max = Math.max(max, lastAck[j]);
      }
    }
    int[] typesChanged = new int[4];
    pending.forEach(p -> typesChanged[p[1]]++);
    return ProcStats.ok().put("changed", true).put("built", true).put("allAcked", acked)
        .put("ms", affected.isEmpty() ? 0.0 : max < 0 ? -1.0 : (max - t0) / 1e6)
        .put("buildMs", (tBuilt - t0) / 1e6).put("changeCpuMs", ProcStats.cpuMillis() - cpu0)
        .put("affected", affected.cardinality()).put("affectedSet", ClientFleet.encode(affected))
        .put("p50ClientMs", perClient.isEmpty() ? 0.0 : Stats.of(perClient).p50())
        .put("ldsChanged", typesChanged[0]).put("rdsChanged", typesChanged[1]).put("cdsChanged", typesChanged[2])
        .put("edsChanged", typesChanged[3])
        .put("pushes", pushes() - pushes0)
        .put("pushedBytes", pushedBytes() - bytes0)
        .put("pushedResources", pushedResources() - resources0);
  }

  String[][] versions(int n) {
    String[][] v = new String[n][4];
    for (int j = 0; j < n; j++) {
      XdsResources r = current(ClientPlan.key(j));
      for (int t = 0; t < 4; t++) {
        v[j][t] = r == null ? null : r.version(TYPES[t]);
      }
    }
    return v;
  }

  /**
   * A change that must send nothing: {@code equal} re-puts an equal router (an informer resync or a
   * status-only update, whose status the source drops); {@code meta} changes only metadata the
   * translation does not read (a label and the resourceVersion), which runs a build.
   */
  Msg noop(String kind, String target, long settleMs, long timeoutMs) throws InterruptedException {
    double pushes0 = pushes();
    double bytes0 = pushedBytes();
    long builds0 = builds();
    VirtualRouter r = router(target, weights.getOrDefault(target, 0));
    if (kind.equals("meta")) {
      touch++;
      ObjectMeta m = r.metadata();
      r = new VirtualRouter(new ObjectMeta(m.name(), m.namespace(), Map.of("bench/touch", Integer.toString(touch)),
          m.annotations(), m.generation(), m.uid(), "rv-" + touch), r.spec());
    } else if (!kind.equals("equal")) {
      throw new IllegalArgumentException("kind must be equal or meta: " + kind);
    }
    boolean changed = put(ObjectRef.of(r), r);
    boolean built = !changed || waitUntil(() -> builds() > builds0, timeoutMs, 1);
    Thread.sleep(settleMs);
    return ProcStats.ok().put("changed", changed).put("built", built).put("builds", builds() - builds0)
        .put("pushes", pushes() - pushes0)
        .put("pushedBytes", pushedBytes() - bytes0);
  }

  /** T16: EndpointSlice and weight changes at fixed rates on the connected clients [0, n); see {@link Churn}. */
  Msg churn(Churn.Settings s) throws InterruptedException {
    Churn c = new Churn(s, clientBackends, slices, weights.getOrDefault("hot", 0));
    ChurnBook book = c.book(this::versions);
    churn = book;
    observePublishes(book);
    try {
      Msg m = c.run(this::put, () -> converged(s.clients()));
      weights.put("hot", c.hotWeight());
      return m;
    } finally {
      observePublishes(null);
      churn = null;
    }
  }

  /** CPU, allocation and GC of this process over an idle window. */
  Msg idle(long ms) throws InterruptedException {
    double cpu0 = ProcStats.cpuMillis();
    long alloc0 = ProcStats.allocatedBytes();
    long[] gc0 = ProcStats.gc();
    double pushes0 = pushes();
    long t0 = System.nanoTime();
    Thread.sleep(ms);
    double wall = (System.nanoTime() - t0) / 1e6;
    long[] gc1 = ProcStats.gc();
    return ProcStats.ok().put("wallMs", wall).put("cpuPctOfCore", 100 * (ProcStats.cpuMillis() - cpu0) / wall)
        .put("allocMBps", (ProcStats.allocatedBytes() - alloc0) / 1e6 / (wall / 1000)).put("gcs", gc1[0] - gc0[0])
        .put("gcMs", gc1[1] - gc0[1]).put("pushes", pushes() - pushes0);
  }

  public static boolean waitUntil(BooleanSupplier condition, long timeoutMs, long pollMs) throws InterruptedException {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(pollMs);
    }
    return true;
  }

  @Override
  public abstract void close();
}
