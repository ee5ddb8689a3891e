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
  private Map<String, List<String>> ruleResults = new HashMap<>();
  /** Rule results of virtual hosts, by instance: the translator shares one instance among every client's configuration. */
  private final Map<com.google.protobuf.Message, List<io.appmeshxds.translator.xds.Violation>> hostRules =
      new java.util.IdentityHashMap<>();
  private final Map<String, XdsChecks.Facts> facts = new HashMap<>();
  private final Map<com.google.protobuf.Message, java.util.Set<String>> hostClusters = new java.util.IdentityHashMap<>();

  public SnapshotPublisher(XdsCache cache, MeterRegistry metrics) {
    this.cache = cache;
    this.metrics = metrics;
  }

  public Result publish(Map<NodeKey, XdsResources> candidates) {
    int pub = 0;
    int same = 0;
    int bad = 0;
    int responses = 0;
    Map<String, List<String>> rulesNow = new HashMap<>();
    for (Map.Entry<NodeKey, XdsResources> e : candidates.entrySet()) {
      NodeKey key = e.getKey();
      XdsResources r = e.getValue();
      XdsResources old = published.get(key);
      if (old != null && old.equals(r)) {
        same++;
        continue;
      }
      List<String> problems = new ArrayList<>(XdsChecks.consistency(r, this::facts));
      for (XdsResources.Type t : XdsResources.Type.values()) {
        for (XdsResources.Resource x : r.get(t)) {
          List<String> ps = rulesNow.computeIfAbsent(x.hash() + t, h -> {
            List<String> prev = ruleResults.get(h);
            return prev != null ? prev : XdsChecks.rules(t, x, hostRules);
          });
          problems.addAll(ps);
        }
      }
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
    ruleResults.putAll(rulesNow);
    if (ruleResults.size() > 200_000) {
      ruleResults = rulesNow;
    }
    if (hostRules.size() > 200_000 || facts.size() > 200_000) {
      hostRules.clear();
      facts.clear();
      hostClusters.clear();
    }
    return new Result(pub, same, bad, responses);
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

  private XdsChecks.Facts facts(XdsResources.Resource x) {
    return facts.computeIfAbsent(x.hash() + x.proto().getDescriptorForType().getName(), h -> XdsChecks.facts(x, hostClusters));
  }

  /** The resources last published for a key, or null. */
  public XdsResources current(NodeKey key) {
    return published.get(key);
  }

  public int groups() {
    return published.size();
  }
}
