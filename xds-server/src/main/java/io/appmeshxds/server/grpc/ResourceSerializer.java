package io.appmeshxds.server.grpc;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Packs resources into {@code Any} once per resource instance, like java-control-plane's cached
 * serializer, and assembles a route configuration's bytes from the bytes of its virtual hosts,
 * each serialized once per instance. Why: every client's egress route configuration is its own
 * (its own set of backends), so a weight change sends each of a thousand clients a new 14 KiB
 * configuration; serializing those was the largest cost of a change at M10k (T4), while the
 * virtual hosts inside them are a few shared instances. The assembled value is the same bytes
 * protobuf writes (fields in number order: name, then the virtual hosts); a configuration with any
 * other field set is packed the ordinary way.
 *
 * <p>The assembled route configuration itself is not kept: it is one proxy's own, sent on its
 * stream and again only when the proxy reconnects, and the rope of its virtual hosts' pieces was
 * 3 KB of every held stream. Assembling it again is concatenation, no serialization.
 */
final class ResourceSerializer implements ProtoResourcesSerializer {
  private static final String ROUTE_TYPE_URL = "type.googleapis.com/" + RouteConfiguration.getDescriptor().getFullName();
  private static final int VIRTUAL_HOSTS_TAG = (RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER << 3) | 2;

  private final ProtoResourcesSerializer others = new CachedProtoResourcesSerializer();
  // Weak keys compare by identity: a virtual host is found only as the instance the translator shares.
  private final Cache<VirtualHost, ByteString> hosts = CacheBuilder.newBuilder().weakKeys().build();
  private final java.util.concurrent.atomic.AtomicLong assembled = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong hostsSerialized = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public Any serialize(Message resource, Resources.ApiVersion version) {
    if (!(resource instanceof RouteConfiguration rc)) {
      return others.serialize(resource, version);
    }
    ByteString value;
    try {
      value = assemble(rc);
    } catch (ExecutionException e) {
      throw new IllegalStateException("serializing route configuration " + rc.getName(), e.getCause());
    }
    // One with another field is packed whole, once per instance like every other resource.
    return value == null ? others.serialize(rc, version) : Any.newBuilder().setTypeUrl(ROUTE_TYPE_URL).setValue(value).build();
  }

  private ByteString assemble(RouteConfiguration rc) throws ExecutionException {
    List<ByteString> parts = new ArrayList<>(1 + rc.getVirtualHostsCount());
    parts.add(RouteConfiguration.newBuilder().setName(rc.getName()).build().toByteString());
    for (VirtualHost vh : rc.getVirtualHostsList()) {
      parts.add(hosts.get(vh, () -> field(vh)));
    }
    ByteString value = ByteString.copyFrom(parts);
    // Any other field (set now or added to the translator later) makes the sizes differ: pack it whole.
    if (value.size() != rc.getSerializedSize()) {
      return null;
    }
    assembled.incrementAndGet();
    return value;
  }

  /**
   * A virtual host as a {@code virtual_hosts} field: tag, length, bytes. One flat array per
   * virtual host instance, so a configuration is a rope of one piece per virtual host.
   */
  private ByteString field(VirtualHost vh) {
    hostsSerialized.incrementAndGet();
    int size = vh.getSerializedSize();
    byte[] out = new byte[CodedOutputStream.computeUInt32SizeNoTag(VIRTUAL_HOSTS_TAG)
        + CodedOutputStream.computeUInt32SizeNoTag(size) + size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeUInt32NoTag(VIRTUAL_HOSTS_TAG);
      o.writeUInt32NoTag(size);
      vh.writeTo(o);
      o.checkNoSpaceLeft();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("serializing virtual host " + vh.getName(), e);
    }
    return com.google.protobuf.UnsafeByteOperations.unsafeWrap(out); // ours, never written again
  }

  /** Route configurations assembled from virtual host bytes so far (the rest were packed whole); for tests. */
  long assembled() {
    return assembled.get();
  }

  /** Virtual hosts serialized so far; for tests. */
  long hostsSerialized() {
    return hostsSerialized.get();
  }
}
