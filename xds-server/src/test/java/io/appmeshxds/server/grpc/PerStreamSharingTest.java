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
