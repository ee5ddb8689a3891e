package io.appmeshxds.crosscheck;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat.TypeRegistry;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.XRayConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.health_check.v3.HealthCheck;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.tracers.opentelemetry.resource_detectors.v3.StaticConfigResourceDetectorConfig;
import io.envoyproxy.envoy.extensions.tracers.opentelemetry.samplers.v3.AlwaysOnSamplerConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Envoy message types the cross-check knows, all taken from the Envoy classes bundled in
 * Armeria's {@code armeria-xds-api} jar: the xDS resource kinds of a {@code *.xds.yaml} file, and a
 * {@link TypeRegistry} for every message that may sit in an {@code Any}.
 *
 * <p>The registry is built generically: starting from {@link #ROOTS}, every {@code .proto} file they
 * are declared in and every file those import (transitively) is collected, and all messages of those
 * files are registered. An {@code @type} outside that set is unknown and makes the check fail; when
 * the control plane starts emitting a new extension, add its message class to {@link #ROOTS}.
 */
final class EnvoyTypes {

  /** YAML key of a resource list in a node entry, to the Envoy message type of its items. */
  static final Map<String, Descriptor> RESOURCE_KINDS = resourceKinds();

  /** Messages whose files (and those files' imports) make up the registry. */
  static final List<Descriptor> ROOTS = List.of(
      Listener.getDescriptor(),
      RouteConfiguration.getDescriptor(),
      Cluster.getDescriptor(),
      ClusterLoadAssignment.getDescriptor(),
      Secret.getDescriptor(),
      HttpConnectionManager.getDescriptor(),
      Router.getDescriptor(),
      HealthCheck.getDescriptor(),
      TcpProxy.getDescriptor(),
      FileAccessLog.getDescriptor(),
      StdoutAccessLog.getDescriptor(),
      HttpGrpcAccessLogConfig.getDescriptor(),
      TcpGrpcAccessLogConfig.getDescriptor(),
      UpstreamTlsContext.getDescriptor(),
      DownstreamTlsContext.getDescriptor(),
      HttpProtocolOptions.getDescriptor(),
      OriginalDst.getDescriptor(),
      TlsInspector.getDescriptor(),
      XRayConfig.getDescriptor(),
      OpenTelemetryConfig.getDescriptor(),
      ZipkinConfig.getDescriptor(),
      PreviousHostsPredicate.getDescriptor(),
      RegexMatcher.GoogleRE2.getDescriptor(),
      StaticConfigResourceDetectorConfig.getDescriptor(),
      AlwaysOnSamplerConfig.getDescriptor(),
      Struct.getDescriptor());

  /** Every message type of every file reachable from {@link #ROOTS}. */
  static final TypeRegistry REGISTRY = TypeRegistry.newBuilder().add(reachableMessages(ROOTS)).build();

  private static final Map<Descriptor, Message> DEFAULT_INSTANCES = new ConcurrentHashMap<>();

  private EnvoyTypes() {}

  private static Map<String, Descriptor> resourceKinds() {
    Map<String, Descriptor> kinds = new LinkedHashMap<>();
    kinds.put("listeners", Listener.getDescriptor());
    kinds.put("routes", RouteConfiguration.getDescriptor());
    kinds.put("clusters", Cluster.getDescriptor());
    kinds.put("endpoints", ClusterLoadAssignment.getDescriptor());
    kinds.put("secrets", Secret.getDescriptor());
    return Collections.unmodifiableMap(kinds);
  }

  /** Top-level messages of the roots' files and of every file they import, directly or not. */
  static List<Descriptor> reachableMessages(List<Descriptor> roots) {
    Set<FileDescriptor> files = new LinkedHashSet<>();
    Deque<FileDescriptor> todo = new ArrayDeque<>();
    roots.forEach(d -> todo.add(d.getFile()));
    while (!todo.isEmpty()) {
      FileDescriptor file = todo.pop();
      if (files.add(file)) {
        todo.addAll(file.getDependencies());
      }
    }
    List<Descriptor> messages = new ArrayList<>();
    files.forEach(f -> messages.addAll(f.getMessageTypes()));
    return messages;
  }

  /**
   * The default instance of the generated class (in Armeria's jar) for a message type, so that an
   * {@code Any} can be unpacked into a class the PGV validators know.
   *
   * @throws IllegalStateException when no generated class is on the classpath for the type
   */
  static Message defaultInstance(Descriptor type) {
    return DEFAULT_INSTANCES.computeIfAbsent(type, EnvoyTypes::loadDefaultInstance);
  }

  private static Message loadDefaultInstance(Descriptor type) {
    for (String className : candidateClassNames(type)) {
      try {
        Class<?> c = Class.forName(className, true, EnvoyTypes.class.getClassLoader());
        Object instance = c.getMethod("getDefaultInstance").invoke(null);
        if (instance instanceof Message m && m.getDescriptorForType() == type) {
          return m;
        }
      } catch (ReflectiveOperationException | LinkageError notThisOne) {
        // try the next naming scheme
      }
    }
    throw new IllegalStateException("no generated Java class for " + type.getFullName()
        + " (tried " + candidateClassNames(type) + ")");
  }

  /** Java class names protoc's Java generator may have used for a message type. */
  private static List<String> candidateClassNames(Descriptor type) {
    FileDescriptor file = type.getFile();
    String pkg = file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
    String prefix = pkg.isEmpty() ? "" : pkg + ".";
    StringBuilder nested = new StringBuilder(type.getName());
    for (Descriptor outer = type.getContainingType(); outer != null; outer = outer.getContainingType()) {
      nested.insert(0, outer.getName() + "$");
    }
    if (file.getOptions().getJavaMultipleFiles()) {
      return List.of(prefix + nested);
    }
    String outerClass = file.getOptions().hasJavaOuterClassname()
        ? file.getOptions().getJavaOuterClassname()
        : camelCase(file.getName().replaceAll("^.*/", "").replaceAll("\\.proto$", ""));
    return List.of(prefix + outerClass + "$" + nested, prefix + outerClass + "OuterClass$" + nested);
  }

  /** protoc's file-name-to-class-name rule: drop separators, capitalise what follows them and digits. */
  private static String camelCase(String base) {
    StringBuilder out = new StringBuilder();
    boolean upperNext = true;
    for (char ch : base.toCharArray()) {
      if (Character.isLetter(ch)) {
        out.append(upperNext ? Character.toUpperCase(ch) : ch);
        upperNext = false;
      } else if (Character.isDigit(ch)) {
        out.append(ch);
        upperNext = true;
      } else {
        upperNext = true;
      }
    }
    return out.toString();
  }
}
