package io.appmeshxds.server.cloudmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.server.testing.FakeCloudMap;
import io.appmeshxds.server.testing.MutableClock;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.PortMapping;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.CloudMapAnswer;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.appmeshxds.translator.input.ObjectRef;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Cloud Map refresher against a loopback Cloud Map, through the real SDK client, on a clock the
 * test moves: one call per distinct question, the refresh and backoff schedule, failures that keep
 * the last instances and say since when, the start-up gate, and the bounds.
 */
class CloudMapDiscoveryTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  FakeCloudMap cloudMap;
  MutableClock clock = new MutableClock(T0);
  PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  List<AutoCloseable> closing = new ArrayList<>();
  FakeCloudMap.Service colors;

  @BeforeEach
  void start() throws Exception {
    cloudMap = new FakeCloudMap();
    FakeCloudMap.Namespace ns = cloudMap.namespace("colors.pvt.local", "DNS_PRIVATE");
    colors = cloudMap.service(ns, "colorteller", false);
    cloudMap.put(colors, "10.0.1.1", Map.of("AWS_INSTANCE_IPV4", "10.0.1.1", "color", "blue", "AWS_INSTANCE_PORT", "9080"));
    cloudMap.put(colors, "10.0.1.2", Map.of("AWS_INSTANCE_IPV4", "10.0.1.2", "color", "blue"));
    cloudMap.put(colors, "10.0.2.1", Map.of("AWS_INSTANCE_IPV4", "10.0.2.1", "color", "red"));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    cloudMap.close();
  }

  static VirtualNode node(String name, String service, String... attrs) {
    List<VirtualNode.CloudMapAttribute> list = new ArrayList<>();
    for (int i = 0; i < attrs.length; i += 2) {
      list.add(new VirtualNode.CloudMapAttribute(attrs[i], attrs[i + 1]));
    }
    return new VirtualNode(ObjectMeta.of("colors", name), new VirtualNode.Spec(null, null,
        List.of(new VirtualNode.Listener(PortMapping.of(8080, PortProtocol.http), null, null, null, null, null)),
        new VirtualNode.ServiceDiscovery(new VirtualNode.CloudMap("colors.pvt.local", service, list), null),
        List.of(), List.of(), null, null, null));
  }

  private ResourceStore store(VirtualNode... nodes) {
    ResourceStore store = new ResourceStore();
    store.register("k8s");
    for (VirtualNode vn : nodes) {
      store.put("k8s", ObjectRef.of(vn), vn);
    }
    store.markSynced("k8s");
    return store;
  }

  private CloudMapDiscovery discovery(ResourceStore store, CloudMapConfig config, double... randoms) {
    CloudMapSetup setup = cloudMap.setup(config, clock, false, "AKIDTEST");
    double[] r = randoms.length == 0 ? new double[] {0.5} : randoms;
    int[] next = {0};
    CloudMapDiscovery d = new CloudMapDiscovery(store, config, setup::client, clock, () -> r[next[0]++ % r.length], metrics);
    closing.add(d);
    closing.add(setup);
    return d;
  }

  static CloudMapQuery query(String service, String... attrs) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < attrs.length; i += 2) {
      m.put(attrs[i], attrs[i + 1]);
    }
    return new CloudMapQuery("colors.pvt.local", service, new TreeMap<>(m));
  }

  @Test
  void oneCallPerQuestionSharedByEveryNodeThatAsksIt() {
    ResourceStore store = store(node("blue-a", "colorteller", "color", "blue"), node("blue-b", "colorteller", "color", "blue"),
        node("red", "colorteller", "color", "red"));
    CloudMapDiscovery d = discovery(store, CloudMapConfig.defaults());
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances")).as("two distinct questions, three nodes").hasSize(2);
    assertThat(cloudMap.calls("DiscoverInstances")).allSatisfy(c -> {
      assertThat(c.body().get("HealthStatus").asString()).isEqualTo("HEALTHY");
      assertThat(c.body().get("MaxResults").asInt()).isEqualTo(1000);
      assertThat(c.body().get("NamespaceName").asString()).isEqualTo("colors.pvt.local");
      assertThat(c.accessKeyId()).isEqualTo("AKIDTEST");
    });
    Map<CloudMapQuery, CloudMapAnswer> answers = store.snapshot().cloudMap();
    assertThat(answers.get(query("colorteller", "color", "blue")).instances()).containsExactly(
        new CloudMapAnswer.Instance("10.0.1.1", "10.0.1.1", null), new CloudMapAnswer.Instance("10.0.1.2", "10.0.1.2", null));
    assertThat(answers.get(query("colorteller", "color", "red")).instances())
        .containsExactly(new CloudMapAnswer.Instance("10.0.2.1", "10.0.2.1", null));
    assertThat(d.synced()).isTrue();
    assertThat(store.allSynced()).isTrue();
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances")).as("nothing is due before the refresh interval").hasSize(2);
  }

  @Test
  void refreshesOnItsIntervalWithJitterAndBacksOffExponentiallyOnFailure() {
    ResourceStore store = store(node("blue", "colorteller", "color", "blue"));
    // Jitter: 0.0 -> 0.8 x, 1.0 -> 1.2 x; first refresh at 15 s x 0.8 = 12 s, then 15 s x 1.2 = 18 s.
    CloudMapDiscovery d = discovery(store, CloudMapConfig.defaults(), 0.0, 0.9999999);
    d.runDue();
    clock.advance(Duration.ofMillis(11_999));
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances")).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances")).hasSize(2);
    clock.advance(Duration.ofMillis(17_999));
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances")).hasSize(2);
    clock.advance(Duration.ofMillis(1));
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances")).hasSize(3);

    // An outage from the next refresh (due at 30 s + 15 s x 0.8): retries after 1, 2, 4, 8, 16, 32 s, then
    // 60 s (the cap), each jittered (x 1.2 and x 0.8 in turn here), never beyond the cap.
    cloudMap.outage("DiscoverInstances", true);
    List<Long> at = callTimes(d, Duration.ofSeconds(300));
    assertThat(at.get(0)).isEqualTo(42_000L);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < at.size(); i++) {
      gaps.add(at.get(i) - at.get(i - 1));
    }
    assertThat(gaps.subList(0, 9)).containsExactly(1_200L, 1_600L, 4_800L, 6_400L, 19_200L, 25_600L, 60_000L, 48_000L, 60_000L);
  }

  /** Moves the clock 100 ms at a time for {@code span}, running every pass; returns when calls happened (ms since T0). */
  private List<Long> callTimes(CloudMapDiscovery d, Duration span) {
    List<Long> at = new ArrayList<>();
    Instant end = clock.instant().plus(span);
    int seen = cloudMap.calls("DiscoverInstances").size();
    while (clock.instant().isBefore(end)) {
      clock.advance(Duration.ofMillis(100));
      d.runDue();
      int now = cloudMap.calls("DiscoverInstances").size();
      if (now > seen) {
        at.add(Duration.between(T0, clock.instant()).toMillis());
        seen = now;
      }
    }
    return at;
  }

  @Test
  void aFailingCallKeepsTheLastInstancesAndSaysSinceWhen() {
    ResourceStore store = store(node("blue", "colorteller", "color", "blue"));
    CloudMapDiscovery d = discovery(store, CloudMapConfig.defaults());
    d.runDue();
    CloudMapQuery q = query("colorteller", "color", "blue");
    CloudMapAnswer good = store.snapshot().cloudMap().get(q);
    assertThat(good.instances()).hasSize(2);
    assertThat(good.failing()).isFalse();

    cloudMap.outage("DiscoverInstances", true);
    clock.advance(Duration.ofSeconds(15));
    Instant failedAt = clock.instant();
    d.runDue();
    CloudMapAnswer bad = store.snapshot().cloudMap().get(q);
    assertThat(bad.instances()).as("a failed call never empties the cluster").isEqualTo(good.instances());
    assertThat(bad.answered()).isTrue();
    assertThat(bad.error()).isEqualTo("ServiceUnavailable: Service unavailable (simulated outage) (HTTP 503)");
    assertThat(bad.failingSince()).isEqualTo(failedAt);
    long revision = store.revision();
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      d.runDue();
    }
    assertThat(cloudMap.calls("DiscoverInstances")).as("backing off: 1, 2, 4, 8 s").hasSize(6);
    assertThat(store.revision()).as("further failures change nothing: no rebuild, no status write").isEqualTo(revision);
    assertThat(store.snapshot().cloudMap().get(q).failingSince()).isEqualTo(failedAt);
    String scrape = metrics.scrape();
    assertThat(scrape).contains("appmeshxds_cloudmap_questions_failing 1.0").contains("appmeshxds_cloudmap_stale_seconds 50.0")
        .contains("appmeshxds_cloudmap_discover_failures_total{code=\"ServiceUnavailable\"} 5.0");

    cloudMap.outage("DiscoverInstances", false);
    cloudMap.remove(colors, "10.0.1.2");
    clock.advance(Duration.ofSeconds(60));
    d.runDue();
    CloudMapAnswer back = store.snapshot().cloudMap().get(q);
    assertThat(back.failing()).isFalse();
    assertThat(back.failingSince()).isNull();
    assertThat(back.instances()).extracting(CloudMapAnswer.Instance::id).containsExactly("10.0.1.1");
    assertThat(metrics.scrape()).contains("appmeshxds_cloudmap_questions_failing 0.0").contains("appmeshxds_cloudmap_stale_seconds 0.0");
  }

  @Test
  void startupGateWaitsForEveryFirstAnswerButNotForever() {
    cloudMap.outage("DiscoverInstances", true);
    ResourceStore store = new ResourceStore();
    store.register("k8s");
    store.put("k8s", ObjectRef.of(node("blue", "colorteller", "color", "blue")), node("blue", "colorteller", "color", "blue"));
    CloudMapDiscovery d = discovery(store, new CloudMapConfig(null, null, null, null, 60, null));
    d.runDue();
    assertThat(cloudMap.calls()).as("no question is asked before the other sources have synced").isEmpty();
    store.markSynced("k8s");
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances")).hasSize(1);
    assertThat(store.allSynced()).as("a first answer is missing: nothing may be built yet").isFalse();
    assertThat(store.syncedSnapshot()).isNull();
    for (int i = 0; i < 59; i++) {
      clock.advance(Duration.ofSeconds(1));
      d.runDue();
    }
    assertThat(store.allSynced()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    d.runDue();
    assertThat(store.allSynced()).as("after startupWaitSeconds the rest of the mesh is served").isTrue();
    assertThat(store.snapshot().cloudMap().get(query("colorteller", "color", "blue")).answered()).isFalse();
  }

  @Test
  void aServiceThatDoesNotExistIsADefiniteAnswerForTheGateAndKeepsWhatWasKnown() {
    ResourceStore store = store(node("ghost", "ghost"), node("blue", "colorteller", "color", "blue"));
    CloudMapDiscovery d = discovery(store, CloudMapConfig.defaults());
    d.runDue();
    assertThat(store.allSynced()).as("not found is an answer: nothing to wait for").isTrue();
    CloudMapAnswer ghost = store.snapshot().cloudMap().get(query("ghost"));
    assertThat(ghost.answered()).isFalse();
    assertThat(ghost.error()).startsWith("ServiceNotFound: No service found with name ghost");
  }

  @Test
  void answersAreBoundedAndFlaggedWhenCloudMapMayHoldMore() {
    for (int i = 3; i <= 9; i++) {
      cloudMap.put(colors, "10.0.1." + i, Map.of("AWS_INSTANCE_IPV4", "10.0.1." + i, "color", "blue"));
    }
    ResourceStore store = store(node("blue", "colorteller", "color", "blue"));
    CloudMapDiscovery d = discovery(store, new CloudMapConfig(null, null, 5, null, null, null));
    d.runDue();
    assertThat(cloudMap.calls("DiscoverInstances").get(0).body().get("MaxResults").asInt()).isEqualTo(5);
    CloudMapAnswer a = store.snapshot().cloudMap().get(query("colorteller", "color", "blue"));
    assertThat(a.instances()).hasSize(5);
    assertThat(a.truncated()).isTrue();
  }

  @Test
  void addressesThatAreNotIpLiteralsAreNotEndpoints() {
    cloudMap.put(colors, "odd", Map.of("AWS_INSTANCE_IPV4", "colorteller.local", "AWS_INSTANCE_IPV6", "fe80::1%eth0", "color", "green"));
    cloudMap.put(colors, "v6", Map.of("AWS_INSTANCE_IPV6", "FD00:EC2::23", "color", "green"));
    cloudMap.put(colors, "both", Map.of("AWS_INSTANCE_IPV4", "10.0.3.3", "AWS_INSTANCE_IPV6", "fd00:ec2::33", "color", "green"));
    ResourceStore store = store(node("green", "colorteller", "color", "green"));
    discovery(store, CloudMapConfig.defaults()).runDue();
    assertThat(store.snapshot().cloudMap().get(query("colorteller", "color", "green")).instances()).containsExactly(
        new CloudMapAnswer.Instance("both", "10.0.3.3", "fd00:ec2::33"), new CloudMapAnswer.Instance("odd", null, null),
        new CloudMapAnswer.Instance("v6", null, "fd00:ec2::23"));
  }

  @Test
  void aQuestionNobodyAsksAnyMoreIsForgotten() {
    VirtualNode red = node("red", "colorteller", "color", "red");
    ResourceStore store = store(node("blue", "colorteller", "color", "blue"), red);
    CloudMapDiscovery d = discovery(store, CloudMapConfig.defaults());
    d.runDue();
    assertThat(store.snapshot().cloudMap()).hasSize(2);
    store.put("k8s", ObjectRef.of(red), null);
    d.runDue();
    assertThat(store.snapshot().cloudMap()).containsOnlyKeys(query("colorteller", "color", "blue"));
    assertThat(d.questions()).containsExactly(query("colorteller", "color", "blue"));
  }
}
