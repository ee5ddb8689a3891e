package io.appmeshxds.server.testing;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A grpc-java proxyless xDS channel ({@code xds:///target}) with its own bootstrap pointing at our
 * server on loopback, so each test class has an isolated XdsClient.
 */
public final class XdsChannel implements AutoCloseable {
  private final ManagedChannel channel;

  public XdsChannel(int xdsPort, String nodeId, String target) {
    this(xdsPort, nodeId, target, Map.of("type", "insecure"));
  }

  /** With these {@code channel_creds} to the control plane (e.g. {@link FileTlsXdsCredentials}). */
  public XdsChannel(int xdsPort, String nodeId, String target, Map<String, ?> channelCreds) {
    Map<String, Object> bootstrap = Map.of(
        "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + xdsPort,
            "channel_creds", List.of(channelCreds),
            "server_features", List.of("xds_v3"))),
        "node", Map.of("id", nodeId, "locality", Map.of()));
    NameResolverRegistry registry = new NameResolverRegistry();
    registry.register(XdsNameResolverProvider.createForTest("xds", bootstrap));
    channel = Grpc.newChannelBuilder("xds:///" + target, InsecureChannelCredentials.create(), registry).build();
  }

  /** One Health/Check call; returns the backend id, or the status code name if the call fails. */
  public String call(Map<String, String> headers, long deadlineMillis) {
    Metadata md = new Metadata();
    headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    AtomicReference<Metadata> h = new AtomicReference<>();
    AtomicReference<Metadata> t = new AtomicReference<>();
    try {
      HealthGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md), MetadataUtils.newCaptureMetadataInterceptor(h, t))
          .withWaitForReady()
          .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return h.get() == null ? "no-headers" : h.get().get(Backend.ID);
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  public String call() {
    return call(Map.of(), 20_000);
  }

  /** Where {@code n} calls went: backend id → count. */
  public Map<String, Integer> tally(int n, Map<String, String> headers) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      out.merge(call(headers, 20_000), 1, Integer::sum);
    }
    return out;
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** Unused marker to keep CallOptions import meaningful for future per-call options. */
  static CallOptions defaults() {
    return CallOptions.DEFAULT;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
