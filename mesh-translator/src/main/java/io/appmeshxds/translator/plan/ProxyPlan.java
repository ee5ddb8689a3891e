package io.appmeshxds.translator.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one proxy receives, before it becomes protos.
 *
 * @param key who receives it
 * @param listeners listeners, in a stable order
 * @param routeConfigs route configurations, by id order
 * @param clusters clusters, by id order
 * @param endpoints load assignments of the EDS clusters, by cluster order
 * @param notes what planning left out and why (logged, shown by render)
 * @param secrets the ACM secrets its listeners and clusters refer to, served over ADS, by name order
 *     of their references (see {@link SecretPlan})
 */
public record ProxyPlan(
    NodeKey key,
    List<ListenerPlan> listeners,
    List<RouteConfigPlan> routeConfigs,
    List<ClusterPlan> clusters,
    List<EndpointPlan> endpoints,
    List<String> notes,
    List<SecretPlan> secrets) {

  public ProxyPlan {
    listeners = List.copyOf(listeners);
    routeConfigs = List.copyOf(routeConfigs);
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    notes = List.copyOf(notes);
    secrets = List.copyOf(secrets);
  }

  /** A plan without secrets (they are added by {@link Planner} once the proxy's planner is done). */
  public ProxyPlan(NodeKey key, List<ListenerPlan> listeners, List<RouteConfigPlan> routeConfigs,
      List<ClusterPlan> clusters, List<EndpointPlan> endpoints, List<String> notes) {
    this(key, listeners, routeConfigs, clusters, endpoints, notes, List.of());
  }

  /** This plan with {@code secrets}, and {@code more} notes after its own. */
  public ProxyPlan withSecrets(List<SecretPlan> secrets, List<String> more) {
    List<String> n = notes;
    if (!more.isEmpty()) {
      n = new ArrayList<>(notes);
      n.addAll(more);
    }
    return new ProxyPlan(key, listeners, routeConfigs, clusters, endpoints, n, secrets);
  }

  /**
   * This plan with sub-plans replaced by instance ({@code subst}: an old instance to its
   * replacement) among its route configurations' virtual hosts, its clusters and its load
   * assignments; null when an instance of {@code subst} does not occur there (this plan was not
   * built from it, e.g. a virtual host whose domains were trimmed), or when a replaced cluster
   * refers to other ACM secrets than its replacement (the secrets must be collected again).
   * Listeners, notes and secrets are kept.
   */
  public ProxyPlan substitute(Map<Object, Object> subst) {
    Set<Object> applied = Collections.newSetFromMap(new IdentityHashMap<>());
    List<RouteConfigPlan> rcs = routeConfigs;
    for (int i = 0; i < rcs.size(); i++) {
      RouteConfigPlan rc = rcs.get(i);
      List<VirtualHostPlan> vhs = replaced(rc.virtualHosts(), subst, applied);
      if (vhs != rc.virtualHosts()) {
        if (rcs == routeConfigs) {
          rcs = new ArrayList<>(routeConfigs);
        }
        rcs.set(i, new RouteConfigPlan(rc.id(), vhs));
      }
    }
    List<ClusterPlan> cs = replaced(clusters, subst, applied);
    List<EndpointPlan> es = replaced(endpoints, subst, applied);
    if (applied.size() != subst.size()) {
      return null;
    }
    for (Map.Entry<Object, Object> e : subst.entrySet()) {
      if (e.getKey() instanceof ClusterPlan a && e.getValue() instanceof ClusterPlan b
          && !TlsPlan.acmRefs(a).equals(TlsPlan.acmRefs(b))) {
        return null;
      }
    }
    return new ProxyPlan(key, listeners, rcs, cs, es, notes, secrets);
  }

  /** {@code list} with replacements, or {@code list} itself when nothing in it is replaced. */
  @SuppressWarnings("unchecked")
  private static <T> List<T> replaced(List<T> list, Map<Object, Object> subst, Set<Object> applied) {
    List<T> out = list;
    for (int i = 0; i < list.size(); i++) {
      T x = list.get(i);
      Object y = subst.get(x);
      if (y != null) {
        if (out == list) {
          out = new ArrayList<>(list);
        }
        out.set(i, (T) y);
        applied.add(x);
      }
    }
    return out;
  }
}
