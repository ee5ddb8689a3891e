package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A VirtualRouter: routes of a VirtualService, with weighted VirtualNode targets. */
public record VirtualRouter(ObjectMeta metadata, Spec spec) implements MeshObject {

  public VirtualRouter {
    spec = spec == null ? new Spec(null, null, null, null) : spec;
  }

  @Override
  public Kind kind() {
    return Kind.VirtualRouter;
  }

  /**
   * {@code VirtualRouterSpec}. {@code listeners} may be left out (the field is optional) but, as in
   * App Mesh's CRD, not written as an empty list ({@code minItems: 1}).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(
      String awsName, @Size(min = 1) List<RouterListener> listeners, List<Route> routes, MeshReference meshRef) {
    public Spec {
      listeners = Lists.copy(listeners);
      routes = Lists.copy(routes);
    }
  }

  /** {@code {portMapping}}. */
  public record RouterListener(@Required PortMapping portMapping) {}

  /** One route: a name, exactly one route type, an optional priority (0 = highest). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Route(
      @Required String name,
      GrpcRoute grpcRoute,
      HttpRoute httpRoute,
      HttpRoute http2Route,
      TcpRoute tcpRoute,
      @Min(0) @Max(1000) Long priority) {}

  /** Exactly one of virtualNodeRef or virtualNodeARN, a weight, and a port for multi-listener nodes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WeightedTarget(
      Reference virtualNodeRef, String virtualNodeARN, @Required @Min(0) @Max(100) Long weight, @Min(0) Long port) {}

  /** {@code action: {weightedTargets: [1..10]}} (HTTP, HTTP/2, gRPC and TCP alike). */
  public record RouteAction(@Required @Size(min = 1, max = 10) List<WeightedTarget> weightedTargets) {
    public RouteAction {
      weightedTargets = Lists.copy(weightedTargets);
    }
  }

  /** {@code httpRoute} and {@code http2Route}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpRoute(
      @Required HttpRouteMatch match, @Required RouteAction action, HttpRetryPolicy retryPolicy, HttpTimeout timeout) {}

  /** HTTP match conditions (ANDed). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record HttpRouteMatch(
      @Size(min = 1, max = 10) List<HeaderMatch> headers,
      HttpMethod method,
      String prefix,
      Scheme scheme,
      HttpPathMatch path,
      @Size(min = 1, max = 10) List<QueryParameterMatch> queryParameters,
      @Min(0) Long port) {
    public HttpRouteMatch {
      headers = Lists.copy(headers);
      queryParameters = Lists.copy(queryParameters);
    }
  }

  /** {@code match.scheme} (HTTP/2 routes). */
  public enum Scheme {
    http,
    https
  }

  /** HTTP retry policy. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record HttpRetryPolicy(
      @Size(min = 1, max = 25) List<HttpRetryEvent> httpRetryEvents,
      @Size(min = 1, max = 1) List<TcpRetryEvent> tcpRetryEvents,
      @Required @Min(0) Long maxRetries,
      @Required Duration perRetryTimeout) {
    public HttpRetryPolicy {
      httpRetryEvents = Lists.copy(httpRetryEvents);
      tcpRetryEvents = Lists.copy(tcpRetryEvents);
    }
  }

  /** HTTP retry events. */
  public enum HttpRetryEvent {
    @JsonProperty("server-error")
    SERVER_ERROR,
    @JsonProperty("gateway-error")
    GATEWAY_ERROR,
    @JsonProperty("client-error")
    CLIENT_ERROR,
    @JsonProperty("stream-error")
    STREAM_ERROR
  }

  /** TCP retry events. */
  public enum TcpRetryEvent {
    @JsonProperty("connection-error")
    CONNECTION_ERROR
  }

  /** gRPC retry events. */
  public enum GrpcRetryEvent {
    @JsonProperty("cancelled")
    CANCELLED,
    @JsonProperty("deadline-exceeded")
    DEADLINE_EXCEEDED,
    @JsonProperty("internal")
    INTERNAL,
    @JsonProperty("resource-exhausted")
    RESOURCE_EXHAUSTED,
    @JsonProperty("unavailable")
    UNAVAILABLE
  }

  /** {@code grpcRoute}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GrpcRoute(
      @Required GrpcRouteMatch match, @Required RouteAction action, GrpcRetryPolicy retryPolicy, HttpTimeout timeout) {}

  /** gRPC match conditions. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record GrpcRouteMatch(
      @Size(min = 1, max = 50) String methodName,
      String serviceName,
      @Size(min = 1, max = 10) List<HeaderMatch> metadata,
      @Min(0) Long port) {
    public GrpcRouteMatch {
      metadata = Lists.copy(metadata);
    }
  }

  /** gRPC retry policy. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record GrpcRetryPolicy(
      @Size(min = 1, max = 5) List<GrpcRetryEvent> grpcRetryEvents,
      @Size(min = 1, max = 25) List<HttpRetryEvent> httpRetryEvents,
      @Size(min = 1, max = 1) List<TcpRetryEvent> tcpRetryEvents,
      @Required @Min(0) Long maxRetries,
      @Required Duration perRetryTimeout) {
    public GrpcRetryPolicy {
      grpcRetryEvents = Lists.copy(grpcRetryEvents);
      httpRetryEvents = Lists.copy(httpRetryEvents);
      tcpRetryEvents = Lists.copy(tcpRetryEvents);
    }
  }

  /** {@code tcpRoute}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TcpRoute(TcpRouteMatch match, @Required RouteAction action, TcpTimeout timeout) {}

  /** {@code {port?}}. */
  public record TcpRouteMatch(@Min(0) Long port) {}
}
