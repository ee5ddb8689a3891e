package io.appmeshxds.server.cloudmap;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.CloudMapAnswer;
import io.appmeshxds.translator.input.CloudMapQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;

/**
 * Asks AWS Cloud Map for the instances of every question the store's VirtualNodes ask ({@link
 * CloudMapQuery}: namespace, service, attribute filter), and records the answers in the store,
 * where the planner reads them as endpoints. Translation never calls AWS.
 *
 * <ul>
 *   <li><b>Shared</b>: one DiscoverInstances per distinct question, whatever the number of
 *       VirtualNodes (and proxies) that ask it.
 *   <li><b>Refresh</b>: every {@code refreshSeconds}, ±20 % jitter so questions spread out; after a
 *       failure 1 s, 2 s, 4 s … up to {@code maxBackoffSeconds} (jittered too). The SDK's own
 *       retries are off (the client is built without them): this schedule is the retry.
 *   <li><b>Failures never empty a cluster</b>: a failed call keeps the last answer's instances and
 *       records the error and since when; the VirtualNode's status says so, and the metrics count
 *       failures and how stale the oldest answer is. A service or namespace that does not exist is
 *       reported the same way (the last instances stay).
 *   <li><b>Start-up gate</b>: this is a store source; it reports synced once every question of the
 *       first complete store has an answer (or a definite "not found"), or {@code
 *       startupWaitSeconds} after it started asking, whichever comes first. Until then nothing is
 *       built or published, so a replica that cannot reach Cloud Map is not ready and serves no
 *       empty clusters; after the wait it serves everything else, and its Cloud Map clusters have
 *       no endpoints until an answer comes (their status says so).
 *   <li><b>Bounded</b>: one call asks for at most {@code maxInstances} (DiscoverInstances' {@code
 *       MaxResults}, at most 1000; the API does not page); an answer that long is flagged as
 *       possibly truncated. Calls run on four threads.
 * </ul>
 *
 * <p>{@link #start()} runs it on its own thread; {@link #runDue()} is one pass (tests drive it with
 * their own clock).
 */
public final class CloudMapDiscovery implements AutoCloseable {
  /** Its name as a store source. */
  public static final String SOURCE = "cloudmap";
  private static final Logger LOG = LoggerFactory.getLogger(CloudMapDiscovery.class);
  static final String IPV4 = "AWS_INSTANCE_IPV4";
  static final String IPV6 = "AWS_INSTANCE_IPV6";

  /** What is known of one question. Guarded by the object's monitor. */
  private static final class State {
    final CloudMapQuery query;
    Instant due;
    int failures;
    CloudMapAnswer answer;
    /** Answered, or a definite "not found": the start-up gate need not wait for it. */
    boolean settled;

    State(CloudMapQuery query, Instant due) {
      this.query = query;
      this.due = due;
    }
  }

  private final ResourceStore store;
  private final CloudMapConfig config;
  private final Supplier<ServiceDiscoveryClient> client;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Map<CloudMapQuery, State> states = new ConcurrentHashMap<>();
  private final ExecutorService calls = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "cloudmap-discover");
    t.setDaemon(true);
    return t;
  });
  private final Counter successes;
  private final MeterRegistry metrics;
  private volatile boolean questionsDirty = true;
  private volatile boolean synced;
  private Instant waitingSince;
  private final PassLoop loop;

  /**
   * @param store where answers go (and where the questions come from)
   * @param config {@code aws.cloudMap}
   * @param client the Cloud Map client (built on first use; a failure to build is a failed call)
   * @param clock the time answers are stamped with and the schedule runs on
   * @param random jitter in [0, 1)
   * @param metrics where the counters and gauges go
   */
  public CloudMapDiscovery(ResourceStore store, CloudMapConfig config, Supplier<ServiceDiscoveryClient> client, Clock clock,
      DoubleSupplier random, MeterRegistry metrics) {
    this.store = store;
    this.config = config;
    this.client = client;
    this.clock = clock;
    this.loop = new PassLoop("cloudmap-refresher", clock, this::runDue, () -> questionsDirty, LOG,
        "Cloud Map refresh failed; answers stay as they were");
    this.random = random;
    this.metrics = metrics;
    store.register(SOURCE);
    store.addListener(() -> {
      questionsDirty = true;
      signal();
    });
    successes = Counter.builder("appmeshxds_cloudmap_discover_calls_total").tag("outcome", "success")
        .description("DiscoverInstances calls").register(metrics);
    Gauge.builder("appmeshxds_cloudmap_questions", states, Map::size)
        .description("Distinct Cloud Map questions (namespace, service, attributes) asked").register(metrics);
    Gauge.builder("appmeshxds_cloudmap_questions_failing", this, d -> d.failing())
        .description("Questions whose last DiscoverInstances call failed (their clusters keep the last answer)").register(metrics);
    Gauge.builder("appmeshxds_cloudmap_stale_seconds", this, d -> d.staleSeconds())
        .description("How long the oldest failing question has been failing (0: none fails)").register(metrics);
  }

  /** Runs passes on a thread of its own until closed. */
  public CloudMapDiscovery start() {
    loop.start();
    return this;
  }

  private void signal() {
    loop.wake();
  }

  /**
   * One pass: learns the questions the store asks now (once every other source has synced), asks
   * every question that is due, and reports synced when the start-up gate opens. Returns when the
   * next question is due (null: none).
   */
  public Instant runDue() {
    if (!store.allSyncedExcept(SOURCE)) {
      return null;
    }
    Instant now = clock.instant();
    if (waitingSince == null) {
      waitingSince = now;
    }
    if (questionsDirty) {
      questionsDirty = false;
      updateQuestions(now);
    }
    List<Callable<Void>> due = new ArrayList<>();
    for (State s : states.values()) {
      synchronized (s) {
        if (!s.due.isAfter(now)) {
          due.add(() -> {
            ask(s);
            return null;
          });
        }
      }
    }
    if (!due.isEmpty()) {
      try {
        calls.invokeAll(due);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    openGate(clock.instant());
    Instant next = null;
    for (State s : states.values()) {
      synchronized (s) {
        next = next == null || s.due.isBefore(next) ? s.due : next;
      }
    }
    return next;
  }

  /** Whether the start-up gate has opened (this source reported synced). */
  public boolean synced() {
    return synced;
  }

  /** The questions asked now, sorted. */
  public Set<CloudMapQuery> questions() {
    return new TreeSet<>(states.keySet());
  }

  private void updateQuestions(Instant now) {
    Set<CloudMapQuery> wanted = new TreeSet<>();
    for (VirtualNode vn : store.snapshot().<VirtualNode>ofKind(Kind.VirtualNode)) {
      CloudMapQuery q = CloudMapQuery.of(vn);
      if (q != null) {
        wanted.add(q);
      }
    }
    for (CloudMapQuery q : wanted) {
      states.computeIfAbsent(q, k -> {
        LOG.info("Cloud Map: asking {}", k);
        return new State(k, now);
      });
    }
    for (CloudMapQuery q : new ArrayList<>(states.keySet())) {
      if (!wanted.contains(q)) {
        states.remove(q);
        store.cloudMapAnswer(q, null);
        LOG.info("Cloud Map: no VirtualNode asks {} any more", q);
      }
    }
  }

  /** One DiscoverInstances call for {@code s}; the answer (or the failure) goes to the store. */
  private void ask(State s) {
    CloudMapQuery q = s.query;
    CloudMapAnswer result;
    boolean ok;
    boolean notFound = false;
    String why = null;
    try {
      result = discover(client.get(), config, q);
      ok = true;
      successes.increment();
    } catch (SdkException e) {
      why = CloudMapErrors.describe(e);
      String code = CloudMapErrors.code(e);
      notFound = code.equals("ServiceNotFound") || code.equals("NamespaceNotFound");
      Counter.builder("appmeshxds_cloudmap_discover_failures_total").tag("code", code)
          .description("DiscoverInstances calls that failed, by AWS error code").register(metrics).increment();
      result = null;
      ok = false;
    } catch (RuntimeException e) {
      // A client that cannot be built (no region, …) or an unexpected answer: a failed call too.
      why = e.getClass().getSimpleName() + ": " + CloudMapErrors.clip(String.valueOf(e.getMessage()));
      Counter.builder("appmeshxds_cloudmap_discover_failures_total").tag("code", e.getClass().getSimpleName())
          .description("DiscoverInstances calls that failed, by AWS error code").register(metrics).increment();
      result = null;
      ok = false;
    }
    CloudMapAnswer toStore;
    synchronized (s) {
      if (states.get(q) != s) {
        return; // nobody asks it any more
      }
      Instant now = clock.instant();
      if (ok) {
        if (s.failures > 0) {
          LOG.info("Cloud Map: {} answers again ({} instances) after {} failed call(s) since {}", q,
              result.instances().size(), s.failures, s.answer == null ? "?" : s.answer.failingSince());
        }
        s.failures = 0;
        s.answer = result;
        s.settled = true;
        s.due = now.plusMillis(jittered(config.refreshSeconds() * 1000L));
      } else {
        s.failures++;
        if (s.failures == 1) {
          LOG.warn("Cloud Map: DiscoverInstances for {} failed: {}; {}", q, why,
              s.answer != null && s.answer.answered() ? "its clusters keep the " + s.answer.instances().size()
                  + " endpoint(s) last discovered" : "it has no answer yet");
        } else {
          LOG.debug("Cloud Map: DiscoverInstances for {} failed again ({}): {}", q, s.failures, why);
        }
        s.answer = s.answer == null ? CloudMapAnswer.failing(why, now) : s.answer.failed(why, now);
        s.settled |= notFound;
        long backoff = Math.min(config.maxBackoffSeconds() * 1000L, 1000L << Math.min(20, s.failures - 1));
        s.due = now.plusMillis(Math.min(config.maxBackoffSeconds() * 1000L, jittered(backoff)));
      }
      toStore = s.answer;
    }
    store.cloudMapAnswer(q, toStore);
  }

  /**
   * One DiscoverInstances call: the instances of {@code q} with the configured health status, at
   * most {@code maxInstances} (flagged truncated when the answer is that long).
   *
   * @throws SdkException when the call fails
   */
  public static CloudMapAnswer discover(ServiceDiscoveryClient client, CloudMapConfig config, CloudMapQuery q) {
    DiscoverInstancesResponse r = client.discoverInstances(b -> b.namespaceName(q.namespaceName())
        .serviceName(q.serviceName())
        .queryParameters(q.attributes())
        .healthStatus(config.healthStatus())
        .maxResults(config.maxInstances()));
    return CloudMapAnswer.of(instances(r.instances(), config.maxInstances()), r.instances().size() >= config.maxInstances());
  }

  /** {@code millis} ±20 %. */
  private long jittered(long millis) {
    return Math.max(1, Math.round(millis * (0.8 + 0.4 * random.getAsDouble())));
  }

  /** The instances of an answer, at most {@code max}, sorted by id; addresses that are not IP literals are dropped. */
  static List<CloudMapAnswer.Instance> instances(List<HttpInstanceSummary> in, int max) {
    List<CloudMapAnswer.Instance> out = new ArrayList<>();
    for (HttpInstanceSummary i : in) {
      if (out.size() >= max) {
        break;
      }
      Map<String, String> a = i.attributes();
      String v4 = a.get(IPV4);
      String v6 = a.get(IPV6);
      out.add(new CloudMapAnswer.Instance(i.instanceId(), CloudMapErrors.isIpv4(v4) ? v4 : null,
          CloudMapErrors.isIpv6(v6) ? CloudMapErrors.normalizeIpv6(v6) : null));
    }
    out.sort(java.util.Comparator.comparing(CloudMapAnswer.Instance::id, java.util.Comparator.nullsFirst(String::compareTo)));
    return out;
  }

  /** Opens the start-up gate when every question is settled or the wait is over. */
  private void openGate(Instant now) {
    if (synced) {
      return;
    }
    List<CloudMapQuery> open = new ArrayList<>();
    for (State s : states.values()) {
      synchronized (s) {
        if (!s.settled) {
          open.add(s.query);
        }
      }
    }
    boolean waited = !Duration.between(waitingSince, now).minusSeconds(config.startupWaitSeconds()).isNegative();
    if (open.isEmpty() || waited) {
      synced = true;
      if (!open.isEmpty()) {
        LOG.warn("Cloud Map: serving without an answer for {} question(s) after waiting {} s: {}; their clusters have "
            + "no endpoints until Cloud Map answers", open.size(), config.startupWaitSeconds(), open);
      }
      store.markSynced(SOURCE);
    }
  }

  private int failing() {
    int n = 0;
    for (State s : states.values()) {
      synchronized (s) {
        n += s.answer != null && s.answer.failing() ? 1 : 0;
      }
    }
    return n;
  }

  private double staleSeconds() {
    Instant now = clock.instant();
    double max = 0;
    for (State s : states.values()) {
      synchronized (s) {
        if (s.answer != null && s.answer.failingSince() != null) {
          max = Math.max(max, Duration.between(s.answer.failingSince(), now).toMillis() / 1000.0);
        }
      }
    }
    return max;
  }

  /** The current answers, for tests and logs. */
  Map<CloudMapQuery, CloudMapAnswer> answers() {
    Map<CloudMapQuery, CloudMapAnswer> out = new HashMap<>();
    states.forEach((q, s) -> {
      synchronized (s) {
        if (s.answer != null) {
          out.put(q, s.answer);
        }
      }
    });
    return out;
  }

  @Override
  public void close() {
    loop.close();
    calls.shutdownNow();
  }
}
