package io.appmeshxds.server.publish;

import io.appmeshxds.server.grpc.XdsCache;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsChecks;
import io.appmeshxds.translator.xds.XdsResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands resources to the {@link XdsCache}, one proxy group at a time: a set whose versions equal the
 * published ones is skipped (no message for a change that alters nothing a proxy holds); a set that
 * fails the checks is not published and the group keeps its last good set. Envoy's proto rules run
 * once per distinct resource (by content hash), not once per proxy, and once per shared virtual
 * host; what each resource refers to is read once per distinct resource too.
 *
 * <p>Not thread-safe: the reconciler thread owns it.
 */
public final class SnapshotPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);

  /** What one publish did. */
  public record Result(int published, int unchanged, int rejected, int responses) {}

  private final XdsCache cache;
  private final MeterRegistry metrics;
  private final Map<NodeKey, XdsResources> published = new HashMap<>();
  /**
   * What is known of each resource, by type and content hash (two resources of different types
   * can serialize to the same bytes).
   */
  private final Map<KnownKey, Known> known = new HashMap<>();
  /**
   * Rule results and clusters of virtual hosts, by instance: the translator shares one instance
   * among every client's configuration. Weak keys (compared by identity): a virtual host replaced
   * by a change is forgotten with the last configuration that held it.
   */
  private final Map<com.google.protobuf.Message, List<io.appmeshxds.translator.xds.rules.Violation>> hostRules =
      com.google.common.cache.CacheBuilder.newBuilder().weakKeys()
          .<com.google.protobuf.Message, List<io.appmeshxds.translator.xds.rules.Violation>>build().asMap();
  private final Map<com.google.protobuf.Message, java.util.Set<String>> hostClusters =
      com.google.common.cache.CacheBuilder.newBuilder().weakKeys()
          .<com.google.protobuf.Message, java.util.Set<String>>build().asMap();

  private record KnownKey(com.google.protobuf.Descriptors.Descriptor type, String hash) {
    static KnownKey of(XdsResources.Resource x) {
      return new KnownKey(x.proto().getDescriptorForType(), x.hash());
    }
  }

  /** Rule results and references of a resource, each computed when first asked for. */
  private static final class Known {
    List<String> rules;
    XdsChecks.Facts facts;
  }

  public SnapshotPublisher(XdsCache cache, MeterRegistry metrics) {
    this.cache = cache;
    this.metrics = metrics;
  }

  public Result publish(Map<NodeKey, XdsResources> candidates) {
    int pub = 0;
    int same = 0;
    int bad = 0;
    int responses = 0;
    for (Map.Entry<NodeKey, XdsResources> e : candidates.entrySet()) {
      NodeKey key = e.getKey();
      XdsResources r = e.getValue();
      XdsResources old = published.get(key);
      if (old != null && old.equals(r)) {
        same++;
        continue;
      }
      List<String> problems = problems(old, r);
      if (!problems.isEmpty()) {
        bad++;
        Counter.builder("appmeshxds_publish_rejected_total")
            .description("Resource sets withheld because they failed consistency or Envoy's proto rules")
            .register(metrics).increment();
        LOG.error("not publishing new config for {} (it keeps its last good config): {}", key,
            problems.size() > 5 ? problems.subList(0, 5) + " and " + (problems.size() - 5) + " more" : problems);
        continue;
      }
      published.put(key, r);
      responses += cache.set(key, r);
      pub++;
    }
    if (known.size() > 200_000 || hostRules.size() > 200_000) {
      known.clear();
      hostRules.clear();
      hostClusters.clear();
    }
    return new Result(pub, same, bad, responses);
  }

  /**
   * What keeps {@code r} from being published. Against the last published set of the key, when
   * there is one: resources it already held passed Envoy's rules then, and when only route
   * configurations changed only their references need checking. Why: this runs for every proxy a
   * change reaches, and a weight change reaches hundreds with one new route configuration each.
   */
  private List<String> problems(XdsResources old, XdsResources r) {
    List<String> cheap = old == null ? null : XdsChecks.consistencyAfterRouteChange(old, r, hostClusters);
    List<String> problems = new ArrayList<>(cheap != null ? cheap : XdsChecks.consistency(r, this::facts));
    for (XdsResources.Type t : XdsResources.Type.values()) {
      List<XdsResources.Resource> before = old == null ? List.of() : old.get(t);
      List<XdsResources.Resource> now = r.get(t);
      for (int i = 0; i < now.size(); i++) {
        XdsResources.Resource x = now.get(i);
        if (i < before.size() && before.get(i).hash().equals(x.hash())) {
          continue;
        }
        problems.addAll(rules(t, x));
      }
    }
    return problems;
  }

  /**
   * Forgets a key that is no longer planned: the cache drops its resources (unless a stream still
   * watches it), so a proxy that connects later is answered with a fresh plan, never stale config.
   */
  public void forget(NodeKey key) {
    if (cache.forget(key)) {
      published.remove(key);
    }
  }

  private List<String> rules(XdsResources.Type t, XdsResources.Resource x) {
    if (t == XdsResources.Type.ROUTE) {
      // Not kept: a route configuration is one proxy's own and every change makes new ones, so
      // entries by its hash piled up (one per client and change, 3 KB of every held stream in the
      // benchmark); its rules are its name's plus its virtual hosts', which are kept per host.
      return XdsChecks.rules(t, x, hostRules);
    }
    Known k = known.computeIfAbsent(KnownKey.of(x), h -> new Known());
    if (k.rules == null) {
      List<String> rules = XdsChecks.rules(t, x, hostRules);
      k.rules = rules.isEmpty() ? List.of() : rules;
    }
    return k.rules;
  }

  private XdsChecks.Facts facts(XdsResources.Resource x) {
    if (x.proto() instanceof io.envoyproxy.envoy.config.route.v3.RouteConfiguration) {
      // Not kept: a route configuration is one proxy's own, and its facts are the union of its
      // virtual hosts' clusters (kept per virtual host), a set of ~40 names per proxy.
      return XdsChecks.facts(x, hostClusters);
    }
    Known k = known.computeIfAbsent(KnownKey.of(x), h -> new Known());
    if (k.facts == null) {
      k.facts = XdsChecks.facts(x, hostClusters);
    }
    return k.facts;
  }

  /** The resources last published for a key, or null. */
  public XdsResources current(NodeKey key) {
    return published.get(key);
  }

  public int groups() {
    return published.size();
  }

  /** Distinct resources whose rule results or references are kept; for tests. */
  int knownResources() {
    return known.size();
  }
}
