package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Connection pool settings, shared by VirtualNode and VirtualGateway listeners. */
public final class ConnectionPools {
  private ConnectionPools() {}

  /** {@code tcp: {maxConnections}}. */
  public record Tcp(@Required @Min(1) Long maxConnections) {}

  /** {@code http: {maxConnections, maxPendingRequests?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Http(@Required @Min(1) Long maxConnections, @Min(1) Long maxPendingRequests) {}

  /** {@code http2|grpc: {maxRequests}}. */
  public record Http2(@Required @Min(1) Long maxRequests) {}
}
