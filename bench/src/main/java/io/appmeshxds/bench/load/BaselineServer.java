package io.appmeshxds.bench.load;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.grpc.StickyNodeInterceptor;
import io.appmeshxds.server.grpc.XdsCache;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsResources.Type;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The baseline server process: stock java-control-plane 1.0.49 — a {@link SimpleCache} with one
 * snapshot per node group and its {@link V3DiscoveryServer} (ADS, state of the world and delta),
 * with its default executor (responses are written on the thread that sets a snapshot) and
 * serializer — fed exactly the resources our translator produces for the same generated mesh.
 * What a Java team would build on the library, without our publisher, cache or serializer.
 *
 * <ul>
 *   <li>Input and translation: our public pipeline classes, driven the simplest way: a
 *       {@link ResourceStore} holds the objects, and every change the server is handed is translated
 *       at once on the calling thread ({@link Translation#onDemand}, incremental), no debounce; the
 *       proxies whose resources changed get a new snapshot. A change is therefore timed like ours:
 *       from the moment the server is handed the object.
 *   <li>Groups: one per VirtualNode ({@link XdsCache#keyOf}, the same rule as ours), and a group's
 *       snapshot is made when its first proxy connects (the callbacks see the node before the cache
 *       opens the watch). Why not every proxy of the mesh up front: that is a full translation of
 *       every proxy (T1: 13 s and a proxy's state for every node at M10k), and every change would
 *       re-translate proxies nobody is connected as; ours plans connected proxies only, and the
 *       comparison is meant to be between the serving layers. Snapshots stay when a proxy leaves
 *       (SimpleCache keeps them), so the reconnect storm finds them ready.
 *   <li>Node: the simulated clients send it on their first request only (Envoy with {@code
 *       set_node_on_first_message_only}); java-control-plane looks a group up per request, so the
 *       stream's node is put on later requests by the same {@link StickyNodeInterceptor} ours uses.
 *   <li>ACKs are seen by the callbacks: a delta ACK names the nonce of the response it accepts,
 *       whose version the response callback recorded before the response was written.
 * </ul>
 *
 * {@code -Dbaseline.serializer=cached} swaps in java-control-plane's {@link CachedProtoResourcesSerializer}.
 */
public final class BaselineServer extends LoadServer {
  private final ResourceStore store = new ResourceStore();
  private final Translation translation = Translation.onDemand(Pipelines.standard(MeshGenerator.config()));
  private final Object lock = new Object();
  private final Set<NodeKey> wanted = new HashSet<>();
  private final Map<NodeKey, XdsResources> served = new ConcurrentHashMap<>();
  private final SimpleCache<String> cache = new SimpleCache<>(node -> XdsCache.keyOf(node).toString());
  private final Map<Long, Stream> streams = new ConcurrentHashMap<>();
  private final LongAdder builds = new LongAdder();
  private final LongAdder pushes = new LongAdder();
  private final LongAdder resources = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private volatile ChurnBook book;
  private Server server;

  /** One stream: its node's key once known, and the versions of the delta responses not yet answered, by nonce. */
  private static final class Stream {
    volatile NodeKey key;
    final Map<String, String[]> sent = new ConcurrentHashMap<>();
  }

  public static void main(String[] args) {
    BaselineServer s = new BaselineServer();
    CommandLoop.run(s::handle);
  }

  @Override
  protected Msg start(Map<ObjectRef, ResourceStore.Entry> entries, long timeoutMs) throws Exception {
    store.register(SOURCE);
    long t0 = System.nanoTime();
    double cpu0 = ProcStats.cpuMillis();
    synchronized (lock) {
      store.replace(SOURCE, entries, List.of());
      store.markSynced(SOURCE);
      build();
    }
    double readyMs = (System.nanoTime() - t0) / 1e6;
    double readyCpuMs = ProcStats.cpuMillis() - cpu0;
    V3DiscoveryServer ds = "cached".equals(System.getProperty("baseline.serializer"))
        ? new V3DiscoveryServer(List.of(new Callbacks()), cache, new DefaultExecutorGroup(), new CachedProtoResourcesSerializer())
        : new V3DiscoveryServer(List.of(new Callbacks()), cache);
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(ds.getAggregatedDiscoveryServiceImpl(), new StickyNodeInterceptor()))
        .build().start();
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    return ProcStats.ok().put("xdsPort", port).put("readyMs", readyMs).put("readyCpuMs", readyCpuMs).put("groups", 0);
  }

  /** Translates what the store holds now for the wanted keys and sets a snapshot for every key whose resources changed. */
  private void build() {
    ResourceStore.Snapshot snap = store.takeSyncedSnapshot();
    Translation.Result r = translation.apply(snap.resources(), snap.changes(), wanted, ControlPlaneTelemetry.noop().startReconcile());
    MeshResources inputs = r.build().model().inputs();
    r.changed().forEach((k, x) -> publish(k, x, inputs));
    builds.increment();
  }

  private void publish(NodeKey key, XdsResources r, MeshResources inputs) {
    served.put(key, r);
    ChurnBook b = book;
    if (b != null) {
      b.published(ClientPlan.indexOf(key), r, inputs);
    }
    cache.setSnapshot(key.toString(), Snapshot.create(r.protos(Type.CLUSTER), r.version(Type.CLUSTER), r.protos(Type.ENDPOINT),
        r.version(Type.ENDPOINT), r.protos(Type.LISTENER), r.version(Type.LISTENER), r.protos(Type.ROUTE), r.version(Type.ROUTE),
        r.protos(Type.SECRET), r.version(Type.SECRET)));
  }

  /** A proxy of a group with no snapshot yet connected: translate its key and set its snapshot. */
  private void connected(NodeKey key) {
    synchronized (lock) {
      if (wanted.add(key)) {
        XdsResources r = translation.addKey(key);
        if (r != null) {
          publish(key, r, translation.last().model().inputs());
        }
      }
    }
  }

  private Stream stream(long id, Node node) {
    Stream s = streams.computeIfAbsent(id, k -> new Stream());
    if (s.key == null && node != null && !node.getId().isEmpty()) {
      NodeKey key = XdsCache.keyOf(node);
      s.key = key;
      connected(key);
    }
    return s;
  }

  private void count(int n, int size) {
    pushes.increment();
    resources.add(n);
    bytes.add(size);
  }

  /** Sees every request before the cache does and every response before it is written. */
  private final class Callbacks implements DiscoveryServerCallbacks {
    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest r) {
      long now = System.nanoTime();
      Stream s = stream(streamId, r.hasNode() ? r.getNode() : null);
      if (!r.getResponseNonce().isEmpty() && !r.hasErrorDetail() && s.key != null) {
        acked(s.key, r.getTypeUrl(), r.getVersionInfo(), now);
      }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest r) {
      long now = System.nanoTime();
      Stream s = stream(streamId, r.hasNode() ? r.getNode() : null);
      if (!r.getResponseNonce().isEmpty()) {
        String[] sent = s.sent.remove(r.getResponseNonce());
        if (sent != null && !r.hasErrorDetail() && s.key != null) {
          acked(s.key, sent[0], sent[1], now);
        }
      }
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
      count(response.getResourcesCount(), response.getSerializedSize());
    }

    @Override
    public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
      Stream s = streams.get(streamId);
      if (s != null) {
        s.sent.put(response.getNonce(), new String[] {response.getTypeUrl(), response.getSystemVersionInfo()});
      }
      count(response.getResourcesCount(), response.getSerializedSize());
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
      streams.remove(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
      streams.remove(streamId);
    }
  }

  @Override
  protected XdsResources current(NodeKey key) {
    return served.get(key);
  }

  @Override
  protected boolean put(ObjectRef ref, Object object) {
    synchronized (lock) {
      boolean changed = store.put(SOURCE, ref, object);
      if (changed) {
        build();
      }
      return changed;
    }
  }

  @Override
  protected long builds() {
    return builds.sum();
  }

  @Override
  protected double pushes() {
    return pushes.sum();
  }

  @Override
  protected double pushedResources() {
    return resources.sum();
  }

  @Override
  protected double pushedBytes() {
    return bytes.sum();
  }

  @Override
  protected long openWatches() {
    long n = 0;
    for (String g : cache.groups()) {
      n += cache.statusInfo(g).numWatches();
    }
    return n;
  }

  @Override
  protected void observePublishes(ChurnBook b) {
    book = b;
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
