package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Gateway API objects translation reads ({@code gateway.networking.k8s.io}): HTTPRoute and
 * GRPCRoute (v1), ReferenceGrant (v1beta1; v1 is accepted too), and Gateway and GatewayClass (v1,
 * north-south), as records whose field names are
 * the API's. Only the fields the model uses are records; the reader reports any other field as
 * unknown. The API's enums are kept as strings: the model says which values it serves.
 *
 * <p>Why our own records and not fabric8's Gateway API model: this module reads with the same
 * strict mapper, field paths and problem reporting as App Mesh documents, and depends on no
 * Kubernetes client library.
 */
public final class GatewayApi {
  private GatewayApi() {}

  /** API group of every kind here. */
  public static final String GROUP = "gateway.networking.k8s.io";
  /** The versions read (the objects' schemas are the same in both for what we read). */
  public static final Set<String> VERSIONS = Set.of("v1", "v1beta1");
  /** The kinds read. */
  public static final Set<String> KINDS = Set.of("HTTPRoute", "GRPCRoute", "ReferenceGrant", "Gateway", "GatewayClass");
  /**
   * The {@code spec.controllerName} of the GatewayClasses whose Gateways appmesh-xds serves
   * (north-south, each as a VirtualGateway-style Envoy). Fixed, not a setting: a GatewayClass names
   * its implementation, and there is one.
   */
  public static final String GATEWAY_CONTROLLER = "appmesh-xds.io/gateway-controller";
  /**
   * The GatewayClass name that is ours when no GatewayClass of that name is in the input (the
   * {@code gatewayClassName} {@code convert} writes): manifests need not carry the cluster-scoped
   * GatewayClass.
   */
  public static final String DEFAULT_CLASS = "appmesh-xds";

  /** One Gateway API object. */
  public sealed interface Resource permits Route, ReferenceGrant, Gateway, GatewayClass {
    ObjectMeta metadata();

    /** The Kubernetes kind. */
    String kind();

    default ObjectRef ref() {
      return new ObjectRef(kind(), metadata().namespace(), metadata().name());
    }
  }

  /** An HTTPRoute or a GRPCRoute: what both share. */
  public sealed interface Route extends Resource permits HttpRoute, GrpcRoute {
    /** {@code metadata.creationTimestamp} as written (RFC 3339), or null (files). */
    String creationTimestamp();

    List<ParentRef> parentRefs();
  }

  /** An HTTPRoute. */
  public record HttpRoute(ObjectMeta metadata, String creationTimestamp, HttpRouteSpec spec) implements Route {
    public HttpRoute {
      spec = spec == null ? new HttpRouteSpec(null, null, null) : spec;
    }

    @Override
    public String kind() {
      return "HTTPRoute";
    }

    @Override
    public List<ParentRef> parentRefs() {
      return spec.parentRefs();
    }
  }

  /** A GRPCRoute. */
  public record GrpcRoute(ObjectMeta metadata, String creationTimestamp, GrpcRouteSpec spec) implements Route {
    public GrpcRoute {
      spec = spec == null ? new GrpcRouteSpec(null, null, null) : spec;
    }

    @Override
    public String kind() {
      return "GRPCRoute";
    }

    @Override
    public List<ParentRef> parentRefs() {
      return spec.parentRefs();
    }
  }

  /** A ReferenceGrant. */
  public record ReferenceGrant(ObjectMeta metadata, ReferenceGrantSpec spec) implements Resource {
    public ReferenceGrant {
      spec = spec == null ? new ReferenceGrantSpec(null, null) : spec;
    }

    @Override
    public String kind() {
      return "ReferenceGrant";
    }
  }

  /** A Gateway (north-south). */
  public record Gateway(ObjectMeta metadata, GatewaySpec spec) implements Resource {
    public Gateway {
      spec = spec == null ? new GatewaySpec(null, null, null, null) : spec;
    }

    @Override
    public String kind() {
      return "Gateway";
    }
  }

  /** A GatewayClass (cluster-scoped: no namespace). */
  public record GatewayClass(ObjectMeta metadata, GatewayClassSpec spec) implements Resource {
    public GatewayClass {
      spec = spec == null ? new GatewayClassSpec(null, null, null) : spec;
    }

    @Override
    public String kind() {
      return "GatewayClass";
    }
  }

  /** Gateway {@code spec}: {@code addresses} and {@code infrastructure} are read to say they are not used. */
  public record GatewaySpec(String gatewayClassName, List<Listener> listeners, List<Map<String, Object>> addresses,
      Map<String, Object> infrastructure) {
    public GatewaySpec {
      listeners = copy(listeners);
      addresses = copy(addresses);
    }
  }

  /** Gateway {@code listeners[]}: protocol HTTP is served; {@code tls} is read to reject it with a reason. */
  public record Listener(String name, String hostname, Long port, String protocol, Map<String, Object> tls,
      AllowedRoutes allowedRoutes) {}

  /** {@code allowedRoutes}: namespaces from Same (default), All or Selector; kinds. */
  public record AllowedRoutes(RouteNamespaces namespaces, List<RouteGroupKind> kinds) {
    public AllowedRoutes {
      kinds = copy(kinds);
    }
  }

  /** {@code allowedRoutes.namespaces}. */
  public record RouteNamespaces(String from, Map<String, Object> selector) {}

  /** {@code allowedRoutes.kinds[]}: group defaults to the Gateway API group. */
  public record RouteGroupKind(String group, String kind) {}

  /** GatewayClass {@code spec}. */
  public record GatewayClassSpec(String controllerName, String description, Map<String, Object> parametersRef) {}

  /** HTTPRoute {@code spec}. */
  public record HttpRouteSpec(List<ParentRef> parentRefs, List<String> hostnames, List<HttpRule> rules) {
    public HttpRouteSpec {
      parentRefs = copy(parentRefs);
      hostnames = copy(hostnames);
      rules = copy(rules);
    }
  }

  /** GRPCRoute {@code spec}. */
  public record GrpcRouteSpec(List<ParentRef> parentRefs, List<String> hostnames, List<GrpcRule> rules) {
    public GrpcRouteSpec {
      parentRefs = copy(parentRefs);
      hostnames = copy(hostnames);
      rules = copy(rules);
    }
  }

  /** {@code parentRefs[]}: group defaults to the Gateway API group, kind to Gateway. */
  public record ParentRef(String group, String kind, String namespace, String name, String sectionName, Long port) {}

  /** HTTPRoute {@code rules[]}. */
  public record HttpRule(String name, List<HttpMatch> matches, List<Filter> filters, List<BackendRef> backendRefs,
      Timeouts timeouts) {
    public HttpRule {
      matches = copy(matches);
      filters = copy(filters);
      backendRefs = copy(backendRefs);
    }
  }

  /** GRPCRoute {@code rules[]}. */
  public record GrpcRule(String name, List<GrpcMatch> matches, List<Filter> filters, List<BackendRef> backendRefs) {
    public GrpcRule {
      matches = copy(matches);
      filters = copy(filters);
      backendRefs = copy(backendRefs);
    }
  }

  /** HTTPRoute {@code matches[]}. */
  public record HttpMatch(PathMatch path, List<ValueMatch> headers, List<ValueMatch> queryParams, String method) {
    public HttpMatch {
      headers = copy(headers);
      queryParams = copy(queryParams);
    }
  }

  /** GRPCRoute {@code matches[]}. */
  public record GrpcMatch(GrpcMethodMatch method, List<ValueMatch> headers) {
    public GrpcMatch {
      headers = copy(headers);
    }
  }

  /** {@code path}: type Exact, PathPrefix (default) or RegularExpression. */
  public record PathMatch(String type, String value) {}

  /** A header or query parameter match: type Exact (default) or RegularExpression. */
  public record ValueMatch(String type, String name, String value) {}

  /** GRPCRoute {@code method}: type Exact (default) or RegularExpression; service and/or method. */
  public record GrpcMethodMatch(String type, String service, String method) {}

  /** {@code filters[]}: {@code type} names the one member that is set. */
  public record Filter(String type, HeaderFilter requestHeaderModifier, HeaderFilter responseHeaderModifier,
      Redirect requestRedirect, UrlRewrite urlRewrite, Mirror requestMirror, Map<String, Object> extensionRef) {}

  /** A header modifier: set, add, remove. */
  public record HeaderFilter(List<Header> set, List<Header> add, List<String> remove) {
    public HeaderFilter {
      set = copy(set);
      add = copy(add);
      remove = copy(remove);
    }
  }

  /** A header name and value. */
  public record Header(String name, String value) {}

  /** {@code requestRedirect}. */
  public record Redirect(String scheme, String hostname, PathModifier path, Long port, Long statusCode) {}

  /** {@code urlRewrite}. */
  public record UrlRewrite(String hostname, PathModifier path) {}

  /** A path modifier: type ReplaceFullPath or ReplacePrefixMatch, with the matching value. */
  public record PathModifier(String type, String replaceFullPath, String replacePrefixMatch) {}

  /**
   * {@code requestMirror}: {@code percent} and {@code fraction} (Gateway API v1.2+) are optional and
   * exclusive; without either every request is mirrored. Its {@code backendRef} is a
   * BackendObjectReference: {@code weight} and {@code filters} are read only to be reported.
   */
  public record Mirror(BackendRef backendRef, Long percent, Fraction fraction) {}

  /** {@code requestMirror.fraction}: denominator defaults to 100. */
  public record Fraction(Long numerator, Long denominator) {}

  /** {@code backendRefs[]}: group defaults to core (""), kind to Service, weight to 1. */
  public record BackendRef(String group, String kind, String name, String namespace, Long port, Long weight,
      List<Filter> filters) {
    public BackendRef {
      filters = copy(filters);
    }
  }

  /** HTTPRoute {@code rules[].timeouts}: Gateway API durations ({@code 10s}, {@code 1m30s}, {@code 500ms}). */
  public record Timeouts(String request, String backendRequest) {}

  /** ReferenceGrant {@code spec}. */
  public record ReferenceGrantSpec(List<GrantFrom> from, List<GrantTo> to) {
    public ReferenceGrantSpec {
      from = copy(from);
      to = copy(to);
    }
  }

  /** ReferenceGrant {@code from[]}. */
  public record GrantFrom(String group, String kind, String namespace) {}

  /** ReferenceGrant {@code to[]}: no name grants every object of the kind. */
  public record GrantTo(String group, String kind, String name) {}

  private static <T> List<T> copy(List<T> l) {
    return l == null ? List.of() : List.copyOf(l.stream().filter(java.util.Objects::nonNull).toList());
  }

  /** The spec record of a kind. */
  static Class<?> specClass(String kind) {
    return switch (kind) {
      case "HTTPRoute" -> HttpRouteSpec.class;
      case "GRPCRoute" -> GrpcRouteSpec.class;
      case "Gateway" -> GatewaySpec.class;
      case "GatewayClass" -> GatewayClassSpec.class;
      default -> ReferenceGrantSpec.class;
    };
  }

  /** The object of a kind from its parts. */
  static Resource of(String kind, ObjectMeta meta, String created, Object spec) {
    return switch (kind) {
      case "HTTPRoute" -> new HttpRoute(meta, created, (HttpRouteSpec) spec);
      case "GRPCRoute" -> new GrpcRoute(meta, created, (GrpcRouteSpec) spec);
      case "Gateway" -> new Gateway(meta, (GatewaySpec) spec);
      case "GatewayClass" -> new GatewayClass(meta, (GatewayClassSpec) spec);
      default -> new ReferenceGrant(meta, (ReferenceGrantSpec) spec);
    };
  }
}
