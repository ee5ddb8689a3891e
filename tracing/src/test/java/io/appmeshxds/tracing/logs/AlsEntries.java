package io.appmeshxds.tracing.logs;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;

/** Access-log entries as Envoy sends them. */
final class AlsEntries {
  private AlsEntries() {}

  static Node node(String id, String pod) {
    Node.Builder n = Node.newBuilder().setId(id).setCluster(id).setUserAgentName("envoy");
    if (pod != null) {
      n.setMetadata(Struct.newBuilder().putFields("POD_NAME", Value.newBuilder().setStringValue(pod).build()));
    }
    return n.build();
  }

  static Address address(String ip, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }

  static HTTPAccessLogEntry http(long startMillis, String requestId, String path) {
    return HTTPAccessLogEntry.newBuilder()
        .setCommonProperties(AccessLogCommon.newBuilder()
            .setStartTime(Timestamp.newBuilder().setSeconds(startMillis / 1000).setNanos((int) (startMillis % 1000) * 1_000_000))
            .setDuration(Duration.newBuilder().setNanos(5_000_000))
            .setUpstreamRemoteAddress(address("10.0.3.7", 8080))
            .setDownstreamRemoteAddress(address("10.0.1.2", 51000))
            .setUpstreamCluster("cds_egress_shop_web_shop_http_8080"))
        .setProtocolVersion(HTTPAccessLogEntry.HTTPVersion.HTTP11)
        .setRequest(HTTPRequestProperties.newBuilder()
            .setRequestMethod(RequestMethod.GET)
            .setPath(path)
            .setAuthority("web.shop:8080")
            .setRequestId(requestId)
            .setUserAgent("curl/8.5.0")
            .setForwardedFor("10.0.1.2")
            .setRequestBodyBytes(0)
            .putRequestHeaders("x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
        .setResponse(HTTPResponseProperties.newBuilder()
            .setResponseCode(UInt32Value.of(200))
            .setResponseBodyBytes(1234)
            .putResponseHeaders("x-envoy-upstream-service-time", "4"))
        .build();
  }
}
