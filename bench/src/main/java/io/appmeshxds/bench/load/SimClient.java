package io.appmeshxds.bench.load;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One simulated Envoy on a delta ADS stream: subscribes to LDS and CDS as wildcards, then to the
 * RouteConfigurations its listeners name and the ClusterLoadAssignments of its EDS clusters, and
 * ACKs every response by nonce after {@code ackDelayMillis}. It keeps only names and versions (no
 * protos), and counts responses, resources and bytes per type so the driver can tell what a change
 * cost each client.
 */
public final class SimClient {
  /** Type URLs, in the order of the counters. */
  public static final List<String> TYPES = List.of(
      "type.googleapis.com/envoy.config.listener.v3.Listener",
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
      "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment");
  public static final int LDS = 0;
  public static final int RDS = 1;
  public static final int CDS = 2;
  public static final int EDS = 3;

  /** Counters of one client, per type. */
  public record Counters(long[] responses, long[] resources, long[] bytes) {
    public static Counters zero() {
      return new Counters(new long[4], new long[4], new long[4]);
    }

    public Counters minus(Counters o) {
      long[] r = new long[4];
      long[] s = new long[4];
      long[] b = new long[4];
      for (int t = 0; t < 4; t++) {
        r[t] = responses[t] - o.responses[t];
        s[t] = resources[t] - o.resources[t];
        b[t] = bytes[t] - o.bytes[t];
      }
      return new Counters(r, s, b);
    }

    public long totalResponses() {
      return responses[0] + responses[1] + responses[2] + responses[3];
    }

    public long totalResources() {
      return resources[0] + resources[1] + resources[2] + resources[3];
    }

    public long totalBytes() {
      return bytes[0] + bytes[1] + bytes[2] + bytes[3];
    }
  }

  private final Node node;
  private final long ackDelayMillis;
  private final ScheduledExecutorService scheduler;
  private final List<Map<String, String>> held = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
  private final Map<String, List<String>> routesOfListener = new HashMap<>();
  private final Set<String> edsClusters = new TreeSet<>();
  private final List<Set<String>> subscribed = List.of(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
  private final long[] responses = new long[4];
  private final long[] resources = new long[4];
  private final long[] bytes = new long[4];
  private StreamObserver<DeltaDiscoveryRequest> out;
  private volatile String failure;
  private volatile boolean closed;

  public SimClient(String nodeId, long ackDelayMillis, ScheduledExecutorService scheduler) {
    this.node = Node.newBuilder().setId(nodeId).setCluster("bench").setUserAgentName("envoy").setUserAgentVersion("1.34.0")
        .build();
    this.ackDelayMillis = ackDelayMillis;
    this.scheduler = scheduler;
  }

  /** Opens the stream and sends the wildcard LDS and CDS subscriptions. */
  public SimClient start(Channel channel) {
    StreamObserver<DeltaDiscoveryRequest> o = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .deltaAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DeltaDiscoveryResponse r) {
            try {
              onResponse(r);
            } catch (RuntimeException e) {
              failure = e.toString();
            }
          }

          @Override
          public void onError(Throwable t) {
            if (!closed) {
              failure = Status.fromThrowable(t).toString();
            }
          }

          @Override
          public void onCompleted() {
            if (!closed) {
              failure = "server completed the stream";
            }
          }
        });
    synchronized (this) {
      out = o;
      send(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(TYPES.get(LDS)).build());
      send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(TYPES.get(CDS)).build());
    }
    return this;
  }

  private synchronized void onResponse(DeltaDiscoveryResponse r) {
    int t = TYPES.indexOf(r.getTypeUrl());
    if (t < 0) {
      ack(r);
      return;
    }
    responses[t]++;
    resources[t] += r.getResourcesCount();
    bytes[t] += r.getSerializedSize();
    Map<String, String> h = held.get(t);
    for (Resource res : r.getResourcesList()) {
      h.put(res.getName(), res.getVersion());
      if (t == LDS) {
        routesOfListener.put(res.getName(), rdsNames(res.getResource()));
      } else if (t == CDS) {
        if (isEds(res.getResource())) {
          edsClusters.add(res.getName());
        } else {
          edsClusters.remove(res.getName());
        }
      }
    }
    for (String gone : r.getRemovedResourcesList()) {
      h.remove(gone);
      if (t == LDS) {
        routesOfListener.remove(gone);
      } else if (t == CDS) {
        edsClusters.remove(gone);
      }
    }
    // Like Envoy: new subscriptions follow from what the response added, then the ACK.
    if (t == LDS) {
      Set<String> want = new TreeSet<>();
      routesOfListener.values().forEach(want::addAll);
      resubscribe(RDS, want);
    } else if (t == CDS) {
      resubscribe(EDS, new TreeSet<>(edsClusters));
    }
    ack(r);
  }

  private void ack(DeltaDiscoveryResponse r) {
    DeltaDiscoveryRequest ack = DeltaDiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setResponseNonce(r.getNonce()).build();
    if (ackDelayMillis <= 0) {
      send(ack);
    } else {
      scheduler.schedule(() -> {
        synchronized (this) {
          send(ack);
        }
      }, ackDelayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void resubscribe(int t, Set<String> want) {
    Set<String> have = subscribed.get(t);
    List<String> add = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    want.forEach(n -> {
      if (!have.contains(n)) {
        add.add(n);
      }
    });
    have.forEach(n -> {
      if (!want.contains(n)) {
        remove.add(n);
      }
    });
    if (add.isEmpty() && remove.isEmpty()) {
      return;
    }
    have.clear();
    have.addAll(want);
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(TYPES.get(t)).addAllResourceNamesSubscribe(add)
        .addAllResourceNamesUnsubscribe(remove).build());
  }

  /** Callers hold the monitor: a stream's request observer is not thread-safe. */
  private void send(DeltaDiscoveryRequest req) {
    if (closed || out == null) {
      return;
    }
    try {
      out.onNext(req);
    } catch (RuntimeException e) {
      failure = e.toString();
    }
  }

  static List<String> rdsNames(Any a) {
    List<String> names = new ArrayList<>();
    try {
      Listener l = a.unpack(Listener.class);
      for (FilterChain c : l.getFilterChainsList()) {
        for (Filter f : c.getFiltersList()) {
          if (f.getTypedConfig().is(HttpConnectionManager.class)) {
            HttpConnectionManager h = f.getTypedConfig().unpack(HttpConnectionManager.class);
            if (h.hasRds()) {
              names.add(h.getRds().getRouteConfigName());
            }
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("listener does not parse", e);
    }
    return names;
  }

  static boolean isEds(Any a) {
    try {
      return a.unpack(Cluster.class).getType() == Cluster.DiscoveryType.EDS;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cluster does not parse", e);
    }
  }

  public synchronized Counters counters() {
    return new Counters(responses.clone(), resources.clone(), bytes.clone());
  }

  /** Whether every type it subscribes to has arrived (RDS and EDS only once subscribed). */
  public synchronized boolean complete() {
    return responses[LDS] > 0 && responses[CDS] > 0 && (subscribed.get(RDS).isEmpty() || responses[RDS] > 0)
        && (subscribed.get(EDS).isEmpty() || responses[EDS] > 0);
  }

  /** Names held per type (for tests). */
  public synchronized Map<String, String> held(int type) {
    return Map.copyOf(held.get(type));
  }

  /** Why the stream broke, or null while it is healthy. */
  public String failure() {
    return failure;
  }

  public void close() {
    closed = true;
    synchronized (this) {
      if (out != null) {
        try {
          out.onCompleted();
        } catch (RuntimeException e) {
          // already closed
        }
      }
    }
  }
}
