package io.appmeshxds.bench;

import static io.appmeshxds.bench.Targets.f;
import static io.appmeshxds.bench.Targets.kib;
import static io.appmeshxds.bench.Targets.mib;
import static io.appmeshxds.bench.Targets.ms;
import static io.appmeshxds.bench.Targets.sec;

import io.appmeshxds.bench.load.LoadResult;
import io.appmeshxds.bench.load.LoadSettings;
import io.appmeshxds.bench.load.Msg;
import io.appmeshxds.bench.report.Report;
import io.appmeshxds.bench.report.Row;
import io.appmeshxds.bench.report.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The load run's rows against perf-anchors §6.2's thresholds (T16's are issue 20's). Each row is
 * made from our run; when the java-control-plane baseline ran too, the same row is made from its run
 * and goes into the baseline column, with ours ÷ baseline of the row's main figure (below 1: ours
 * is smaller, i.e. faster or leaner).
 */
public final class LoadTargets {
  private static final double KIB = 1024;
  private static final double MIB = 1024 * 1024;

  private LoadTargets() {}

  /** One row's main figure (or figures, named), for the ratio. */
  private record Figure(String name, ToDoubleFunction<LoadResult> value) {}

  /** Adds the row {@code row} makes of ours, with the baseline's and the ratio when {@code base} is not null. */
  private static void both(Report rep, LoadResult ours, LoadResult base, Function<LoadResult, Row> row, Figure... figures) {
    Row o = row.apply(ours);
    if (base == null) {
      rep.add(o);
      return;
    }
    Row b = row.apply(base);
    List<String> ratios = new ArrayList<>();
    for (Figure fig : figures) {
      String r = ratio(fig.value().applyAsDouble(ours), fig.value().applyAsDouble(base));
      ratios.add(fig.name().isEmpty() ? r : fig.name() + " " + r);
    }
    rep.add(o.withBaseline(b.measured() + " [" + b.verdict() + "]", ratios.isEmpty() ? "-" : String.join(", ", ratios)));
  }

  /** ours ÷ baseline with two decimals; "-" when either is missing or the baseline is 0. */
  static String ratio(double ours, double base) {
    if (Double.isNaN(ours) || Double.isNaN(base) || ours < 0 || base <= 0) {
      return "-";
    }
    return f("%.2f", ours / base);
  }

  private static Figure fig(ToDoubleFunction<LoadResult> v) {
    return new Figure("", v);
  }

  private static Figure fig(String name, ToDoubleFunction<LoadResult> v) {
    return new Figure(name, v);
  }

  public static void load(Report rep, LoadSettings s, LoadResult ours, LoadResult base) {
    int n = s.clients();
    both(rep, ours, base, r -> Row.atMost("T14", "mesh synced -> first full config published (server, " + s.profile().name() + ")",
        "<= 10 s", r.readyMs, 10_000, f("%s (%s CPU); %d objects, %d proxy groups", sec(r.readyMs), sec(r.readyCpuMs), r.objects,
            r.groups)), fig(r -> r.readyMs));
    both(rep, ours, base, r -> {
      Stats seq = Stats.of(r.sequentialConnectMs);
      return Row.atMost("T14", "new client on warm server -> all initial resources ACKed (p99)", "<= 200 ms p99", seq.p99(), 200,
          f("p50 %s, p99 %s (n=%d, sequential)", ms(seq.p50()), ms(seq.p99()), seq.count()));
    }, fig("p99", r -> Stats.of(r.sequentialConnectMs).p99()));
    both(rep, ours, base, r -> {
      boolean stormDone = r.stormAllAcked && r.stormComplete == n && !Double.isNaN(r.stormMs) && r.stormMs >= 0;
      return stormDone ? Row.atMost("T8", n + " clients connect at once (cold JVMs) -> all fully ACKed", "<= 5 s", r.stormMs, 5000,
          f("%s (median client %s); CPU: server %s, clients %s", sec(r.stormMs), sec(r.stormP50ClientMs), sec(r.stormServerCpuMs),
              sec(r.stormClientCpuMs)))
          : new Row("T8", n + " clients connect at once -> all fully ACKed", "<= 5 s",
              f("only %d of %d fully ACKed within %d s", r.stormComplete, n, s.timeoutMillis() / 1000), Row.Verdict.FAIL);
    }, fig(r -> r.stormComplete == n ? r.stormMs : Double.NaN));
    if (ours.restormComplete >= 0 || !Double.isNaN(ours.restormMs)) {
      both(rep, ours, base, r -> {
        boolean ok = r.restormComplete == n && r.restormMs >= 0;
        return ok ? Row.atMost("T8", "the same " + n + " clients reconnect at once (warm JVMs) -> all fully ACKed", "<= 5 s",
            r.restormMs, 5000, f("%s (median client %s); CPU: server %s, clients %s", sec(r.restormMs), sec(r.restormP50ClientMs),
                sec(r.restormServerCpuMs), sec(r.restormClientCpuMs)))
            : new Row("T8", "the same " + n + " clients reconnect at once (warm JVMs)", "<= 5 s", "not all fully ACKed in time",
                Row.Verdict.FAIL);
      }, fig(r -> r.restormComplete == n ? r.restormMs : Double.NaN));
    }
    both(rep, ours, base, r -> Row.atMost("T2", "server live heap after full GC, mesh + " + n + " clients", "<= 1 GiB",
        r.heapWithClients, 1024 * MIB, f("%s (no clients: %s)", mib(r.heapWithClients), mib(r.heapNoClients))),
        fig(r -> r.heapWithClients));
    both(rep, ours, base, r -> Row.atMost("T2", "server RSS, mesh + " + n + " clients", "<= 1.5 GiB", r.rssWithClients, 1536 * MIB,
        f("%s (direct %s, metaspace %s)", mib(r.rssWithClients), mib(r.directWithClients), mib(r.metaspace))),
        fig(r -> r.rssWithClients));
    hot(rep, n, ours, base);
    typical(rep, n, ours, base);
    noops(rep, ours, base);
    churn(rep, s, ours, base);
    if (ours.heapT7 >= 0) {
      both(rep, ours, base, r -> {
        double perStream = (r.heapT7 - r.heapNoClients) / (double) r.t7Streams;
        boolean allServed = r.t7Complete == r.t7Streams && r.t7ServerComplete == r.t7Streams;
        return Row.atMost("T7", s.t7Streams() + " delta streams held: server heap per stream", "<= 64 KiB",
            r.heapT7 < 0 ? Double.NaN : perStream, 64 * KIB,
            f("%s per stream (live heap %s, no clients %s; direct %s; RSS %s)%s", kib(perStream), mib(r.heapT7), mib(r.heapNoClients),
                mib(r.directT7), mib(r.rssT7), allServed ? "" : f("; only %d (clients) / %d (server ACKs) complete", r.t7Complete,
                    r.t7ServerComplete)));
      }, fig(r -> r.heapT7 < 0 ? Double.NaN : (r.heapT7 - r.heapNoClients) / (double) r.t7Streams));
      both(rep, ours, base, r -> Row.atMost("T7", s.t7Streams() + " streams idle: server CPU (" + s.idleMillis() / 1000 + " s)",
          "<= 5 % of a core", r.idleCpuPct, 5, f("%.1f %% of a core (clients %.1f %%); %d pushes, %d GCs", r.idleCpuPct,
              r.idleClientCpuPct, r.idlePushes, r.idleGcs)), fig(r -> r.idleCpuPct));
      both(rep, ours, base, r -> Row.atMost("T13", "idle allocation rate (server)", "<= 1 MB/s", r.idleAllocMBps, 1,
          f("%.2f MB/s", r.idleAllocMBps)), fig(r -> r.idleAllocMBps));
    }
    notes(rep, "", ours);
    if (base != null) {
      notes(rep, "baseline: ", base);
    }
  }

  private static void notes(Report rep, String prefix, LoadResult r) {
    if (r.clientFailures > 0) {
      rep.note(prefix + f("%d client streams failed; first: %s", r.clientFailures, r.firstFailure));
    }
    r.errors.forEach(e -> rep.note(prefix + "error: " + e));
  }

  private static void hot(Report rep, int n, LoadResult ours, LoadResult base) {
    if (ours.hot.isEmpty()) {
      rep.add(new Row("T4", "hot weight change -> all clients ACKed", "p50 <= 100, p99 <= 250, max <= 1000 ms", "not measured",
          Row.Verdict.NOT_RUN));
      return;
    }
    both(rep, ours, base, r -> {
      List<LoadResult.Change> hot = r.hot;
      Stats st = stats(hot, LoadResult.Change::ms);
      boolean allAcked = !hot.isEmpty() && hot.stream().allMatch(c -> c.allAcked() && c.ms() >= 0);
      int affected = hot.stream().mapToInt(LoadResult.Change::affected).min().orElse(0);
      boolean pass = allAcked && st.p50() <= 100 && st.p99() <= 250 && st.max() <= 1000;
      return new Row("T4", "hot VirtualService weight change -> all " + n + " clients ACKed (" + hot.size() + " changes"
          + (r.hotWarmup.isEmpty() ? "" : " after " + r.hotWarmup.size() + " warm-up ones") + ")",
          "p50 <= 100, p99 <= 250, max <= 1000 ms",
          f("p50 %s, p99 %s, max %s; >= %d clients affected each%s; build done at %s p50 (ACKs arrive while it publishes); CPU per change: server %s, clients %s%s",
              ms(st.p50()), ms(st.p99()), ms(st.max()), affected, allAcked ? "" : "; NOT ALL ACKED",
              ms(stats(hot, LoadResult.Change::buildMs).p50()),
              ms(r.hotServerCpuMs / hot.size()), ms(r.hotClientCpuMs / hot.size()), warmup(r.hotWarmup)),
          hot.isEmpty() ? Row.Verdict.NOT_RUN : Row.Verdict.of(pass));
    }, fig("p50", r -> stats(r.hot, LoadResult.Change::ms).p50()), fig("p99", r -> stats(r.hot, LoadResult.Change::ms).p99()));
    both(rep, ours, base, r -> {
      List<LoadResult.Change> hot = r.hot;
      long maxRes = hot.stream().mapToLong(LoadResult.Change::maxResourcesPerClient).max().orElse(-1);
      long maxMsgs = hot.stream().mapToLong(LoadResult.Change::maxMessagesPerClient).max().orElse(-1);
      long maxBytes = hot.stream().mapToLong(LoadResult.Change::maxBytesPerClient).max().orElse(-1);
      long other = hot.stream().mapToLong(LoadResult.Change::otherMessages).sum();
      return new Row("T9", "per affected client per weight change", "1 resource, <= 16 KiB",
          f("max %d message(s), %d resource(s), %s; %d non-RDS messages in all", maxMsgs, maxRes, kib(maxBytes), other),
          Row.Verdict.of(maxRes == 1 && maxMsgs == 1 && maxBytes <= 16 * KIB && other == 0));
    }, fig("bytes", r -> r.hot.stream().mapToLong(LoadResult.Change::maxBytesPerClient).max().orElse(-1)));
    both(rep, ours, base, r -> {
      long maxTotal = r.hot.stream().mapToLong(LoadResult.Change::totalBytes).max().orElse(-1);
      return Row.atMost("T9", "total bytes per weight change (" + n + " clients)", "<= 16 MiB", maxTotal, 16 * MIB,
          f("max %s", mib(maxTotal)));
    }, fig(r -> r.hot.stream().mapToLong(LoadResult.Change::totalBytes).max().orElse(-1)));
  }

  private static void typical(Report rep, int n, LoadResult ours, LoadResult base) {
    if (ours.typical.isEmpty()) {
      return;
    }
    both(rep, ours, base, r -> {
      List<LoadResult.Change> all = new ArrayList<>(r.hot);
      all.addAll(r.typical);
      boolean match = !r.typical.isEmpty() && all.stream().allMatch(LoadResult.Change::receiversMatch);
      int unaffected = r.typical.stream().mapToInt(c -> n - c.affected()).sum();
      return new Row("T9", "unaffected clients receive nothing (" + r.typical.size() + " ordinary changes)", "0 bytes",
          f("%s; %d unaffected client-changes, receivers %s the affected set in every change; ordinary change last ACK p50 %s",
              match ? "0 bytes" : "SOME RECEIVED DATA", unaffected, match ? "==" : "!=", ms(stats(r.typical, LoadResult.Change::ms).p50())),
          Row.Verdict.of(match));
    }, fig("last ACK p50", r -> stats(r.typical, LoadResult.Change::ms).p50()));
  }

  private static void noops(Report rep, LoadResult ours, LoadResult base) {
    if (ours.noopEqualServerPushes >= 0) {
      both(rep, ours, base, r -> new Row("T11", "re-put of an equal object (resync, status-only update)", "0 messages",
          f("%d pushed, %d received (store changed: %s)", r.noopEqualServerPushes, r.noopEqualClientMessages, r.noopEqualChanged),
          Row.Verdict.of(r.noopEqualServerPushes == 0 && r.noopEqualClientMessages == 0)));
    }
    if (ours.noopMetaServerPushes >= 0) {
      both(rep, ours, base, r -> new Row("T11", "metadata-only change (label, resourceVersion): a build, no output change", "0 messages",
          f("%d pushed, %d received (%d build)", r.noopMetaServerPushes, r.noopMetaClientMessages, r.noopMetaBuilds),
          Row.Verdict.of(r.noopMetaServerPushes == 0 && r.noopMetaClientMessages == 0)));
    }
  }

  /** T16 (issue 20): p99 ≤ 1 s, CPU ≤ 1 core, no growing queue, no client starved. */
  private static void churn(Report rep, LoadSettings s, LoadResult ours, LoadResult base) {
    if (s.churnSeconds() <= 0) {
      return;
    }
    String what = f("churn, %d clients: %.0f EndpointSlice changes/s + %.0f hot weight change(s)/s for %.0f s", s.clients(),
        s.churnSliceRate(), s.churnWeightRate(), s.churnSeconds());
    both(rep, ours, base, r -> {
      Msg m = r.churn;
      if (m == null) {
        return new Row("T16", what + ": change -> all affected clients ACKed", "<= 1 s p99", "not measured", Row.Verdict.NOT_RUN);
      }
      boolean complete = m.num("incomplete") == 0;
      return new Row("T16", what + ": change -> all affected clients ACKed", "<= 1 s p99",
          f("p50 %s, p99 %s, max %s (%d changes%s); weight changes p99 %s, slice changes p99 %s", ms(m.dbl("p50Ms")), ms(m.dbl("p99Ms")),
              ms(m.dbl("maxMs")), m.num("changes"), complete ? "" : f(", %d NOT ACKED by all", m.num("incomplete")),
              ms(m.dbl("routesP99Ms")), ms(m.dbl("endpointsP99Ms"))),
          Row.Verdict.of(complete && m.dbl("p99Ms") <= 1000));
    }, fig("p50", r -> churn(r, "p50Ms")), fig("p99", r -> churn(r, "p99Ms")));
    both(rep, ours, base, r -> {
      Msg m = r.churn;
      return m == null ? new Row("T16", "churn: server CPU", "<= 1 core", "not measured", Row.Verdict.NOT_RUN)
          : Row.atMost("T16", "churn: server CPU (process CPU time / wall time)", "<= 1 core", m.dbl("cores"), 1,
              f("%.2f cores (%s CPU in %s; clients %s); %d GCs, %.0f ms", m.dbl("cores"), sec(m.dbl("churnCpuMs")),
                  sec(m.dbl("windowMs")), sec(r.churnClientCpuMs), m.num("gcs"), m.dbl("gcMs")));
    }, fig(r -> churn(r, "cores")));
    both(rep, ours, base, r -> {
      Msg m = r.churn;
      if (m == null) {
        return new Row("T16", "churn: no queue growing with time", "last third <= 2x first", "not measured", Row.Verdict.NOT_RUN);
      }
      double first = m.dbl("firstP50Ms");
      double last = m.dbl("lastP50Ms");
      // Within 50 ms is noise at these scales, not a queue.
      boolean pass = !Double.isNaN(last) && (last <= 2 * first || last <= first + 50) && m.dbl("maxLagMs") <= 1000;
      return new Row("T16", "churn: no queue growing with time (p50 of the changes due in the last third vs the first)",
          "last third p50 <= 2x first (or +50 ms); changes handed over <= 1 s late",
          f("first third p50 %s, p99 %s; last third p50 %s, p99 %s; changes handed to the server up to %s late", ms(first),
              ms(m.dbl("firstP99Ms")), ms(last), ms(m.dbl("lastP99Ms")), ms(m.dbl("maxLagMs"))),
          Row.Verdict.of(pass));
    });
    both(rep, ours, base, r -> {
      Msg m = r.churn;
      return m == null ? new Row("T16", "churn: no client starved", "0 clients", "not measured", Row.Verdict.NOT_RUN)
          : new Row("T16", "churn: no client starved (affected, never had a change)", "0 clients",
              f("%d of %d affected clients; %d of %d client-changes not had within the settle time", m.num("starved"),
                  m.num("affectedClients"), m.num("undelivered"), m.num("pairs")),
              Row.Verdict.of(m.num("starved") == 0));
    });
  }

  private static double churn(LoadResult r, String key) {
    return r.churn == null || !r.churn.has(key) ? Double.NaN : r.churn.dbl(key);
  }

  /** The warm-up changes, shown so the cold numbers stay visible. */
  private static String warmup(List<LoadResult.Change> w) {
    if (w.isEmpty()) {
      return "";
    }
    Stats st = stats(w, LoadResult.Change::ms);
    boolean acked = w.stream().allMatch(c -> c.allAcked() && c.ms() >= 0);
    return f("; the %d warm-up changes on the cold server: p50 %s, max %s%s", w.size(), ms(st.p50()), ms(st.max()),
        acked ? "" : ", NOT ALL ACKED");
  }

  private static Stats stats(List<LoadResult.Change> cs, ToDoubleFunction<LoadResult.Change> f) {
    return Stats.of(cs.stream().map(c -> f.applyAsDouble(c)).toList());
  }
}
