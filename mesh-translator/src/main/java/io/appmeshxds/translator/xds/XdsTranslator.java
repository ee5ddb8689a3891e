package io.appmeshxds.translator.xds;

import com.google.protobuf.Message;
import io.appmeshxds.translator.plan.ClusterPlan;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.EndpointPlan;
import io.appmeshxds.translator.plan.ListenerPlan;
import io.appmeshxds.translator.plan.ProxyPlan;
import io.appmeshxds.translator.plan.RouteConfigPlan;
import io.appmeshxds.translator.xds.XdsResources.Resource;
import io.appmeshxds.translator.xds.XdsResources.Type;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns plans into Envoy v3 resources. Each sub-plan (listener, route configuration, cluster, load
 * assignment) is built and hashed once and shared by every proxy whose plan contains an equal one;
 * entries unused for a generation are dropped ({@link #endGeneration()}).
 *
 * <p>Not thread-safe: one reconciler owns an instance.
 */
public final class XdsTranslator {
  private final ListenerFactory listeners;
  private Map<Object, Resource> current = new HashMap<>();
  private Map<Object, Resource> previous = new HashMap<>();
  private long built;

  public XdsTranslator() {
    this(List.of());
  }

  public XdsTranslator(List<ExtensionFactory> extensions) {
    this.listeners = new ListenerFactory(List.copyOf(extensions));
  }

  /** All resources of one proxy. */
  public XdsResources translate(ProxyPlan plan) {
    Dialect d = plan.key().dialect();
    Map<Type, List<Resource>> out = new EnumMap<>(Type.class);
    List<Resource> ls = new ArrayList<>();
    for (ListenerPlan l : plan.listeners()) {
      ls.add(cached(List.of(l, d), () -> Resource.of(Names.listener(l), listeners.build(l, d))));
    }
    List<Resource> rs = new ArrayList<>();
    for (RouteConfigPlan r : plan.routeConfigs()) {
      rs.add(cached(List.of(r, d), () -> Resource.of(Names.routeConfig(r.id()), RouteFactory.build(r, d))));
    }
    List<Resource> cs = new ArrayList<>();
    for (ClusterPlan c : plan.clusters()) {
      cs.add(cached(List.of(c, d), () -> Resource.of(Names.cluster(c.id()), ClusterFactory.build(c, d))));
    }
    List<Resource> es = new ArrayList<>();
    for (EndpointPlan e : plan.endpoints()) {
      es.add(cached(e, () -> Resource.of(Names.cluster(e.cluster()), EndpointFactory.build(e))));
    }
    out.put(Type.LISTENER, ls);
    out.put(Type.ROUTE, rs);
    out.put(Type.CLUSTER, cs);
    out.put(Type.ENDPOINT, es);
    return new XdsResources(plan.key(), out);
  }

  private Resource cached(Object key, Supplier<Resource> build) {
    Resource r = current.get(key);
    if (r == null) {
      r = previous.get(key);
      if (r == null) {
        r = build.get();
        built++;
      }
      current.put(key, r);
    }
    return r;
  }

  /** Ends a build: resources not used since the previous call are forgotten. */
  public void endGeneration() {
    previous = current;
    current = new HashMap<>();
  }

  /** Resources built (not reused) since this translator was created; for tests and metrics. */
  public long builtCount() {
    return built;
  }

  /** A proto of {@code type} by name, or null. */
  public static Message find(XdsResources r, Type type, String name) {
    return r.get(type).stream().filter(x -> x.name().equals(name)).map(Resource::proto).findFirst().orElse(null);
  }
}
