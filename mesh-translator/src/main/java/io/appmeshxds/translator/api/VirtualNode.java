package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A VirtualNode: one deployment's pods behind one sidecar configuration. */
public record VirtualNode(ObjectMeta metadata, Spec spec) implements MeshObject {

  public VirtualNode {
    spec = spec == null ? new Spec(null, null, null, null, null, null, null, null, null) : spec;
  }

  @Override
  public Kind kind() {
    return Kind.VirtualNode;
  }

  /** {@code VirtualNodeSpec}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(
      String awsName,
      LabelSelector podSelector,
      List<Listener> listeners,
      ServiceDiscovery serviceDiscovery,
      List<Backend> backends,
      List<Reference> backendGroups,
      Tls.BackendDefaults backendDefaults,
      Logging logging,
      MeshReference meshRef) {
    public Spec {
      listeners = Lists.copy(listeners);
      backends = Lists.copy(backends);
      backendGroups = Lists.copy(backendGroups);
    }
  }

  /** One application port. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Listener(
      @Required PortMapping portMapping,
      HealthCheck healthCheck,
      OutlierDetection outlierDetection,
      ConnectionPool connectionPool,
      ListenerTls tls,
      ListenerTimeout timeout) {}

  /** {@code HealthCheckPolicy}; every field but path and port is required. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HealthCheck(
      @Required @Min(2) @Max(10) Long healthyThreshold,
      @Required @Min(5000) @Max(300000) Long intervalMillis,
      String path,
      @Min(1) @Max(65535) Long port,
      @Required PortProtocol protocol,
      @Required @Min(2000) @Max(60000) Long timeoutMillis,
      @Required @Min(2) @Max(10) Long unhealthyThreshold) {}

  /** Outlier detection (applied by clients of this node). */
  public record OutlierDetection(
      @Required @Min(1) Long maxServerErrors,
      @Required Duration interval,
      @Required Duration baseEjectionDuration,
      @Required @Min(0) @Max(100) Long maxEjectionPercent) {}

  /** Exactly one of tcp, http, http2, grpc; must match the listener protocol. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConnectionPool(
      ConnectionPools.Tcp tcp,
      ConnectionPools.Http http,
      ConnectionPools.Http2 http2,
      ConnectionPools.Http2 grpc) {}

  /** Listener TLS. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ListenerTls(
      @Required Tls.ListenerCertificate certificate,
      @Required Tls.Mode mode,
      Tls.ListenerValidationContext validation) {}

  /** Exactly one of tcp, http, http2, grpc. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ListenerTimeout(TcpTimeout tcp, HttpTimeout http, HttpTimeout http2, HttpTimeout grpc) {}

  /** Exactly one of awsCloudMap or dns. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ServiceDiscovery(CloudMap awsCloudMap, Dns dns) {}

  /** {@code awsCloudMap}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record CloudMap(
      @Required @Size(min = 1, max = 1024) String namespaceName,
      @Required @Size(min = 1, max = 1024) String serviceName,
      List<CloudMapAttribute> attributes) {
    public CloudMap {
      attributes = Lists.copy(attributes);
    }
  }

  /** {@code {key, value}} instance attribute filter. */
  public record CloudMapAttribute(
      @Required @Size(min = 1, max = 255) String key, @Required @Size(min = 1, max = 1024) String value) {}

  /** {@code dns: {hostname, responseType?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Dns(@Required String hostname, DnsResponseType responseType) {}

  /** LOADBALANCER (default) = Envoy LOGICAL_DNS, ENDPOINTS = STRICT_DNS. */
  public enum DnsResponseType {
    ENDPOINTS,
    LOADBALANCER
  }

  /** {@code backends[]: {virtualService: {...}}}. */
  public record Backend(@Required VirtualServiceBackend virtualService) {}

  /** Exactly one of virtualServiceRef or virtualServiceARN, plus an optional client policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VirtualServiceBackend(
      Reference virtualServiceRef, String virtualServiceARN, Tls.ClientPolicy clientPolicy) {}
}
