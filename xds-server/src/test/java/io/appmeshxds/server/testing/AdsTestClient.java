package io.appmeshxds.server.testing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ADS client that behaves like Envoy: subscribes to LDS and CDS as wildcards, then to RDS and EDS
 * by the names those reference, ACKs every response by nonce (or NACKs the types it is told to),
 * over state-of-the-world or delta xDS. It keeps the resources it holds, per type, by name.
 */
public final class AdsTestClient implements AutoCloseable {
  public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String SDS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

  private final ManagedChannel channel;
  private final Node node;
  private final boolean delta;
  private final Set<String> nack = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, Any>> held = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> responses = new ConcurrentHashMap<>();
  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final Map<String, String> offered = new ConcurrentHashMap<>();
  private final List<Long> responseTimes = new CopyOnWriteArrayList<>();
  private final Map<String, Set<String>> subscribed = new ConcurrentHashMap<>();
  private final Set<String> extraSecrets = ConcurrentHashMap.newKeySet();
  private volatile String ended;
  private final AtomicInteger emptyPushes = new AtomicInteger();
  private volatile String endedDescription;
  private StreamObserver<DiscoveryRequest> sotw;
  private StreamObserver<DeltaDiscoveryRequest> deltaStream;

  public AdsTestClient(int port, String nodeId, boolean delta) {
    this(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(), nodeId, delta);
  }

  /** Over a given channel (e.g. TLS with a client certificate); the client owns it and shuts it down on close. */
  public AdsTestClient(ManagedChannel channel, String nodeId, boolean delta) {
    this.channel = channel;
    this.node = Node.newBuilder().setId(nodeId).setCluster("test").setUserAgentName("envoy").setUserAgentVersion("1.34.0").build();
    this.delta = delta;
  }

  /** Makes the client NACK every response of this type URL. */
  public AdsTestClient nack(String typeUrl) {
    nack.add(typeUrl);
    return this;
  }

  /**
   * Also asks for these secrets over ADS, whatever its listeners and clusters name (a client
   * trying to obtain another proxy's secret).
   */
  public AdsTestClient alsoRequestSecrets(String... names) {
    extraSecrets.addAll(List.of(names));
    return this;
  }

  public AdsTestClient start() {
    var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
    if (delta) {
      deltaStream = stub.deltaAggregatedResources(new StreamObserver<>() {
        @Override
        public void onNext(DeltaDiscoveryResponse r) {
          onDelta(r);
        }

        @Override
        public void onError(Throwable t) {
          endedDescription = io.grpc.Status.fromThrowable(t).getDescription();
          ended = io.grpc.Status.fromThrowable(t).getCode().name();
        }

        @Override
        public void onCompleted() {
          ended = "COMPLETED";
        }
      });
      subscribeDelta(LDS, List.of());
      subscribeDelta(CDS, List.of());
    } else {
      sotw = stub.streamAggregatedResources(new StreamObserver<>() {
        @Override
        public void onNext(DiscoveryResponse r) {
          onSotw(r);
        }

        @Override
        public void onError(Throwable t) {
          endedDescription = io.grpc.Status.fromThrowable(t).getDescription();
          ended = io.grpc.Status.fromThrowable(t).getCode().name();
        }

        @Override
        public void onCompleted() {
          ended = "COMPLETED";
        }
      });
      request(LDS, List.of(), "", "", null);
      request(CDS, List.of(), "", "", null);
    }
    return this;
  }

  private synchronized void request(String type, List<String> names, String version, String nonce, String error) {
    DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).addAllResourceNames(names)
        .setVersionInfo(version).setResponseNonce(nonce);
    if (error != null) {
      b.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error));
    }
    subscribed.put(type, new TreeSet<>(names));
    sotw.onNext(b.build());
  }

  private synchronized void subscribeDelta(String type, List<String> names) {
    Set<String> old = subscribed.getOrDefault(type, Set.of());
    List<String> add = names.stream().filter(n -> !old.contains(n)).toList();
    List<String> remove = old.stream().filter(n -> !names.contains(n)).toList();
    subscribed.put(type, new TreeSet<>(names));
    if (type.equals(LDS) || type.equals(CDS) || !add.isEmpty() || !remove.isEmpty()) {
      deltaStream.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type)
          .addAllResourceNamesSubscribe(add).addAllResourceNamesUnsubscribe(remove).build());
    }
  }

  private void onSotw(DiscoveryResponse r) {
    String type = r.getTypeUrl();
    offered.put(type, r.getVersionInfo());
    count(type);
    if (nack.contains(type)) {
      request(type, List.copyOf(subscribed.getOrDefault(type, Set.of())), versions.getOrDefault(type, ""), r.getNonce(),
          "test client rejects " + type);
      return;
    }
    Map<String, Any> byName = new TreeMap<>();
    for (Any a : r.getResourcesList()) {
      byName.put(name(a), a);
    }
    if (byName.isEmpty() && (type.equals(LDS) || type.equals(CDS))) {
      emptyPushes.incrementAndGet(); // an Envoy would drop every listener or cluster it has
    }
    held.put(type, byName);
    versions.put(type, r.getVersionInfo());
    request(type, List.copyOf(subscribed.getOrDefault(type, Set.of())), r.getVersionInfo(), r.getNonce(), null);
    follow(type);
  }

  private void onDelta(DeltaDiscoveryResponse r) {
    String type = r.getTypeUrl();
    offered.put(type, r.getSystemVersionInfo());
    count(type);
    if (nack.contains(type)) {
      deltaStream.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).setResponseNonce(r.getNonce())
          .setErrorDetail(Status.newBuilder().setCode(3).setMessage("test client rejects " + type)).build());
      return;
    }
    Map<String, Any> byName = new TreeMap<>(held.getOrDefault(type, Map.of()));
    for (Resource res : r.getResourcesList()) {
      byName.put(res.getName(), res.getResource());
    }
    r.getRemovedResourcesList().forEach(byName::remove);
    held.put(type, byName);
    versions.put(type, r.getSystemVersionInfo());
    deltaStream.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).setResponseNonce(r.getNonce()).build());
    follow(type);
  }

  /** After LDS: subscribe to the route configurations; after CDS: to the EDS clusters' assignments. */
  private void follow(String type) {
    List<String> names = new ArrayList<>();
    if (type.equals(LDS)) {
      for (Any a : held.get(LDS).values()) {
        names.addAll(rdsNames(a));
      }
      resubscribe(RDS, names);
    } else if (type.equals(CDS)) {
      names.addAll(edsClusters());
      // Like Envoy: no EDS subscription until some cluster is an EDS cluster.
      if (!names.isEmpty() || subscribed.containsKey(EDS)) {
        resubscribe(EDS, names);
      }
    }
    if (type.equals(LDS) || type.equals(CDS)) {
      // Like Envoy: the secrets its TLS contexts name with sds_config {ads: {}}, on the same stream.
      Set<String> secrets = new TreeSet<>(extraSecrets);
      for (String t : List.of(LDS, CDS)) {
        for (Any a : held.getOrDefault(t, Map.of()).values()) {
          secrets.addAll(adsSecretNames(a));
        }
      }
      if (!secrets.isEmpty() || subscribed.containsKey(SDS)) {
        resubscribe(SDS, new ArrayList<>(secrets));
      }
    }
  }

  /** Names of the SDS secrets a listener or cluster refers to with {@code sds_config: {ads: {}}}. */
  static List<String> adsSecretNames(Any a) {
    List<String> out = new ArrayList<>();
    try {
      List<io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext> contexts = new ArrayList<>();
      if (a.is(Listener.class)) {
        for (FilterChain c : a.unpack(Listener.class).getFilterChainsList()) {
          if (c.hasTransportSocket() && c.getTransportSocket().getTypedConfig().is(
              io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.class)) {
            contexts.add(c.getTransportSocket().getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.class).getCommonTlsContext());
          }
        }
      } else if (a.is(Cluster.class)) {
        Cluster c = a.unpack(Cluster.class);
        if (c.hasTransportSocket() && c.getTransportSocket().getTypedConfig().is(
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.class)) {
          contexts.add(c.getTransportSocket().getTypedConfig()
              .unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.class).getCommonTlsContext());
        }
      }
      for (var ctx : contexts) {
        ctx.getTlsCertificateSdsSecretConfigsList().stream().filter(x -> x.getSdsConfig().hasAds())
            .forEach(x -> out.add(x.getName()));
        if (ctx.hasCombinedValidationContext()
            && ctx.getCombinedValidationContext().getValidationContextSdsSecretConfig().getSdsConfig().hasAds()) {
          out.add(ctx.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private void resubscribe(String type, List<String> names) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(names));
    if (sorted.equals(new ArrayList<>(subscribed.getOrDefault(type, Set.of()))) && subscribed.containsKey(type)) {
      return;
    }
    if (delta) {
      subscribeDelta(type, sorted);
    } else {
      request(type, sorted, versions.getOrDefault(type, ""), "", null);
    }
  }

  private void count(String type) {
    responses.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
    responseTimes.add(System.nanoTime());
  }

  static List<String> rdsNames(Any a) {
    List<String> out = new ArrayList<>();
    try {
      Listener l = a.unpack(Listener.class);
      for (FilterChain c : l.getFilterChainsList()) {
        for (Filter f : c.getFiltersList()) {
          if (f.getTypedConfig().is(HttpConnectionManager.class)) {
            HttpConnectionManager h = f.getTypedConfig().unpack(HttpConnectionManager.class);
            if (h.hasRds()) {
              out.add(h.getRds().getRouteConfigName());
            }
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static String name(Any a) {
    try {
      if (a.is(Listener.class)) {
        return a.unpack(Listener.class).getName();
      }
      if (a.is(Cluster.class)) {
        return a.unpack(Cluster.class).getName();
      }
      if (a.is(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class)) {
        return a.unpack(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class).getName();
      }
      if (a.is(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.class)) {
        return a.unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.class).getName();
      }
      return a.unpack(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class).getClusterName();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Resources held, by type URL then name. */
  public Map<String, Map<String, Any>> held() {
    Map<String, Map<String, Any>> out = new TreeMap<>();
    held.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
    return out;
  }

  /** Responses received for a type. */
  public int responses(String type) {
    AtomicInteger n = responses.get(type);
    return n == null ? 0 : n.get();
  }

  /** Responses received in total. */
  public int responses() {
    return responses.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public String version(String type) {
    return versions.get(type);
  }

  /** The version of the last response of a type, accepted or rejected (null before the first). */
  public String offered(String type) {
    return offered.get(type);
  }

  /**
   * True when the last response of every type this client has received carries the version {@code
   * served} holds for it: nothing the server published for this node so far is still on its way.
   * The event to wait on before taking a baseline of {@link #responses}.
   */
  public boolean caughtUpWith(io.appmeshxds.translator.xds.XdsResources served) {
    if (served == null || offered.isEmpty()) {
      return false;
    }
    for (var t : io.appmeshxds.translator.xds.XdsResources.Type.values()) {
      String got = offered.get(t.typeUrl());
      if (got != null && !got.equals(served.version(t))) {
        return false;
      }
    }
    return true;
  }

  /** SotW listener or cluster responses that held no resource at all. */
  public int emptyPushes() {
    return emptyPushes.get();
  }

  /** How the stream ended (a status code name or COMPLETED), or null while it is open. */
  public String ended() {
    return ended;
  }

  /** The description of the status that ended the stream, or null. */
  public String endedDescription() {
    return endedDescription;
  }

  /**
   * True once listeners, route configurations and clusters arrived, and the load assignments of the
   * EDS clusters among them (none when every cluster is one Envoy resolves itself).
   */
  public boolean complete() {
    return held.keySet().containsAll(List.of(LDS, RDS, CDS)) && (held.containsKey(EDS) || edsClusters().isEmpty());
  }

  /** Names of the EDS clusters held. */
  private List<String> edsClusters() {
    List<String> names = new ArrayList<>();
    for (Any a : held.getOrDefault(CDS, Map.of()).values()) {
      try {
        Cluster c = a.unpack(Cluster.class);
        if (c.getType() == Cluster.DiscoveryType.EDS) {
          names.add(c.getName());
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    }
    return names;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
