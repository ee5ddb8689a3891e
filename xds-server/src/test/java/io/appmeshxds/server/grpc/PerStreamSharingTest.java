package io.appmeshxds.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a held stream keeps is shared with every other stream where it can be: the names and
 * versions java-control-plane keeps per stream are our strings, not a copy from each client's
 * request (T7 counts the heap of every held stream; the client's copies were 4 KB of each).
 */
class PerStreamSharingTest {
  private static final NodeKey KEY = NodeKey.sidecar("m", "a_ns");
  private static final Node NODE = Node.newBuilder().setId("mesh/m/virtualNode/a_ns").setUserAgentName("envoy").build();
  private static final String EDS = XdsResources.Type.ENDPOINT.typeUrl();

  @Test
  void aDeltaResponseNamesEachResourceByOurOwnString() {
    XdsCache cache = new XdsCache(new XdsCache.Listener() {}, new StreamTracker());
    String name = "cds_egress_m_b_ns_http_8080";
    XdsResources.Resource cla = XdsResources.Resource.of(name, ClusterLoadAssignment.newBuilder().setClusterName(name).build());
    cache.set(KEY, new XdsResources(KEY, Map.of(XdsResources.Type.ENDPOINT, List.of(cla))));
    String asked = new String(name.toCharArray()); // the client's copy, as parsed from its request
    DeltaDiscoveryRequest req = DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(EDS).addResourceNamesSubscribe(asked)
        .build();
    List<DeltaResponse> sent = new ArrayList<>();
    cache.createDeltaWatch(DeltaXdsRequest.create(req), "", Map.of(), Set.of(asked), false, sent::add, false);

    assertThat(sent).hasSize(1);
    String key = sent.get(0).resources().keySet().iterator().next();
    assertThat(key).isEqualTo(asked).isNotSameAs(asked).isSameAs(cla.name());
    assertThat(sent.get(0).resources().get(key).version()).isSameAs(cla.hash());
  }

  /**
   * A delta watch parked because its client is up to date keeps no copy of the client's versions
   * (it reads them from the resources it was compared with), and answers a later change exactly as
   * a copy would: changed and new wanted resources sent, gone ones removed, nothing else.
   */
  @Test
  void aParkedDeltaWatchAnswersAChangeAsWithACopyOfTheVersions() {
    XdsCache cache = new XdsCache(new XdsCache.Listener() {}, new StreamTracker());
    XdsResources.Resource a = cla("a", 1);
    XdsResources.Resource b = cla("b", 1);
    XdsResources.Resource c = cla("c", 1);
    cache.set(KEY, new XdsResources(KEY, Map.of(XdsResources.Type.ENDPOINT, List.of(a, b, c))));
    // Tracks a and b (c exists but was never asked for), waits for d (not there yet).
    DeltaDiscoveryRequest req = DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(EDS).setResponseNonce("3").build();
    List<DeltaResponse> sent = new ArrayList<>();
    var w = cache.createDeltaWatch(DeltaXdsRequest.create(req), "v", Map.of("a", a.hash(), "b", b.hash()), Set.of("d"), false,
        sent::add, false);
    assertThat(sent).as("up to date: parked").isEmpty();
    assertThat(w.trackedResources()).isEqualTo(Map.of("a", a.hash(), "b", b.hash()));
    assertThat(w.pendingResources()).containsExactly("d");
    assertThat(cache.openWatches()).isEqualTo(1);

    // a changes, b goes, c changes (not tracked: nothing), d appears (pending: sent).
    XdsResources.Resource a2 = cla("a", 2);
    XdsResources.Resource c2 = cla("c", 2);
    XdsResources.Resource d = cla("d", 1);
    cache.set(KEY, new XdsResources(KEY, Map.of(XdsResources.Type.ENDPOINT, List.of(a2, c2, d))));
    assertThat(sent).hasSize(1);
    DeltaResponse r = sent.get(0);
    assertThat(r.resources().keySet()).containsExactlyInAnyOrder("a", "d");
    assertThat(r.resources().get("a").version()).isEqualTo(a2.hash());
    assertThat(r.removedResources()).containsExactly("b");
    assertThat(r.request().getTypeUrl()).isEqualTo(EDS);

    // Wildcard (clusters): up to date with everything, then one changes and one is added.
    String cds = XdsResources.Type.CLUSTER.typeUrl();
    XdsResources.Resource x = cluster("x", 1);
    cache.set(KEY, new XdsResources(KEY, Map.of(XdsResources.Type.CLUSTER, List.of(x))));
    List<DeltaResponse> clusters = new ArrayList<>();
    var cw = cache.createDeltaWatch(DeltaXdsRequest.create(req.toBuilder().setTypeUrl(cds).build()), "v", Map.of("x", x.hash()),
        Set.of(), true, clusters::add, false);
    assertThat(clusters).isEmpty();
    assertThat(cw.trackedResources()).isEqualTo(Map.of("x", x.hash()));
    XdsResources.Resource x2 = cluster("x", 2);
    XdsResources.Resource y = cluster("y", 1);
    cache.set(KEY, new XdsResources(KEY, Map.of(XdsResources.Type.CLUSTER, List.of(x2, y))));
    assertThat(clusters).hasSize(1);
    assertThat(clusters.get(0).resources().keySet()).containsExactlyInAnyOrder("x", "y");
    assertThat(clusters.get(0).removedResources()).isEmpty();
  }

  private static XdsResources.Resource cla(String name, int weight) {
    return XdsResources.Resource.of(name, ClusterLoadAssignment.newBuilder().setClusterName(name)
        .putNamedEndpoints("e", io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
            .setHostname("h" + weight).build()).build());
  }

  private static XdsResources.Resource cluster(String name, int timeoutSeconds) {
    return XdsResources.Resource.of(name, io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder().setName(name)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeoutSeconds)).build());
  }

  @Test
  void requestsCarryOurTypeUrlAndTheStreamsNode() {
    List<Object> seen = new ArrayList<>();
    ServerCall.Listener<Object> listener = new StickyNodeInterceptor().interceptCall(new NoCall(), new Metadata(),
        (call, headers) -> new ServerCall.Listener<>() {
          @Override
          public void onMessage(Object message) {
            seen.add(message);
          }
        });
    String clientsCopy = new String(EDS.toCharArray());
    listener.onMessage(DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(clientsCopy).build());
    listener.onMessage(DeltaDiscoveryRequest.newBuilder().setTypeUrl(clientsCopy).setResponseNonce("0").build());
    listener.onMessage(DiscoveryRequest.newBuilder().setTypeUrl(clientsCopy).build());
    String other = "type.googleapis.com/envoy.service.runtime.v3.Runtime";
    listener.onMessage(DeltaDiscoveryRequest.newBuilder().setTypeUrl(other).build());

    DeltaDiscoveryRequest first = (DeltaDiscoveryRequest) seen.get(0);
    DeltaDiscoveryRequest ack = (DeltaDiscoveryRequest) seen.get(1);
    assertThat(first.getTypeUrl()).isSameAs(EDS);
    assertThat(first.getNode()).isEqualTo(NODE);
    assertThat(ack.getTypeUrl()).isSameAs(EDS);
    assertThat(ack.getNode()).isEqualTo(NODE);
    assertThat(ack.getResponseNonce()).isEqualTo("0");
    assertThat(((DiscoveryRequest) seen.get(2)).getTypeUrl()).isSameAs(EDS);
    assertThat(((DeltaDiscoveryRequest) seen.get(3)).getTypeUrl()).isEqualTo(other);
  }

  @Test
  void anAckReportsTheVersionStringWeSent() {
    StreamTracker t = new StreamTracker();
    t.opened(1);
    String version = "0123456789abcdef";
    t.sentDelta(1, EDS, "7", version);
    assertThat(t.sentVersion(1, EDS, "7")).isSameAs(version);
    assertThat(t.sentVersion(1, EDS, "6")).isNull();
    assertThat(t.sentVersion(1, EDS, "")).isNull();
    // A delta stream keeps no names: the next request of the stream hands the cache none.
    t.requested(1, EDS, List.of());
    assertThat(t.takeHeld()).isEmpty();
    t.closed(1);
    assertThat(t.streams()).isZero();
  }

  /** A server call that does nothing: the interceptor only passes messages on. */
  private static final class NoCall extends ServerCall<Object, Object> {
    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(Object message) {}

    @Override
    public void close(Status status, Metadata trailers) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public MethodDescriptor<Object, Object> getMethodDescriptor() {
      return null;
    }
  }
}
