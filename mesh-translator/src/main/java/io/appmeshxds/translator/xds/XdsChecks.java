package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.xds.rules.ProtoRules;
import io.appmeshxds.translator.xds.rules.Violation;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Consistency of one proxy's resources, stricter than java-control-plane's
 * {@code Snapshot.ensureConsistent()} (which cannot see API listeners): unique names per type,
 * every route configuration referenced by a listener exists and none is orphaned, every cluster a
 * route or TCP proxy uses exists, and EDS clusters and load assignments match one to one; Envoy's
 * proto rules hold for every resource.
 */
public final class XdsChecks {
  private XdsChecks() {}

  /** Consistency and Envoy's proto rules; empty when both hold. */
  public static List<String> check(XdsResources r) {
    List<String> out = consistency(r);
    for (XdsResources.Type t : XdsResources.Type.values()) {
      for (XdsResources.Resource x : r.get(t)) {
        out.addAll(rules(t, x));
      }
    }
    return out;
  }

  /** Envoy's proto rules on one resource. */
  public static List<String> rules(XdsResources.Type t, XdsResources.Resource x) {
    return rules(t, x, new IdentityHashMap<>());
  }

  /**
   * Envoy's proto rules on one resource, checking a route configuration's virtual hosts one by one
   * through {@code hosts} (a cache by instance). Why: every client's egress route configuration is
   * its own, but its virtual hosts are shared by every client of the service; a route change makes
   * new configurations for all of them and only one new virtual host. The result is the same: a
   * virtual host's rules do not depend on the configuration around it, and the configuration's
   * own fields are checked with its hosts left out.
   */
  public static List<String> rules(XdsResources.Type t, XdsResources.Resource x, Map<Message, List<Violation>> hosts) {
    List<String> out = new ArrayList<>();
    String at = t.key() + " " + x.name() + ": ";
    if (x.proto() instanceof RouteConfiguration rc && rc.getVirtualHostsCount() > 0) {
      ProtoRules.check(rc.toBuilder().clearVirtualHosts().build()).forEach(v -> out.add(at + v.path() + ": " + v.message()));
      for (int i = 0; i < rc.getVirtualHostsCount(); i++) {
        String prefix = "virtual_hosts[" + i + "]";
        for (Violation v : hosts.computeIfAbsent(rc.getVirtualHosts(i), ProtoRules::check)) {
          out.add(at + prefix + (v.path().isEmpty() ? "" : "." + v.path()) + ": " + v.message());
        }
      }
      return out;
    }
    ProtoRules.check(x.proto()).forEach(v -> out.add(at + v.path() + ": " + v.message()));
    return out;
  }

  /**
   * What one resource names and refers to, for {@link #consistency}: computed once per resource
   * and cacheable by its hash (it depends on the content only).
   *
   * @param rds route configurations its HTTP connection managers load (listeners)
   * @param clusters clusters it sends to (route configurations, tcp proxies)
   * @param eds the EDS service name (EDS clusters), or null
   * @param problems what could not be read
   */
  public record Facts(Set<String> rds, Set<String> clusters, String eds, List<String> problems) {
    /**
     * Empty parts as the shared empty collections. Why: a publisher keeps the facts of every
     * distinct cluster and load assignment its proxies hold, which name nothing, and two empty
     * hash sets and a list were 150 bytes of each.
     */
    public Facts {
      rds = rds.isEmpty() ? Set.of() : rds;
      clusters = clusters.isEmpty() ? Set.of() : clusters;
      problems = problems.isEmpty() ? List.of() : problems;
    }
  }

  /** The facts of one resource. */
  public static Facts facts(XdsResources.Resource x) {
    return facts(x, new IdentityHashMap<>());
  }

  /** The facts of one resource, with the clusters of each virtual host from {@code hosts} (a cache by instance). */
  public static Facts facts(XdsResources.Resource x, Map<Message, Set<String>> hosts) {
    Set<String> rds = new HashSet<>();
    Set<String> clusters = new HashSet<>();
    List<String> problems = new ArrayList<>();
    String eds = null;
    if (x.proto() instanceof Listener l) {
      if (l.hasApiListener()) {
        hcm(l.getApiListener().getApiListener(), rds, problems, l.getName());
      }
      for (FilterChain c : l.getFilterChainsList()) {
        for (Filter f : c.getFiltersList()) {
          Any a = f.getTypedConfig();
          if (a.is(HttpConnectionManager.class)) {
            hcm(a, rds, problems, l.getName());
          } else if (a.is(TcpProxy.class)) {
            try {
              TcpProxy t = a.unpack(TcpProxy.class);
              if (t.hasWeightedClusters()) {
                t.getWeightedClusters().getClustersList().forEach(w -> clusters.add(w.getName()));
              } else {
                clusters.add(t.getCluster());
              }
            } catch (InvalidProtocolBufferException e) {
              problems.add("listener " + l.getName() + ": unreadable tcp_proxy");
            }
          }
        }
      }
    } else if (x.proto() instanceof RouteConfiguration rc) {
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        clusters.addAll(hosts.computeIfAbsent(vh, h -> hostClusters((VirtualHost) h)));
      }
    } else if (x.proto() instanceof Cluster c && c.getType() == Cluster.DiscoveryType.EDS) {
      eds = c.getEdsClusterConfig().getServiceName().isEmpty() ? c.getName() : c.getEdsClusterConfig().getServiceName();
    } else if (x.proto() instanceof ClusterLoadAssignment cla) {
      eds = cla.getClusterName();
    }
    return new Facts(rds, clusters, eds, problems);
  }

  private static Set<String> hostClusters(VirtualHost vh) {
    Set<String> out = new HashSet<>();
    for (Route route : vh.getRoutesList()) {
      if (route.getRoute().hasWeightedClusters()) {
        for (WeightedCluster.ClusterWeight w : route.getRoute().getWeightedClusters().getClustersList()) {
          out.add(w.getName());
        }
      } else if (!route.getRoute().getCluster().isEmpty()) {
        out.add(route.getRoute().getCluster());
      }
      for (RouteAction.RequestMirrorPolicy m : route.getRoute().getRequestMirrorPoliciesList()) {
        out.add(m.getCluster());
      }
    }
    return out;
  }

  /** Reference consistency only (names, references, EDS pairing). */
  public static List<String> consistency(XdsResources r) {
    return consistency(r, XdsChecks::facts);
  }

  /**
   * {@link #consistency(XdsResources)} with each resource's facts from {@code facts} (a cache).
   * Why no sets of names: the lists are sorted by name, so a reference is found by binary search;
   * this runs for every proxy a change reaches.
   */
  public static List<String> consistency(XdsResources r, Function<XdsResources.Resource, Facts> facts) {
    List<String> out = new ArrayList<>();
    for (XdsResources.Type t : XdsResources.Type.values()) {
      // Lists are sorted by name: a duplicate is next to its twin.
      List<XdsResources.Resource> list = r.get(t);
      for (int i = 1; i < list.size(); i++) {
        if (list.get(i).name().equals(list.get(i - 1).name())) {
          out.add("duplicate " + t.key() + " name " + list.get(i).name());
        }
      }
    }
    List<XdsResources.Resource> routes = r.get(XdsResources.Type.ROUTE);
    List<XdsResources.Resource> clusters = r.get(XdsResources.Type.CLUSTER);
    Set<String> rdsRefs = new TreeSet<>();
    List<Facts> referring = new ArrayList<>();
    for (XdsResources.Type t : List.of(XdsResources.Type.LISTENER, XdsResources.Type.ROUTE)) {
      for (XdsResources.Resource x : r.get(t)) {
        Facts f = facts.apply(x);
        rdsRefs.addAll(f.rds());
        referring.add(f);
      }
    }
    references(referring, clusters, out);
    for (String rds : rdsRefs) {
      if (!has(routes, rds)) {
        out.add("route configuration " + rds + " is referenced by a listener but missing");
      }
    }
    for (XdsResources.Resource rc : routes) {
      if (!rdsRefs.contains(rc.name())) {
        out.add("route configuration " + rc.name() + " is not referenced by any listener");
      }
    }
    List<String> eds = new ArrayList<>();
    for (XdsResources.Resource x : clusters) {
      String e = facts.apply(x).eds();
      if (e != null) {
        eds.add(e);
      }
    }
    List<String> clas = new ArrayList<>();
    for (XdsResources.Resource x : r.get(XdsResources.Type.ENDPOINT)) {
      clas.add(facts.apply(x).eds());
    }
    eds.sort(null);
    clas.sort(null);
    if (!eds.equals(clas)) {
      out.add("EDS clusters " + new TreeSet<>(eds) + " and load assignments " + new TreeSet<>(clas) + " differ");
    }
    return out;
  }

  /**
   * {@link #consistency(XdsResources, Function)} of {@code r} when {@code before} passed it and the
   * two differ only in the contents of route configurations (same names of every type, every other
   * resource the same content): then listeners still load the same route configurations, the EDS
   * pairing is unchanged and every cluster {@code before} used still exists, so only the clusters
   * of the virtual hosts a changed route configuration did not hold before need to exist. Returns
   * null when that does not hold (the caller checks everything). Why: a weight change replaces one
   * virtual host in one route configuration on every proxy that reaches the service.
   *
   * @param hosts the clusters of each virtual host, a cache by instance (filled as needed)
   */
  public static List<String> consistencyAfterRouteChange(XdsResources before, XdsResources r,
      Map<Message, Set<String>> hosts) {
    List<XdsResources.Resource[]> changedRoutes = new ArrayList<>();
    for (XdsResources.Type t : XdsResources.Type.values()) {
      List<XdsResources.Resource> a = before.get(t);
      List<XdsResources.Resource> b = r.get(t);
      if (a == b) {
        continue;
      }
      if (a.size() != b.size()) {
        return null;
      }
      for (int i = 0; i < a.size(); i++) {
        XdsResources.Resource x = a.get(i);
        XdsResources.Resource y = b.get(i);
        if (x == y) {
          continue;
        }
        if (!x.name().equals(y.name())) {
          return null;
        }
        if (!x.hash().equals(y.hash())) {
          if (t != XdsResources.Type.ROUTE || !(x.proto() instanceof RouteConfiguration)
              || !(y.proto() instanceof RouteConfiguration)) {
            return null;
          }
          changedRoutes.add(new XdsResources.Resource[] {x, y});
        }
      }
    }
    List<Set<String>> used = new ArrayList<>();
    for (XdsResources.Resource[] pair : changedRoutes) {
      Set<VirtualHost> held = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      held.addAll(((RouteConfiguration) pair[0].proto()).getVirtualHostsList());
      for (VirtualHost vh : ((RouteConfiguration) pair[1].proto()).getVirtualHostsList()) {
        if (!held.contains(vh)) {
          used.add(hosts.computeIfAbsent(vh, h -> hostClusters((VirtualHost) h)));
        }
      }
    }
    List<String> out = new ArrayList<>();
    missingClusters(used, r.get(XdsResources.Type.CLUSTER), out);
    return out;
  }

  /** The problems of resources that refer to clusters, and every cluster they use that {@code clusters} lacks. */
  private static void references(List<Facts> referring, List<XdsResources.Resource> clusters, List<String> out) {
    List<Set<String>> used = new ArrayList<>();
    for (Facts f : referring) {
      out.addAll(f.problems());
      used.add(f.clusters());
    }
    missingClusters(used, clusters, out);
  }

  /** Each cluster named in {@code used} that {@code clusters} (sorted by name) lacks, once, in name order. */
  private static void missingClusters(List<Set<String>> used, List<XdsResources.Resource> clusters, List<String> out) {
    Set<String> missing = new TreeSet<>();
    for (Set<String> names : used) {
      for (String c : names) {
        if (!has(clusters, c)) {
          missing.add(c);
        }
      }
    }
    for (String c : missing) {
      out.add("cluster " + c + " is used but missing");
    }
  }

  /** Whether a list sorted by name has {@code name}. */
  private static boolean has(List<XdsResources.Resource> sorted, String name) {
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = sorted.get(mid).name().compareTo(name);
      if (c == 0) {
        return true;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return false;
  }

  private static void hcm(Any a, Set<String> rdsRefs, List<String> out, String listener) {
    try {
      HttpConnectionManager h = a.unpack(HttpConnectionManager.class);
      if (h.hasRds()) {
        rdsRefs.add(h.getRds().getRouteConfigName());
      }
    } catch (InvalidProtocolBufferException e) {
      out.add("listener " + listener + ": unreadable http_connection_manager");
    }
  }

}
