package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A GatewayRoute: a VirtualGateway rule sending matched requests to a VirtualService. */
public record GatewayRoute(ObjectMeta metadata, Spec spec) implements MeshObject {

  public GatewayRoute {
    spec = spec == null ? new Spec(null, null, null, null, null, null, null) : spec;
  }

  @Override
  public Kind kind() {
    return Kind.GatewayRoute;
  }

  /** Default priority: 1000, the lowest. */
  public static final long DEFAULT_PRIORITY = 1000;

  /** {@code GatewayRouteSpec}: exactly one of grpcRoute, httpRoute, http2Route. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      String awsName,
      @Min(0) @Max(1000) Long priority,
      GrpcGatewayRoute grpcRoute,
      HttpGatewayRoute httpRoute,
      HttpGatewayRoute http2Route,
      VirtualGatewayReference virtualGatewayRef,
      MeshReference meshRef) {}

  /** {@code target: {virtualService, port?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Target(@Required TargetVirtualService virtualService, @Min(0) Long port) {}

  /** Exactly one of virtualServiceRef or virtualServiceARN. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TargetVirtualService(Reference virtualServiceRef, String virtualServiceARN) {}

  /** Exactly one of exact or suffix. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HostnameMatch(@Size(min = 1, max = 253) String exact, @Size(min = 1, max = 253) String suffix) {}

  /** {@code defaultTargetHostname} / {@code defaultPrefix} values. */
  public enum Toggle {
    ENABLED,
    DISABLED
  }

  /** {@code hostname: {defaultTargetHostname}}. */
  public record HostnameRewrite(Toggle defaultTargetHostname) {}

  /** {@code prefix: {defaultPrefix | value}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PrefixRewrite(Toggle defaultPrefix, @Size(min = 1, max = 255) String value) {}

  /** {@code path: {exact}}. */
  public record PathRewrite(@Size(min = 1, max = 255) String exact) {}

  /** {@code httpRoute} / {@code http2Route}. */
  public record HttpGatewayRoute(@Required HttpMatch match, @Required HttpAction action) {}

  /** HTTP gateway route match. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record HttpMatch(
      String prefix,
      HttpPathMatch path,
      @Size(min = 1, max = 10) List<QueryParameterMatch> queryParameters,
      HttpMethod method,
      HostnameMatch hostname,
      @Size(min = 1, max = 10) List<HeaderMatch> headers,
      @Min(0) Long port) {
    public HttpMatch {
      queryParameters = Lists.copy(queryParameters);
      headers = Lists.copy(headers);
    }
  }

  /** {@code action: {target, rewrite?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpAction(@Required Target target, HttpRewrite rewrite) {}

  /** {@code rewrite: {prefix?, path?, hostname?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpRewrite(PrefixRewrite prefix, PathRewrite path, HostnameRewrite hostname) {}

  /** {@code grpcRoute}. */
  public record GrpcGatewayRoute(@Required GrpcMatch match, @Required GrpcAction action) {}

  /** gRPC gateway route match: serviceName and/or hostname required. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record GrpcMatch(
      String serviceName, HostnameMatch hostname, @Size(min = 1, max = 10) List<HeaderMatch> metadata, @Min(0) Long port) {
    public GrpcMatch {
      metadata = Lists.copy(metadata);
    }
  }

  /** {@code action: {target, rewrite?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GrpcAction(@Required Target target, GrpcRewrite rewrite) {}

  /** {@code rewrite: {hostname?}}. */
  public record GrpcRewrite(HostnameRewrite hostname) {}
}
