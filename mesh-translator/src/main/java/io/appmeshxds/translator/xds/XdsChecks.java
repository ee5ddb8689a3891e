package io.appmeshxds.translator.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
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
    List<String> out = new ArrayList<>();
    ProtoRules.check(x.proto()).forEach(v -> out.add(t.key() + " " + x.name() + ": " + v.path() + ": " + v.message()));
    return out;
  }

  /** Reference consistency only (names, references, EDS pairing). */
  public static List<String> consistency(XdsResources r) {
    List<String> out = new ArrayList<>();
    for (XdsResources.Type t : XdsResources.Type.values()) {
      Set<String> seen = new HashSet<>();
      r.get(t).forEach(x -> {
        if (!seen.add(x.name())) {
          out.add("duplicate " + t.key() + " name " + x.name());
        }
      });
    }
    Set<String> routes = names(r, XdsResources.Type.ROUTE);
    Set<String> clusters = names(r, XdsResources.Type.CLUSTER);
    Set<String> rdsRefs = new TreeSet<>();
    Set<String> clusterRefs = new TreeSet<>();
    for (Listener l : r.<Listener>protos(XdsResources.Type.LISTENER)) {
      if (l.hasApiListener()) {
        hcm(l.getApiListener().getApiListener(), rdsRefs, out, l.getName());
      }
      for (FilterChain c : l.getFilterChainsList()) {
        for (Filter f : c.getFiltersList()) {
          Any a = f.getTypedConfig();
          if (a.is(HttpConnectionManager.class)) {
            hcm(a, rdsRefs, out, l.getName());
          } else if (a.is(TcpProxy.class)) {
            try {
              TcpProxy t = a.unpack(TcpProxy.class);
              if (t.hasWeightedClusters()) {
                t.getWeightedClusters().getClustersList().forEach(w -> clusterRefs.add(w.getName()));
              } else {
                clusterRefs.add(t.getCluster());
              }
            } catch (InvalidProtocolBufferException e) {
              out.add("listener " + l.getName() + ": unreadable tcp_proxy");
            }
          }
        }
      }
    }
    for (String rds : rdsRefs) {
      if (!routes.contains(rds)) {
        out.add("route configuration " + rds + " is referenced by a listener but missing");
      }
    }
    for (String rc : routes) {
      if (!rdsRefs.contains(rc)) {
        out.add("route configuration " + rc + " is not referenced by any listener");
      }
    }
    for (RouteConfiguration rc : r.<RouteConfiguration>protos(XdsResources.Type.ROUTE)) {
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        for (Route route : vh.getRoutesList()) {
          if (route.getRoute().hasWeightedClusters()) {
            for (WeightedCluster.ClusterWeight w : route.getRoute().getWeightedClusters().getClustersList()) {
              clusterRefs.add(w.getName());
            }
          } else if (!route.getRoute().getCluster().isEmpty()) {
            clusterRefs.add(route.getRoute().getCluster());
          }
        }
      }
    }
    for (String c : clusterRefs) {
      if (!clusters.contains(c)) {
        out.add("cluster " + c + " is used but missing");
      }
    }
    Set<String> eds = new TreeSet<>();
    r.<Cluster>protos(XdsResources.Type.CLUSTER).forEach(c -> {
      if (c.getType() == Cluster.DiscoveryType.EDS) {
        eds.add(c.getEdsClusterConfig().getServiceName().isEmpty() ? c.getName() : c.getEdsClusterConfig().getServiceName());
      }
    });
    Set<String> clas = new TreeSet<>();
    r.<ClusterLoadAssignment>protos(XdsResources.Type.ENDPOINT).forEach(c -> clas.add(c.getClusterName()));
    if (!eds.equals(clas)) {
      out.add("EDS clusters " + eds + " and load assignments " + clas + " differ");
    }
    return out;
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

  private static Set<String> names(XdsResources r, XdsResources.Type t) {
    Set<String> s = new TreeSet<>();
    r.get(t).forEach(x -> s.add(x.name()));
    return s;
  }
}
