package io.appmeshxds.translator.archplanted.serverside;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Server;
import io.netty.buffer.ByteBuf;
import software.amazon.awssdk.services.acm.AcmClient;

/**
 * Planted (never run): a class in mesh-translator's packages that uses what only xds-server may
 * (gRPC, Netty, java-control-plane's server and cache, AWS, the Kubernetes client), and the one
 * fabric8 part mesh-translator may use (the constraint annotations). Planted here because these
 * libraries are on xds-server's class path, not on mesh-translator's.
 */
public final class TranslatorServes {
  Server grpcServer;
  ByteBuf buffer;
  V3DiscoveryServer discoveryServer;
  SimpleCache<String> cache;
  AcmClient acm;
  KubernetesClient kubernetes;
  @Required String allowedAnnotation;
}
