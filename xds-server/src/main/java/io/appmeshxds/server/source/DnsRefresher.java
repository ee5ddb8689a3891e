package io.appmeshxds.server.source;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.plan.EndpointPlanner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves VirtualNode DNS host names that are neither IP literals nor Kubernetes Services with
 * EndpointSlices (external services modelled as VirtualNodes) and records the answers in the store,
 * off the reconciler's thread, every {@code period}: the endpoints of the clients that get EDS
 * (proxyless gRPC clients, Envoy proxies of meshes with per-pod endpoints). A bare name is resolved
 * relative to its VirtualNode's namespace ({@link EndpointPlanner#resolvableName}), as that node's
 * pods would resolve it, not in the control plane's own namespace. Translation itself never
 * resolves anything.
 */
public final class DnsRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsRefresher.class);

  /** Resolves one name to its addresses (the system resolver, or a stand-in in tests). */
  @FunctionalInterface
  interface Resolver {
    List<String> resolve(String host) throws UnknownHostException;
  }

  private final ResourceStore store;
  private final Resolver resolver;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dns-refresher");
    t.setDaemon(true);
    return t;
  });

  public DnsRefresher(ResourceStore store) {
    this(store, DnsRefresher::system);
  }

  DnsRefresher(ResourceStore store, Resolver resolver) {
    this.store = store;
    this.resolver = resolver;
  }

  /** The system resolver's addresses of {@code host}, sorted. */
  private static List<String> system(String host) throws UnknownHostException {
    List<String> ips = new ArrayList<>();
    for (InetAddress a : InetAddress.getAllByName(host)) {
      ips.add(a.getHostAddress());
    }
    ips.sort(null);
    return ips;
  }

  public DnsRefresher start(long periodSeconds) {
    timer.scheduleWithFixedDelay(this::refresh, 1, periodSeconds, TimeUnit.SECONDS);
    return this;
  }

  /** One pass: resolve every external host name currently referenced. */
  public void refresh() {
    try {
      MeshResources in = store.snapshot();
      Set<String> hosts = new TreeSet<>();
      Set<String> kubernetes = null;
      for (VirtualNode vn : in.<VirtualNode>ofKind(Kind.VirtualNode)) {
        String name = EndpointPlanner.resolvableName(vn);
        if (name == null) {
          continue;
        }
        String[] svc = EndpointPlanner.kubernetesService(EndpointPlanner.hostname(vn),
            vn.metadata() == null ? null : vn.metadata().namespace());
        if (svc != null) {
          kubernetes = kubernetes != null ? kubernetes : servicesWithSlices(in);
          if (kubernetes.contains(svc[1] + "." + svc[0])) {
            continue;
          }
        }
        hosts.add(name);
      }
      for (String h : hosts) {
        try {
          store.dnsAnswer(h, resolver.resolve(h));
        } catch (UnknownHostException e) {
          LOG.warn("cannot resolve {} (a VirtualNode's DNS host name): {}; its clusters keep their last answer", h, e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("DNS refresh failed", e);
    }
  }

  /**
   * {@code service.namespace} of every Service with EndpointSlices, built once per pass. Why: a
   * search of every slice per node was O(nodes × slices), 13 % of a core idle at 20,000 nodes.
   */
  private static Set<String> servicesWithSlices(MeshResources in) {
    Set<String> out = new HashSet<>();
    in.endpointSlices().values().forEach(s -> out.add(s.serviceName() + "." + s.namespace()));
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
