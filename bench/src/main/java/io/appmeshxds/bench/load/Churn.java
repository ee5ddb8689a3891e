package io.appmeshxds.bench.load;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.bench.report.Stats;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * T16, churn: for {@code seconds}, EndpointSlice changes at {@code sliceRate} per second and
 * weight changes of the hot service (every client lists it) at {@code weightRate}, on a fixed
 * timetable, handed to the server one at a time from one thread, as a Kubernetes informer hands
 * over watch events. A slice change picks a connected client at random, one of its backend
 * services, and that service's primary or canary slice, and gives one endpoint a new address: every
 * change reaches at least one connected client. A change is due at its time on the timetable; when
 * the server is still busy with the previous one it is handed over late, and the lateness counts.
 *
 * <p>Reported: per change, due → every affected client ACKed a version that has it
 * ({@link ChurnBook}); the server's CPU over the window; the first and last thirds of the window
 * apart (a queue that grows with time shows as a later third slower than the first); clients
 * affected by changes that never received one (starved).
 */
final class Churn {
  /** What one churn run does. */
  record Settings(int clients, double seconds, double sliceRate, double weightRate, long settleMs, long seed) {}

  /** Hands a changed object to the server. */
  interface Sink {
    boolean put(ObjectRef ref, Object object);
  }

  private final Settings s;
  private final int[][] clientBackends;
  private final Map<ObjectRef, EndpointSlice> slices;
  private final BitSet[] listing;
  private final BitSet everyone = new BitSet();
  private int hotWeight;
  private ChurnBook book;

  Churn(Settings s, int[][] clientBackends, Map<ObjectRef, EndpointSlice> slices, int hotWeight) {
    this.s = s;
    this.clientBackends = clientBackends;
    this.slices = slices;
    this.hotWeight = hotWeight;
    int services = 0;
    for (int j = 0; j < s.clients(); j++) {
      for (int i : clientBackends[j]) {
        services = Math.max(services, i + 1);
      }
    }
    listing = new BitSet[services];
    for (int j = 0; j < s.clients(); j++) {
      everyone.set(j);
      for (int i : clientBackends[j]) {
        if (listing[i] == null) {
          listing[i] = new BitSet();
        }
        listing[i].set(j);
      }
    }
  }

  /** The book this run records into, given the versions clients [0, n) are served now. */
  ChurnBook book(IntFunction<String[][]> versions) {
    book = new ChurnBook(s.clients(), versions.apply(s.clients()));
    return book;
  }

  int hotWeight() {
    return hotWeight;
  }

  /** One change on the timetable: due {@code offsetNanos} after the start. */
  private record Due(long offsetNanos, boolean weight) {}

  static List<Due> timetable(double seconds, double sliceRate, double weightRate) {
    List<Due> out = new ArrayList<>();
    long window = (long) (seconds * 1e9);
    for (long k = 0; sliceRate > 0 && k * 1e9 / sliceRate < window; k++) {
      out.add(new Due((long) (k * 1e9 / sliceRate), false));
    }
    // Weight changes half a period in, so they do not fall on a slice change's time.
    for (long k = 0; weightRate > 0 && (k + 0.5) * 1e9 / weightRate < window; k++) {
      out.add(new Due((long) ((k + 0.5) * 1e9 / weightRate), true));
    }
    out.sort(java.util.Comparator.comparingLong(Due::offsetNanos));
    return out;
  }

  /**
   * Runs the timetable against {@code sink}, waits (at most settleMs) until a build has taken every
   * change and the clients have ACKed what is served now, and reports.
   */
  Msg run(Sink sink, BooleanSupplier converged) throws InterruptedException {
    SplittableRandom rnd = new SplittableRandom(s.seed());
    List<Due> table = timetable(s.seconds(), s.sliceRate(), s.weightRate());
    long[] gc0 = ProcStats.gc();
    double cpu0 = ProcStats.cpuMillis();
    long start = System.nanoTime() + 20_000_000L;
    long maxLag = 0;
    int seq = 0;
    int weights = 0;
    for (Due d : table) {
      long due = start + d.offsetNanos();
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      maxLag = Math.max(maxLag, -wait);
      ChurnBook.Change c = d.weight() ? weightChange(seq, due, weights++) : sliceChange(seq, due, rnd);
      book.changed(c);
      sink.put(c.ref(), c.object());
      seq++;
    }
    long end = System.nanoTime();
    double cpuMs = ProcStats.cpuMillis() - cpu0;
    long[] gc1 = ProcStats.gc();
    long windowEnd = start + (long) (s.seconds() * 1e9);
    // Converged alone is not enough: right after the last change, the clients have ACKed what was
    // published before it, which does not have it yet.
    boolean settled = LoadServer.waitUntil(() -> book.allCovered() && converged.getAsBoolean(), s.settleMs(), 50);
    ChurnBook.Result r = book.analyze(start, windowEnd);
    Stats a = r.all();
    return ProcStats.ok().put("changes", r.changes()).put("incomplete", r.incomplete()).put("pairs", r.pairs())
        .put("undelivered", r.undelivered()).put("affectedClients", r.affectedClients()).put("starved", r.starved())
        .put("p50Ms", a.p50()).put("p99Ms", a.p99()).put("maxMs", a.max())
        .put("routesP99Ms", r.routes().p99()).put("routesN", r.routes().count())
        .put("endpointsP99Ms", r.endpoints().p99()).put("endpointsN", r.endpoints().count())
        .put("firstP50Ms", r.firstThird().p50()).put("firstP99Ms", r.firstThird().p99())
        .put("lastP50Ms", r.lastThird().p50()).put("lastP99Ms", r.lastThird().p99())
        .put("churnCpuMs", cpuMs).put("windowMs", (end - start) / 1e6).put("cores", cpuMs / ((end - start) / 1e6))
        .put("maxLagMs", maxLag / 1e6).put("gcs", gc1[0] - gc0[0]).put("gcMs", gc1[1] - gc0[1]).put("settled", settled);
  }

  private ChurnBook.Change weightChange(int seq, long due, int k) {
    int w = 1 + (k * 37 + 11) % 99;
    if (w == hotWeight) {
      w = w % 99 + 1;
    }
    hotWeight = w;
    VirtualRouter r = MeshGenerator.hotRouter(w);
    return new ChurnBook.Change(seq, due, ObjectRef.of(r), r, SimClient.RDS, everyone);
  }

  private ChurnBook.Change sliceChange(int seq, long due, SplittableRandom rnd) {
    int[] backends = clientBackends[rnd.nextInt(s.clients())];
    int i = backends[rnd.nextInt(backends.length)];
    String role = rnd.nextBoolean() ? "primary" : "canary";
    ObjectRef ref = new ObjectRef("EndpointSlice", MeshGenerator.namespace(i), MeshGenerator.service(i) + "-" + role + "-1");
    EndpointSlice old = slices.get(ref);
    if (old == null) {
      throw new IllegalStateException("no slice " + ref);
    }
    List<EndpointSlice.Endpoint> eps = new ArrayList<>(old.endpoints());
    int e = seq % eps.size();
    // 10.200.0.0 and up: no generated address is there, and each change's is new.
    eps.set(e, new EndpointSlice.Endpoint(List.of(MeshGenerator.address(0xC80000 + seq)), eps.get(e).ready(), eps.get(e).zone()));
    EndpointSlice changed = new EndpointSlice(old.namespace(), old.name(), old.serviceName(), old.addressType(), eps, old.ports());
    slices.put(ref, changed);
    return new ChurnBook.Change(seq, due, ref, changed, SimClient.EDS, listing[i]);
  }
}
