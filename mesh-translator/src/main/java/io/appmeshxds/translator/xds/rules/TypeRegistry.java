package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the type URLs of {@code Any} payloads. Known types are those of the files (and
 * everything they import) of a set of Envoy root messages and of {@link ProtoRules#register
 * registered} types, then those of the checked message's own file and its imports. The first
 * descriptor seen for a full name wins. Payloads are parsed with the generated class when there is
 * one (found through the file's java options), else as a {@link DynamicMessage}.
 *
 * <p>Static state, all add-only: the registry of default and registered types (plug-in factories
 * register the payload types they emit, once, when their class initialises), and two memos of pure
 * functions of immutable descriptors (a file's import closure, a type's default instance).
 * Why the checked message's imports are not added to the registry: a check's result would then
 * depend on which messages were checked before.
 */
final class TypeRegistry {

  private static final ConcurrentHashMap<String, Descriptor> TYPES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Descriptor, Message> PROTOTYPES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<FileDescriptor, Map<String, Descriptor>> CLOSURES = new ConcurrentHashMap<>();

  private TypeRegistry() {}

  /** The Envoy types xDS resources usually pack, loaded on the first {@code Any}. */
  private static final class Defaults {
    static final List<Descriptor> ROOTS = List.of(
        io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.getDescriptor(),
        io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor(),
        io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor(),
        io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor(),
        io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration.getDescriptor(),
        io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor(),
        io.envoyproxy.envoy.service.runtime.v3.Runtime.getDescriptor(),
        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.getDescriptor(),
        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor(),
        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor(),
        io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor(),
        io.envoyproxy.envoy.extensions.transport_sockets.http_11_proxy.v3.Http11ProxyUpstreamTransport.getDescriptor(),
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.connection_limit.v3.ConnectionLimit.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.sni_cluster.v3.SniCluster.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.health_check.v3.HealthCheck.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.grpc_web.v3.GrpcWeb.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.compressor.v3.Compressor.getDescriptor(),
        io.envoyproxy.envoy.extensions.compression.gzip.compressor.v3.Gzip.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig.getDescriptor(),
        io.envoyproxy.envoy.config.trace.v3.XRayConfig.getDescriptor(),
        io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor(),
        io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDescriptor(),
        io.envoyproxy.envoy.extensions.tracers.opentelemetry.resource_detectors.v3.StaticConfigResourceDetectorConfig.getDescriptor(),
        io.envoyproxy.envoy.extensions.tracers.opentelemetry.samplers.v3.AlwaysOnSamplerConfig.getDescriptor(),
        io.envoyproxy.envoy.extensions.clusters.aggregate.v3.ClusterConfig.getDescriptor(),
        io.envoyproxy.envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig.getDescriptor(),
        io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin.getDescriptor(),
        io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest.getDescriptor(),
        io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random.getDescriptor(),
        io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash.getDescriptor(),
        io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev.getDescriptor(),
        io.envoyproxy.envoy.extensions.load_balancing_policies.cluster_provided.v3.ClusterProvided.getDescriptor(),
        io.envoyproxy.envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin.getDescriptor(),
        io.envoyproxy.envoy.extensions.network.socket_interface.v3.DefaultSocketInterface.getDescriptor(),
        com.github.xds.type.v3.TypedStruct.getDescriptor(),
        com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor());

    static {
      for (Descriptor root : ROOTS) {
        addFile(root.getFile());
      }
    }

    static void load() {
      // Class initialisation does the work, once.
    }
  }

  /** Makes {@code type}'s file and everything it imports resolvable. */
  static void register(Descriptor type) {
    Defaults.load();
    addFile(type.getFile());
  }

  /** The default instance for the type a URL names ({@code type.googleapis.com/pkg.Type}), or null. */
  static Message prototype(String typeUrl) {
    return prototype(typeUrl, null);
  }

  /**
   * The default instance for the type a URL names, or null: a default or registered type, else one
   * of {@code root}'s file or its imports (null: none).
   */
  static Message prototype(String typeUrl, Descriptor root) {
    String name = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      return null;
    }
    Defaults.load();
    Descriptor type = TYPES.get(name);
    if (type == null && root != null) {
      type = CLOSURES.computeIfAbsent(root.getFile(), TypeRegistry::closure).get(name);
    }
    return type == null ? null : PROTOTYPES.computeIfAbsent(type, TypeRegistry::findPrototype);
  }

  /** Every message type of {@code file} and the files it imports, by full name, the first seen winning. */
  private static Map<String, Descriptor> closure(FileDescriptor file) {
    Map<String, Descriptor> types = new HashMap<>();
    Set<FileDescriptor> seen = new HashSet<>();
    Deque<FileDescriptor> todo = new ArrayDeque<>();
    todo.push(file);
    while (!todo.isEmpty()) {
      FileDescriptor f = todo.pop();
      if (!seen.add(f)) {
        continue;
      }
      Deque<Descriptor> nested = new ArrayDeque<>(f.getMessageTypes());
      while (!nested.isEmpty()) {
        Descriptor type = nested.pop();
        types.putIfAbsent(type.getFullName(), type);
        nested.addAll(type.getNestedTypes());
      }
      f.getDependencies().forEach(todo::push);
    }
    return Map.copyOf(types);
  }

  /** Every type known so far, defaults included. */
  static Collection<Descriptor> knownTypes() {
    Defaults.load();
    return List.copyOf(TYPES.values());
  }

  private static void addFile(FileDescriptor file) {
    CLOSURES.computeIfAbsent(file, TypeRegistry::closure).forEach(TYPES::putIfAbsent);
  }

  /**
   * The generated class's default instance when it is on this module's class path, else a dynamic
   * one. Why not the thread's context class loader as well: what a check finds must not depend on
   * the thread that runs it.
   */
  private static Message findPrototype(Descriptor type) {
    try {
      Class<?> c = Class.forName(generatedClassName(type), true, TypeRegistry.class.getClassLoader());
      if (Message.class.isAssignableFrom(c)) {
        Message instance = (Message) c.getMethod("getDefaultInstance").invoke(null);
        if (instance.getDescriptorForType() == type) {
          return instance;
        }
      }
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      // Not generated, or generated from another copy of the file: fall through.
    }
    return DynamicMessage.getDefaultInstance(type);
  }

  /** protoc's Java naming: java_package, then the outer class unless java_multiple_files, then nesting. */
  static String generatedClassName(Descriptor type) {
    FileDescriptor file = type.getFile();
    FileOptions options = file.getOptions();
    String javaPackage = options.hasJavaPackage() ? options.getJavaPackage() : file.getPackage();
    String nested = file.getPackage().isEmpty()
        ? type.getFullName() : type.getFullName().substring(file.getPackage().length() + 1);
    StringBuilder name = new StringBuilder();
    if (!javaPackage.isEmpty()) {
      name.append(javaPackage).append('.');
    }
    if (!options.getJavaMultipleFiles()) {
      name.append(outerClassName(file)).append('$');
    }
    return name.append(nested.replace('.', '$')).toString();
  }

  private static String outerClassName(FileDescriptor file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String base = file.getName().substring(file.getName().lastIndexOf('/') + 1);
    if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    StringBuilder sb = new StringBuilder();
    boolean capitalizeNext = true;
    for (char c : base.toCharArray()) {
      if (c >= 'a' && c <= 'z') {
        sb.append(capitalizeNext ? Character.toUpperCase(c) : c);
        capitalizeNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        sb.append(c);
        capitalizeNext = false;
      } else if (c >= '0' && c <= '9') {
        sb.append(c);
        capitalizeNext = true;
      } else {
        capitalizeNext = true;
      }
    }
    String name = sb.toString();
    boolean clash = file.getMessageTypes().stream().anyMatch(t -> t.getName().equals(name))
        || file.getEnumTypes().stream().anyMatch(t -> t.getName().equals(name))
        || file.getServices().stream().anyMatch(t -> t.getName().equals(name));
    return clash ? name + "OuterClass" : name;
  }
}
