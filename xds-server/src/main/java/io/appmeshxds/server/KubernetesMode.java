package io.appmeshxds.server;

import io.appmeshxds.server.cloudmap.CloudMapRegistrar;
import io.appmeshxds.server.cloudmap.CloudMapSetup;
import io.appmeshxds.server.status.StatusSink;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.model.BuildResult;
import java.util.concurrent.atomic.AtomicReference;
import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.server.grpc.ProxyAuthorization;
import io.appmeshxds.server.source.kubernetes.KubernetesSource;
import io.appmeshxds.server.source.kubernetes.ServiceAccountPods;
import io.appmeshxds.server.status.kubernetes.KubernetesStatusSink;
import io.appmeshxds.server.status.kubernetes.Leadership;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * {@code serve --kubernetes}: a control plane fed by the cluster's informers, writing status and
 * registering Cloud Map VirtualNodes' pods in Cloud Map while it holds the lease. Every replica
 * translates and serves xDS (and asks Cloud Map for instances). With proxy authorization on and
 * its {@code pods} setting, every replica also watches pods ({@link ServiceAccountPods}) so that a
 * proxy's service account must run a pod its node's podSelector selects.
 */
public final class KubernetesMode implements AutoCloseable {
  /** Name of the Lease the replicas compete for. */
  public static final String LEASE_NAME = "appmesh-xds-leader";

  /**
   * @param watchNamespace watch only this namespace, or null for all
   * @param leaseNamespace where the Lease lives (the control plane's own namespace)
   * @param identity this replica's name in the Lease (the pod name)
   * @param timing lease timing
   * @param gatewayControllerName {@code controllerName} of our entries in Gateway API routes'
   *     {@code status.parents[]}
   * @param gatewayApiRecheck how often API discovery is asked again for a Gateway API kind the
   *     cluster does not serve (its CRD not installed)
   */
  public record Settings(String watchNamespace, String leaseNamespace, String identity, Leadership.Timing timing,
      String gatewayControllerName, java.time.Duration gatewayApiRecheck) {
    public Settings(String watchNamespace, String leaseNamespace, String identity, Leadership.Timing timing) {
      this(watchNamespace, leaseNamespace, identity, timing, KubernetesStatusSink.DEFAULT_GATEWAY_CONTROLLER,
          java.time.Duration.ofSeconds(60));
    }

    /** Lease in the pod's namespace, identity from the pod name, standard timing. */
    public static Settings inCluster(String watchNamespace, KubernetesClient client) {
      return new Settings(watchNamespace, ownNamespace(client), ownIdentity(), Leadership.Timing.standard());
    }

    /** The same with another Gateway API controller name and discovery recheck interval. */
    public Settings withGatewayApi(String controllerName, java.time.Duration recheck) {
      return new Settings(watchNamespace, leaseNamespace, identity, timing, controllerName, recheck);
    }
  }

  private final KubernetesClient client;
  private final KubernetesStatusSink sink;
  private final ControlPlane cp;
  private final KubernetesSource source;
  private final Leadership leadership;
  private final CloudMapRegistrar registrar;
  private final ServiceAccountPods pods;

  private KubernetesMode(KubernetesClient client, Pipeline pipeline, ControlPlane.Settings cps, Settings s,
      ControlPlaneTelemetry telemetry, CloudMapSetup cloudMap,
      java.util.function.UnaryOperator<ControlPlane> configure) throws IOException {
    this.client = client;
    this.sink = new KubernetesStatusSink(client, Clock.systemUTC(), s.gatewayControllerName());
    // The registrar hears of every build, as the status writer does; it needs the control plane's model.
    AtomicReference<CloudMapRegistrar> registrarRef = new AtomicReference<>();
    StatusSink afterBuild = report -> {
      CloudMapRegistrar r = registrarRef.get();
      if (r != null) {
        r.publish(report);
      }
    };
    ControlPlane c = configure.apply(new ControlPlane(pipeline, cps, List.of(sink, afterBuild), List.of()).telemetry(telemetry)
        .cloudMap(cloudMap));
    ProxyAuthorization.Settings authz = c.authorizationSettings();
    // Listed while the App Mesh kinds are: the first proxies after a restart meet a known pod set.
    this.pods = authz != null && authz.mode() != ProxyAuthorization.Mode.OFF && authz.pods()
        ? new ServiceAccountPods(s.watchNamespace()).start(client) : null;
    try {
      this.cp = (pods == null ? c : c.pods(pods::anyRunning)).start();
    } catch (IOException | RuntimeException e) {
      if (pods != null) {
        pods.close();
      }
      throw e;
    }
    if (pods != null) {
      Gauge.builder("appmeshxds_proxy_authorization_pods_known", pods, p -> p.known() ? 1 : 0)
          .description("1 while the pods proxy authorization consults are listed and watched (else: namespace rule only)")
          .register(cp.metrics());
      Gauge.builder("appmeshxds_proxy_authorization_pods", pods, ServiceAccountPods::size)
          .description("Running pods kept for proxy authorization's service-account check").register(cp.metrics());
    }
    if (cloudMap.config().registration().enabled()) {
      registrar = new CloudMapRegistrar(client, cloudMap, () -> {
        BuildResult b = cp.reconciler().lastBuild();
        return b == null ? null : b.model();
      }, cp.metrics());
      registrarRef.set(registrar);
      if (cloudMap.driven()) {
        registrar.start();
      }
    } else {
      registrar = null;
    }
    this.source = new KubernetesSource(client, cp.store(), s.watchNamespace()).gatewayApiRecheck(s.gatewayApiRecheck());
    source.onAppMeshAdded(sink::touch);
    source.start();
    this.leadership = new Leadership(client, s.leaseNamespace(), LEASE_NAME, s.identity(), s.timing(), leads -> {
      sink.leader(leads);
      if (registrar != null) {
        registrar.leader(leads);
      }
    }).start();
    FunctionCounter.builder("appmeshxds_status_writes_total", sink, KubernetesStatusSink::writes)
        .description("Status subresource writes by this replica").register(cp.metrics());
    FunctionCounter.builder("appmeshxds_status_conflicts_total", sink, KubernetesStatusSink::conflicts)
        .description("Status writes answered 409 and retried").register(cp.metrics());
    Gauge.builder("appmeshxds_leader", leadership, l -> l.isLeader() ? 1 : 0)
        .description("1 while this replica holds the lease and writes status").register(cp.metrics());
    Gauge.builder("appmeshxds_kubernetes_synced", source, src -> src.synced() ? 1 : 0)
        .description("1 while every watched kind has completed its latest list").register(cp.metrics());
  }

  /** Starts the control plane, the informers and leader election; returns without waiting for sync. */
  public static KubernetesMode start(KubernetesClient client, Pipeline pipeline, ControlPlane.Settings cps, Settings s)
      throws IOException {
    return start(client, pipeline, cps, s, ControlPlaneTelemetry.noop());
  }

  /** As {@link #start(KubernetesClient, Pipeline, ControlPlane.Settings, Settings)}, with control-plane spans. */
  public static KubernetesMode start(KubernetesClient client, Pipeline pipeline, ControlPlane.Settings cps, Settings s,
      ControlPlaneTelemetry telemetry) throws IOException {
    return start(client, pipeline, cps, s, telemetry, CloudMapSetup.of(ControlPlaneConfig.defaults().aws()));
  }

  /**
   * As {@link #start(KubernetesClient, Pipeline, ControlPlane.Settings, Settings, ControlPlaneTelemetry)},
   * with how Cloud Map is called (discovery on every replica; registration by the lease holder when
   * {@code aws.cloudMap.registration.enabled}).
   */
  public static KubernetesMode start(KubernetesClient client, Pipeline pipeline, ControlPlane.Settings cps, Settings s,
      ControlPlaneTelemetry telemetry, CloudMapSetup cloudMap) throws IOException {
    return start(client, pipeline, cps, s, telemetry, cloudMap, c -> c);
  }

  /** As above; {@code configure} sets up the control plane before it starts (e.g. xDS TLS and authorization). */
  public static KubernetesMode start(KubernetesClient client, Pipeline pipeline, ControlPlane.Settings cps, Settings s,
      ControlPlaneTelemetry telemetry, CloudMapSetup cloudMap, java.util.function.UnaryOperator<ControlPlane> configure)
      throws IOException {
    return new KubernetesMode(client, pipeline, cps, s, telemetry, cloudMap, configure);
  }

  /** As above, with the admin port's options (its bearer token, limits). */
  public static KubernetesMode start(KubernetesClient client, Pipeline pipeline, ControlPlane.Settings cps, Settings s,
      ControlPlaneTelemetry telemetry, CloudMapSetup cloudMap, io.appmeshxds.server.admin.AdminServer.Options admin)
      throws IOException {
    return start(client, pipeline, cps, s, telemetry, cloudMap, c -> c.adminOptions(admin));
  }

  /** The Cloud Map registrar, or null when registration is off. */
  public CloudMapRegistrar cloudMapRegistrar() {
    return registrar;
  }

  public ControlPlane controlPlane() {
    return cp;
  }

  public KubernetesSource source() {
    return source;
  }

  public KubernetesStatusSink statusSink() {
    return sink;
  }

  public Leadership leadership() {
    return leadership;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The pods proxy authorization consults, or null when it does not (authorization off, or its pods setting off). */
  public ServiceAccountPods pods() {
    return pods;
  }

  /** Releases the lease first (another replica takes over at once), then stops everything. */
  @Override
  public void close() throws InterruptedException {
    leadership.close();
    if (registrar != null) {
      registrar.close();
    }
    source.close();
    sink.close();
    cp.close();
    if (pods != null) {
      pods.close();
    }
  }

  /**
   * {@code POD_NAMESPACE}, else the service account's namespace, else the kubeconfig context's
   * namespace (a run outside the cluster), else appmesh-system.
   */
  static String ownNamespace(KubernetesClient client) {
    String env = System.getenv("POD_NAMESPACE");
    if (env != null && !env.isBlank()) {
      return env;
    }
    Path sa = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    try {
      if (Files.isReadable(sa)) {
        return Files.readString(sa).strip();
      }
    } catch (IOException e) {
      // fall through
    }
    String configured = client.getConfiguration().getNamespace();
    return configured != null && !configured.isBlank() ? configured : "appmesh-system";
  }

  /** {@code POD_NAME} or {@code HOSTNAME} (the pod name), else a random name. */
  static String ownIdentity() {
    for (String v : new String[] {"POD_NAME", "HOSTNAME"}) {
      String s = System.getenv(v);
      if (s != null && !s.isBlank()) {
        return s;
      }
    }
    return "appmesh-xds-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
