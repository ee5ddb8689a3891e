package io.appmeshxds.server.cloudmap;

import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.translator.api.VirtualNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateServiceResponse;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceSummary;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;
import software.amazon.awssdk.services.servicediscovery.model.ServiceFilterName;
import software.amazon.awssdk.services.servicediscovery.model.ServiceSummary;

/**
 * Finds the Cloud Map service a VirtualNode names (ListNamespaces for the namespace by name, then
 * ListServices in it), and, when it does not exist, creates it as App Mesh's controller did
 * ({@code pkg/cloudmap/resource_manager.go}): CreatorRequestId = the VirtualNode's uid; in a
 * private DNS namespace a MULTIVALUE A record (AAAA for IPv6 pods) with {@code dnsTtlSeconds}; in
 * an HTTP namespace no DNS; a custom health check (FailureThreshold 1) when {@code
 * customHealthCheck}; a public DNS namespace is refused. A missing namespace is an error (the
 * controller did not create namespaces either). Found services are remembered; failures are
 * retried with backoff. Services are never deleted (see docs: the controller deleted those it had
 * created when their VirtualNode was deleted, through a finalizer this control plane does not set).
 */
final class ServiceDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceDirectory.class);
  private static final Duration NAMESPACES_TTL = Duration.ofMinutes(2);

  /** A service: its id and whether it has a custom health check (null id: not found yet). */
  static final class Service {
    final String namespaceName;
    final String serviceName;
    String id;
    boolean customHealthCheck;
    /** Its instances as last listed and since changed by our operations, by id; null: not listed. */
    Map<String, Map<String, String>> instances;
    Instant listedAt;
    Instant retryAt = Instant.MIN;
    int failures;
    String error;

    Service(String namespaceName, String serviceName) {
      this.namespaceName = namespaceName;
      this.serviceName = serviceName;
    }

    @Override
    public String toString() {
      return namespaceName + "/" + serviceName;
    }
  }

  private final Supplier<ServiceDiscoveryClient> client;
  private final CloudMapConfig config;
  private final Clock clock;
  private final RateLimiter limiter;
  private final Map<String, Service> services = new HashMap<>();
  private Map<String, NamespaceSummary> namespaces;
  private Instant namespacesAt;

  ServiceDirectory(Supplier<ServiceDiscoveryClient> client, CloudMapConfig config, Clock clock, RateLimiter limiter) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.limiter = limiter;
  }

  /** Forgets everything (a new lease: Cloud Map may have changed meanwhile). */
  void reset() {
    services.clear();
    namespaces = null;
  }

  /** A resolved service by id, or null. */
  Service byId(String id) {
    for (Service s : services.values()) {
      if (id.equals(s.id)) {
        return s;
      }
    }
    return null;
  }

  /** Forgets one service's id (it was deleted under us). */
  void forget(Service s) {
    s.id = null;
    s.instances = null;
  }

  /**
   * The service {@code namespace/name}, resolved (and created for {@code vn}, when allowed and
   * {@code vn} is not null) if it is not yet; its id is null while it cannot be, and {@link
   * Service#error} says why.
   *
   * @param ipv6 the pods are IPv6 (the DNS record type of a service created here)
   */
  Service resolve(String namespaceName, String serviceName, VirtualNode vn, boolean ipv6) {
    Service s = services.computeIfAbsent(namespaceName + "/" + serviceName, k -> new Service(namespaceName, serviceName));
    Instant now = clock.instant();
    if (s.id != null || now.isBefore(s.retryAt)) {
      return s;
    }
    try {
      NamespaceSummary ns = namespace(namespaceName, now);
      if (ns == null) {
        fail(s, "Cloud Map namespace " + namespaceName + " not found (create it; App Mesh's controller did not either)", now);
        return s;
      }
      ServiceSummary found = null;
      for (var page : client.get().listServicesPaginator(b -> b.filters(f -> f.name(ServiceFilterName.NAMESPACE_ID)
          .values(ns.id())))) {
        for (ServiceSummary x : page.services()) {
          if (x.name().equals(serviceName)) {
            found = x;
          }
        }
        if (found != null) {
          break;
        }
      }
      if (found != null) {
        s.id = found.id();
        s.customHealthCheck = found.healthCheckCustomConfig() != null;
      } else if (vn == null) {
        return s; // only cleaning up: nothing there to clean
      } else if (!config.registration().createServices()) {
        fail(s, "Cloud Map service " + serviceName + " not found in namespace " + namespaceName
            + " (aws.cloudMap.registration.createServices is false)", now);
        return s;
      } else if ("DNS_PUBLIC".equals(ns.typeAsString())) {
        fail(s, "Cloud Map namespace " + namespaceName + " is a public DNS namespace; App Mesh supported "
            + "private DNS and HTTP namespaces only", now);
        return s;
      } else if (!limiter.take()) {
        return s; // next pass
      } else {
        CreateServiceResponse r = client.get().createService(b -> {
          b.name(serviceName).namespaceId(ns.id())
              .creatorRequestId(vn.metadata().uid() != null ? vn.metadata().uid() : "appmesh-xds:" + vn.namespace() + "/" + vn.name());
          if ("DNS_PRIVATE".equals(ns.typeAsString())) {
            b.dnsConfig(d -> d.routingPolicy(RoutingPolicy.MULTIVALUE).dnsRecords(rec -> rec
                .type(ipv6 ? RecordType.AAAA : RecordType.A).ttl((long) config.registration().dnsTtlSeconds())));
          }
          if (config.registration().customHealthCheck()) {
            b.healthCheckCustomConfig(h -> h.failureThreshold(1));
          }
        });
        s.id = r.service().id();
        s.customHealthCheck = r.service().healthCheckCustomConfig() != null;
        LOG.info("Cloud Map: created service {} in namespace {} ({}) for VirtualNode {}/{}, as App Mesh's controller did",
            serviceName, namespaceName, s.id, vn.namespace(), vn.name());
      }
      s.failures = 0;
      s.error = null;
    } catch (SdkException e) {
      fail(s, CloudMapErrors.describe(e), now);
    }
    return s;
  }

  private NamespaceSummary namespace(String name, Instant now) {
    if (namespaces == null || Duration.between(namespacesAt, now).compareTo(NAMESPACES_TTL) > 0 || !namespaces.containsKey(name)) {
      Map<String, NamespaceSummary> all = new HashMap<>();
      for (var page : client.get().listNamespacesPaginator(b -> {})) {
        page.namespaces().forEach(n -> all.put(n.name(), n));
        if (all.size() > 10_000) {
          break;
        }
      }
      namespaces = all;
      namespacesAt = now;
    }
    return namespaces.get(name);
  }

  private void fail(Service s, String why, Instant now) {
    s.failures++;
    if (!why.equals(s.error)) {
      LOG.warn("Cloud Map registration: {}: {}; retrying", s, why);
    }
    s.error = why;
    s.retryAt = now.plusMillis(CloudMapRegistrar.backoffMillis(s.failures, config));
  }
}
