package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A VirtualGateway: an ingress Envoy for traffic entering the mesh. */
public record VirtualGateway(ObjectMeta metadata, Spec spec) implements MeshObject {

  public VirtualGateway {
    spec = spec == null ? new Spec(null, null, null, null, null, null, null, null) : spec;
  }

  @Override
  public Kind kind() {
    return Kind.VirtualGateway;
  }

  /** {@code VirtualGatewaySpec}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(
      String awsName,
      LabelSelector namespaceSelector,
      LabelSelector podSelector,
      LabelSelector gatewayRouteSelector,
      List<Listener> listeners,
      Logging logging,
      Tls.BackendDefaults backendDefaults,
      MeshReference meshRef) {
    public Spec {
      listeners = Lists.copy(listeners);
    }
  }

  /** Gateway protocols (no tcp). */
  public enum Protocol {
    grpc,
    http,
    http2;

    /** The same value as a {@link PortProtocol}. */
    public PortProtocol asPortProtocol() {
      return PortProtocol.valueOf(name());
    }
  }

  /** {@code {port, protocol}}. */
  public record PortMapping(@Required @Min(1) @Max(65535) Long port, @Required Protocol protocol) {}

  /** One gateway listener. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Listener(
      @Required PortMapping portMapping, HealthCheck healthCheck, ConnectionPool connectionPool, ListenerTls tls) {}

  /** Gateway health check (the API requires healthyThreshold, the CRD does not). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HealthCheck(
      @Min(2) @Max(10) Long healthyThreshold,
      @Required @Min(5000) @Max(300000) Long intervalMillis,
      String path,
      @Min(1) @Max(65535) Long port,
      @Required Protocol protocol,
      @Required @Min(2000) @Max(60000) Long timeoutMillis,
      @Required @Min(2) @Max(10) Long unhealthyThreshold) {}

  /** Exactly one of http, http2, grpc. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConnectionPool(ConnectionPools.Http http, ConnectionPools.Http2 http2, ConnectionPools.Http2 grpc) {}

  /** Gateway listener TLS (its trust may name ACM in the CRD, which the API refused). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ListenerTls(
      @Required Tls.ListenerCertificate certificate, Tls.ValidationContext validation, @Required Tls.Mode mode) {}
}
