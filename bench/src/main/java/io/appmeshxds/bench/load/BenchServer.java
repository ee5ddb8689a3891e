package io.appmeshxds.bench.load;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;

/**
 * The server process for our control plane: a real {@link ControlPlane} on 127.0.0.1 loaded with a
 * generated mesh; the commands and the timing are {@link LoadServer}'s. A change is a write to the
 * control plane's store, as a Kubernetes watch event is; the reconciler builds after its debounce.
 */
public final class BenchServer extends LoadServer {
  private ControlPlane cp;
  private final io.appmeshxds.server.grpc.XdsLimits limits;

  /** Every simulated proxy connects from 127.0.0.1: the per-address stream limit is lifted. */
  BenchServer() {
    this(io.appmeshxds.server.grpc.XdsLimits.defaults().withStreams(1_000_000, 1_000_000));
  }

  /** With these xDS limits (the abuse run keeps the defaults). */
  BenchServer(io.appmeshxds.server.grpc.XdsLimits limits) {
    this.limits = limits;
  }

  public static void main(String[] args) {
    BenchServer s = new BenchServer();
    CommandLoop.run(s::handle);
  }

  /** Starts the control plane and loads the mesh as one synced source; returns once the first config is published. */
  @Override
  protected Msg start(Map<ObjectRef, ResourceStore.Entry> entries, long timeoutMs) throws Exception {
    cp = new ControlPlane(Pipelines.standard(MeshGenerator.config()), ControlPlane.Settings.loopback().withLimits(limits),
        List.of(), List.of()).start();
    cp.acks().addListener(this::acked);
    ResourceStore store = cp.store();
    store.register(SOURCE);
    long t0 = System.nanoTime();
    double cpu0 = ProcStats.cpuMillis();
    store.replace(SOURCE, entries, List.of());
    store.markSynced(SOURCE);
    boolean ready = waitUntil(() -> cp.reconciler().ready(), timeoutMs, 10);
    double readyMs = (System.nanoTime() - t0) / 1e6;
    if (!ready) {
      throw new IllegalStateException("no configuration published within " + timeoutMs + " ms");
    }
    return ProcStats.ok().put("xdsPort", cp.xdsPort()).put("readyMs", readyMs)
        .put("readyCpuMs", ProcStats.cpuMillis() - cpu0).put("groups", cp.cache().keys().size());
  }

  @Override
  protected XdsResources current(NodeKey key) {
    return cp.cache().get(key);
  }

  @Override
  protected boolean put(ObjectRef ref, Object object) {
    return cp.store().put(SOURCE, ref, object);
  }

  @Override
  protected long builds() {
    return cp.reconciler().builds();
  }

  @Override
  protected double pushes() {
    return counter("appmeshxds_pushes_total");
  }

  @Override
  protected double pushedResources() {
    return counter("appmeshxds_pushed_resources_total");
  }

  @Override
  protected double pushedBytes() {
    return counter("appmeshxds_pushed_bytes_total");
  }

  @Override
  protected long openWatches() {
    return cp.cache().openWatches();
  }

  /**
   * The cache's observer runs on the reconciler's thread while it publishes, so the build being
   * published is the reconciler's last one: its input tells which changes the publish covers.
   */
  @Override
  protected void observePublishes(ChurnBook book) {
    cp.cache().observe(book == null ? (k, r) -> {} : (k, r) -> book.published(ClientPlan.indexOf(k), r,
        cp.reconciler().lastBuild().model().inputs()));
  }

  /** Sum of a counter over all its tags (0 before the first increment). */
  private double counter(String name) {
    double sum = 0;
    for (Counter c : cp.metrics().find(name).counters()) {
      sum += c.count();
    }
    return sum;
  }

  ControlPlane controlPlane() {
    return cp;
  }

  @Override
  public void close() {
    if (cp != null) {
      try {
        cp.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
