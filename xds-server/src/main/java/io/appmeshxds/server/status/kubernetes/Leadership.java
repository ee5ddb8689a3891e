package io.appmeshxds.server.status.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease (fabric8's {@link LeaderElector}). Every
 * replica translates and serves xDS; only the leader writes status. A replica that loses the lease
 * stops writing at once and competes again; closing releases the lease so another replica takes
 * over without waiting for it to expire.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** Timing: App Mesh's controller and client-go default to 15 s / 10 s / 2 s. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static Timing standard() {
      return new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Timing timing;
  private final Consumer<Boolean> onChange;
  private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "leader-election");
    t.setDaemon(true);
    return t;
  });
  private volatile CompletableFuture<?> running;
  private volatile boolean leader;
  private volatile String holder;
  private volatile boolean closed;

  public Leadership(KubernetesClient client, String namespace, String leaseName, String identity, Timing timing,
      Consumer<Boolean> onChange) {
    this.client = client;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = identity;
    this.timing = timing;
    this.onChange = onChange;
  }

  public Leadership start() {
    compete();
    return this;
  }

  private synchronized void compete() {
    if (closed) {
      return;
    }
    LeaderElector elector = client.leaderElector()
        .withConfig(new LeaderElectionConfigBuilder()
            .withName("appmesh-xds status writer")
            .withLeaseDuration(timing.leaseDuration())
            .withRenewDeadline(timing.renewDeadline())
            .withRetryPeriod(timing.retryPeriod())
            .withReleaseOnCancel(true)
            .withLock(new LeaseLock(namespace, leaseName, identity))
            .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
            .build())
        .build();
    CompletableFuture<?> f = elector.start();
    running = f;
    f.whenComplete((v, t) -> {
      // The elector ends when leadership is lost (or on an error): compete again unless closing.
      if (!closed) {
        restarts.schedule(this::compete, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  private void started() {
    leader = true;
    LOG.info("leader election: {} holds lease {}/{}", identity, namespace, leaseName);
    onChange.accept(true);
  }

  private void stopped() {
    if (leader) {
      leader = false;
      LOG.info("leader election: {} no longer leads", identity);
      onChange.accept(false);
    }
  }

  private void newLeader(String id) {
    holder = id;
    if (!identity.equals(id)) {
      LOG.info("leader election: {} leads; this replica ({}) serves xDS without writing status", id, identity);
    }
  }

  public boolean isLeader() {
    return leader;
  }

  /** The identity the lease names, as last observed, or null. */
  public String holder() {
    return holder;
  }

  public String identity() {
    return identity;
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<?> f = running;
    if (f != null) {
      f.cancel(true); // releases the lease (releaseOnCancel)
    }
    stopped();
    restarts.shutdownNow();
  }
}
