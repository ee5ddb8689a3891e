package io.appmeshxds.bench.load;

import io.appmeshxds.bench.report.Stats;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.xds.XdsResources;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a churn run (T16) did and what came of it: every change (when it was due, which object, which
 * clients it affects), which build first covered it, what each client was published and what it
 * ACKed; after the run, how long each change took to reach every client it affects.
 *
 * <p>Why "covered" and not "the build after the change": builds coalesce changes (ours debounces),
 * and a client may receive a change only as part of a later version. A build covers change c when
 * its input holds c's object, or a later change's object, at c's ref. Client j has c when it ACKed,
 * at or after c was due, a version of c's type first published to it in a covering build or later.
 * Thread-safe: changes arrive on the churn thread, publishes on the publishing thread, ACKs on the
 * server's stream threads.
 */
final class ChurnBook {
  /** One change: due at {@code atNanos}; {@code type} is the index of the xDS type it changes. */
  record Change(int seq, long atNanos, ObjectRef ref, Object object, int type, BitSet affected) {}

  private record Pub(int build, String version) {}

  private record Ack(long nanos, String version) {}

  /**
   * The outcome; latencies in ms, each change's the time until its last affected client had it
   * ({@code routes}: the weight changes, {@code endpoints}: the EndpointSlice changes).
   */
  record Result(int changes, int incomplete, long pairs, long undelivered, int affectedClients, int starved, Stats all,
      Stats routes, Stats endpoints, Stats firstThird, Stats lastThird) {}

  private final int clients;
  private final List<Change> changes = new ArrayList<>();
  private final List<Integer> coveredBy = new ArrayList<>();
  private final Map<ObjectRef, Map<Object, Integer>> seqOf = new HashMap<>();
  private final List<Integer> pending = new ArrayList<>();
  private Object lastInputs;
  private int build;
  private final String[][] lastVersion;
  private final List<List<List<Pub>>> pubs = new ArrayList<>();
  private final List<List<List<Ack>>> acks = new ArrayList<>();

  /** {@code initial[j][t]}: the version of type t client j was served before the first change. */
  ChurnBook(int clients, String[][] initial) {
    this.clients = clients;
    lastVersion = new String[4][clients];
    for (int t = 0; t < 4; t++) {
      List<List<Pub>> p = new ArrayList<>();
      List<List<Ack>> a = new ArrayList<>();
      for (int j = 0; j < clients; j++) {
        p.add(new ArrayList<>());
        a.add(new ArrayList<>());
        lastVersion[t][j] = initial[j][t];
      }
      pubs.add(p);
      acks.add(a);
    }
  }

  synchronized void changed(Change c) {
    if (c.seq() != changes.size()) {
      throw new IllegalArgumentException("changes are numbered in order: " + c.seq());
    }
    changes.add(c);
    coveredBy.add(-1);
    seqOf.computeIfAbsent(c.ref(), r -> new HashMap<>()).put(c.object(), c.seq());
    pending.add(c.seq());
  }

  /**
   * Client j ({@code -1}: not a churn client) was published {@code r} by the build whose input is
   * {@code inputs}; a build is told apart from the previous one by its input's identity.
   */
  synchronized void published(int j, XdsResources r, MeshResources inputs) {
    if (inputs != lastInputs) {
      lastInputs = inputs;
      build++;
      cover(inputs);
    }
    if (j < 0 || j >= clients) {
      return;
    }
    for (int t = 0; t < 4; t++) {
      String v = r.version(LoadServer.TYPES[t]);
      if (v != null && !v.equals(lastVersion[t][j])) {
        lastVersion[t][j] = v;
        pubs.get(t).get(j).add(new Pub(build, v));
      }
    }
  }

  private void cover(MeshResources in) {
    pending.removeIf(seq -> {
      Change c = changes.get(seq);
      Object now = c.object() instanceof io.appmeshxds.translator.input.EndpointSlice ? in.endpointSlices().get(c.ref())
          : in.objects().get(c.ref());
      Integer s = now == null ? null : seqOf.get(c.ref()).get(now);
      if (s != null && s >= seq) {
        coveredBy.set(seq, build);
        return true;
      }
      return false;
    });
  }

  /** Whether every change so far is in a build that published. */
  synchronized boolean allCovered() {
    return pending.isEmpty();
  }

  synchronized void acked(int j, int t, String version, long nanos) {
    if (j >= 0 && j < clients) {
      acks.get(t).get(j).add(new Ack(nanos, version));
    }
  }

  /** When client j had change c, or -1. */
  private long hadAt(Change c, int j) {
    int b = coveredBy.get(c.seq());
    if (b < 0) {
      return -1;
    }
    Set<String> versions = new HashSet<>();
    for (Pub p : pubs.get(c.type()).get(j)) {
      if (p.build() >= b) {
        versions.add(p.version());
      }
    }
    for (Ack a : acks.get(c.type()).get(j)) {
      if (a.nanos() >= c.atNanos() && versions.contains(a.version())) {
        return a.nanos();
      }
    }
    return -1;
  }

  /** Analyzes the changes due in [start, end) (the thirds split that window by due time). */
  synchronized Result analyze(long start, long end) {
    List<Double> all = new ArrayList<>();
    List<Double> routes = new ArrayList<>();
    List<Double> endpoints = new ArrayList<>();
    List<Double> first = new ArrayList<>();
    List<Double> last = new ArrayList<>();
    int incomplete = 0;
    long pairs = 0;
    long undelivered = 0;
    int[] affectedCount = new int[clients];
    int[] delivered = new int[clients];
    long third = (end - start) / 3;
    for (Change c : changes) {
      long worst = 0;
      boolean complete = true;
      for (int j = c.affected().nextSetBit(0); j >= 0 && j < clients; j = c.affected().nextSetBit(j + 1)) {
        pairs++;
        affectedCount[j]++;
        long at = hadAt(c, j);
        if (at < 0) {
          complete = false;
          undelivered++;
        } else {
          delivered[j]++;
          worst = Math.max(worst, at - c.atNanos());
        }
      }
      if (!complete) {
        incomplete++;
        continue;
      }
      double ms = worst / 1e6;
      all.add(ms);
      (c.type() == SimClient.RDS ? routes : endpoints).add(ms);
      if (c.atNanos() < start + third) {
        first.add(ms);
      } else if (c.atNanos() >= end - third) {
        last.add(ms);
      }
    }
    int affectedClients = 0;
    int starved = 0;
    for (int j = 0; j < clients; j++) {
      if (affectedCount[j] > 0) {
        affectedClients++;
        if (delivered[j] == 0) {
          starved++;
        }
      }
    }
    return new Result(changes.size(), incomplete, pairs, undelivered, affectedClients, starved, Stats.of(all), Stats.of(routes),
        Stats.of(endpoints), Stats.of(first), Stats.of(last));
  }
}
