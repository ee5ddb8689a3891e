package io.appmeshxds.tracing.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.ConnectionProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Entries to JSON events, and proxies to log groups and streams. */
class EventFormatterTest {
  static final ProxyIdentity FRONT = new ProxyIdentity("shop", "front_shop", false, "front-7d9f-abcde");
  static final long START = 1_790_000_000_123L;

  @Test
  void httpEntryCarriesAppMeshDefaultFieldsAndTheTraceId() {
    HTTPAccessLogEntry e = AlsEntries.http(START, "req-1", "/api/items/1").toBuilder()
        .setRequest(AlsEntries.http(START, "req-1", "/api/items/1").getRequest().toBuilder().setOriginalPath("/orig?q=\"x\""))
        .build();
    e = e.toBuilder().setCommonProperties(e.getCommonProperties().toBuilder()
        .setResponseFlags(ResponseFlags.newBuilder().setNoHealthyUpstream(true).setUpstreamConnectionFailure(true))).build();
    LogEvent ev = EventFormatter.http(e, FRONT, 0);
    JsonNode j = FakeCloudWatch.JSON.readTree(ev.message());

    assertThat(ev.timestamp()).isEqualTo(START + 5);
    assertThat(j.propertyNames()).containsExactly("start_time", "method", "path", "protocol", "response_code",
        "response_flags", "bytes_received", "bytes_sent", "duration", "upstream_service_time", "x_forwarded_for",
        "user_agent", "request_id", "authority", "upstream_host", "trace_id", "upstream_cluster", "mesh", "virtual_node");
    assertThat(j.get("start_time").asString()).isEqualTo("2026-09-21T14:13:20.123Z");
    assertThat(j.get("method").asString()).isEqualTo("GET");
    assertThat(j.get("path").asString()).as("X-ENVOY-ORIGINAL-PATH wins, as in %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%")
        .isEqualTo("/orig?q=\"x\"");
    assertThat(j.get("protocol").asString()).isEqualTo("HTTP/1.1");
    assertThat(j.get("response_code").asInt()).isEqualTo(200);
    assertThat(j.get("response_flags").asString()).isEqualTo("UH,UF");
    assertThat(j.get("bytes_received").asLong()).isZero();
    assertThat(j.get("bytes_sent").asLong()).isEqualTo(1234);
    assertThat(j.get("duration").asLong()).isEqualTo(5);
    assertThat(j.get("upstream_service_time").asString()).isEqualTo("4");
    assertThat(j.get("x_forwarded_for").asString()).isEqualTo("10.0.1.2");
    assertThat(j.get("user_agent").asString()).isEqualTo("curl/8.5.0");
    assertThat(j.get("request_id").asString()).isEqualTo("req-1");
    assertThat(j.get("authority").asString()).isEqualTo("web.shop:8080");
    assertThat(j.get("upstream_host").asString()).isEqualTo("10.0.3.7:8080");
    assertThat(j.get("trace_id").asString()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(j.get("mesh").asString()).isEqualTo("shop");
    assertThat(j.get("virtual_node").asString()).isEqualTo("front_shop");
  }

  @Test
  void missingValuesAreNullAndW3cTraceparentIsUsedWithoutXRay() {
    HTTPAccessLogEntry e = HTTPAccessLogEntry.newBuilder()
        .setRequest(io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties.newBuilder().setPath("/x")
            .putRequestHeaders("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .build();
    LogEvent ev = EventFormatter.http(e, new ProxyIdentity("m", "gw_ns", true, "i"), 42L);
    JsonNode j = FakeCloudWatch.JSON.readTree(ev.message());
    assertThat(ev.timestamp()).as("no start time: now").isEqualTo(42L);
    assertThat(j.get("trace_id").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(j.get("start_time").isNull()).isTrue();
    assertThat(j.get("request_id").isNull()).isTrue();
    assertThat(j.get("response_flags").asString()).isEqualTo("-");
    assertThat(j.get("virtual_gateway").asString()).isEqualTo("gw_ns");
  }

  @Test
  void tcpEntry() {
    TCPAccessLogEntry e = TCPAccessLogEntry.newBuilder()
        .setCommonProperties(AccessLogCommon.newBuilder()
            .setStartTime(Timestamp.newBuilder().setSeconds(START / 1000))
            .setDuration(Duration.newBuilder().setSeconds(2))
            .setUpstreamRemoteAddress(AlsEntries.address("10.0.3.9", 6379))
            .setDownstreamRemoteAddress(AlsEntries.address("::1", 4000))
            .setUpstreamCluster("cds_egress_shop_cache_shop_tcp_6379"))
        .setConnectionProperties(ConnectionProperties.newBuilder().setReceivedBytes(10).setSentBytes(20))
        .build();
    LogEvent ev = EventFormatter.tcp(e, FRONT, 0);
    JsonNode j = FakeCloudWatch.JSON.readTree(ev.message());
    assertThat(ev.timestamp()).isEqualTo(START / 1000 * 1000 + 2000);
    assertThat(j.get("protocol").asString()).isEqualTo("TCP");
    assertThat(j.get("bytes_received").asLong()).isEqualTo(10);
    assertThat(j.get("bytes_sent").asLong()).isEqualTo(20);
    assertThat(j.get("duration").asLong()).isEqualTo(2000);
    assertThat(j.get("upstream_host").asString()).isEqualTo("10.0.3.9:6379");
    assertThat(j.get("downstream_remote_address").asString()).isEqualTo("[::1]:4000");
  }

  @Test
  void proxiesPickTheirLogGroupAndStream() {
    String pattern = "/appmesh/{mesh}/{virtualNode}";
    assertThat(ProxyIdentity.of(AlsEntries.node("mesh/shop/virtualNode/front_shop", "front-7d9f-abcde"), "front_shop",
        "10.0.1.2", 1).target(pattern))
        .isEqualTo(new LogTarget("/appmesh/shop/front_shop", "front_shop/front-7d9f-abcde"));
    assertThat(ProxyIdentity.of(AlsEntries.node("arn:aws:appmesh:us-west-2:111122223333:mesh/shop/virtualGateway/gw_edge",
        null), "gw_edge", "10.0.1.9", 2).target(pattern))
        .as("without a pod name, the peer IP names the instance")
        .isEqualTo(new LogTarget("/appmesh/shop/gw_edge", "gw_edge/10.0.1.9"));
    assertThat(ProxyIdentity.of(AlsEntries.node("sidecar~10.1.1.1~x", null), "my:log*name", "fe80::1", 3).target(pattern))
        .as("a node id that is not App Mesh's; characters CloudWatch refuses are replaced")
        .isEqualTo(new LogTarget("/appmesh/unknown/my_log_name", "my_log_name/fe80__1"));
    assertThat(ProxyIdentity.of(AlsEntries.node("x", null), "", null, 7).instance()).isEqualTo("stream-7");
  }
}
