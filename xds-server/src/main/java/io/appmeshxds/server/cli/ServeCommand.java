package io.appmeshxds.server.cli;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ClasspathSource;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.translator.input.ManifestLimits;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.tracing.logs.AccessLogExport;
import io.appmeshxds.translator.plan.NodeKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code appmesh-xds serve}: runs the control plane. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the control plane: xDS (ADS) for Envoy sidecars, gateways and proxyless gRPC clients, and admin HTTP.",
      "With neither --manifests nor --kubernetes it serves the bundled example mesh (deploy/examples/podinfo).",
      "With --kubernetes it watches the cluster; every replica serves xDS, the lease holder writes status.",
      "Manifest paths are watched and reloaded. Exit codes: 0 clean shutdown, 2 bad usage."
    })
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--manifests", paramLabel = "PATH", description = "Manifest file or directory (repeatable); watched.")
  List<Path> manifests = new ArrayList<>();

  @Option(names = "--kubernetes", description = "Watch App Mesh objects, Namespaces, Services, EndpointSlices and Gateway "
      + "API HTTPRoutes, GRPCRoutes and ReferenceGrants (when their CRDs are installed) in the "
      + "cluster (in-cluster config or kubeconfig) and write status while this replica holds the lease; the lease holder "
      + "also registers the ready pods of AWS Cloud Map VirtualNodes in Cloud Map (aws.cloudMap.registration).")
  boolean kubernetes;

  @Option(names = "--namespace", paramLabel = "NS", description = "With --kubernetes: watch only this namespace "
      + "(Meshes are cluster-scoped and always watched). Default: every namespace.")
  String namespace;

  @Option(names = "--gateway-controller-name", paramLabel = "NAME",
      defaultValue = io.appmeshxds.server.status.kubernetes.KubernetesStatusSink.DEFAULT_GATEWAY_CONTROLLER,
      description = "With --kubernetes: controllerName of our entries in Gateway API routes' status.parents "
          + "(default: ${DEFAULT-VALUE}).")
  String gatewayControllerName;

  @Option(names = "--xds-port", defaultValue = "18000", description = "xDS gRPC port (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Option(names = "--admin-port", defaultValue = "9090", description = "Admin HTTP port (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--xds-max-connection-age", paramLabel = "SECONDS", defaultValue = "1800",
      description = "End each xDS connection after this many seconds (+/-10 %% jitter) so that proxies spread over the "
          + "replicas again after a rollout; they reconnect at once. 0: never (default: ${DEFAULT-VALUE}).")
  long maxConnectionAgeSeconds;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}; the container image uses 0.0.0.0).")
  String bind;

  @Option(names = "--admin-token-file", paramLabel = "FILE", description = "Bearer token (at least 16 characters; "
      + "re-read when the file changes) that /config_dump and /status on the admin port require from every client. "
      + "Without it those two answer loopback clients only (kubectl port-forward); /healthz, /ready and /metrics are open.")
  Path adminTokenFile;

  @Option(names = "--admin-header-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "A client of the "
      + "admin port must send its request head within this time, or it is closed (default: ${DEFAULT-VALUE}).")
  int adminHeaderTimeout;

  @Option(names = "--admin-write-timeout", defaultValue = "30", paramLabel = "SECONDS", description = "A client of the "
      + "admin port must take its response within this time, or it is closed (default: ${DEFAULT-VALUE}).")
  int adminWriteTimeout;

  @Option(names = "--admin-max-connections", defaultValue = "256", paramLabel = "N", description = "Open connections to "
      + "the admin port; past it the oldest one still sending its request (else not taking its response) is closed "
      + "(default: ${DEFAULT-VALUE}, at least 80).")
  int adminMaxConnections;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML): tracing pushed to proxies, logging.cloudWatch (access-log export), telemetry (control-plane spans), aws (Cloud Map discovery and registration).")
  Path config;

  @Option(names = "--als-port", defaultValue = "18001",
      description = "Port of the access-log exporter (gRPC ALS) when logging.cloudWatch.enabled (default: ${DEFAULT-VALUE}).")
  int alsPort;

  @Option(names = "--webhook-port", defaultValue = "9443",
      description = "With --kubernetes: HTTPS port of the sidecar injection webhook, 0 for none (default: ${DEFAULT-VALUE}).")
  int webhookPort;

  @CommandLine.Mixin TransportSecurityOptions security = new TransportSecurityOptions();
  @CommandLine.Mixin XdsLimitOptions xdsLimits = new XdsLimitOptions();

  @Option(names = "--max-manifest-bytes", paramLabel = "BYTES", defaultValue = "32Mi", converter = ByteCountConverter.class,
      description = "With --manifests: refuse a manifest file larger than this, unread, and keep serving its last good "
          + "objects (default: ${DEFAULT-VALUE}; 512Ki, 64Mi, bytes).")
  long maxManifestBytes;

  @Option(names = "--manifest-settle-ms", paramLabel = "MS", defaultValue = "1000",
      description = "With --manifests: a changed file is read once it has stayed unchanged this long, and a file that "
          + "empties or loses more than half of its objects is applied once it has stayed so this long again "
          + "(default: ${DEFAULT-VALUE}). Write files by atomic rename.")
  long manifestSettleMs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (Path p : manifests) {
      if (!Files.exists(p)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--manifests " + p + ": no such file or directory");
      }
    }
    if (manifestSettleMs < 0 || manifestSettleMs > 600_000) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--manifest-settle-ms must be between 0 and 600000, not " + manifestSettleMs);
    }
    if (namespace != null && !kubernetes) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--namespace needs --kubernetes");
    }
    if (gatewayControllerName.length() > 253 || !gatewayControllerName.matches(
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--gateway-controller-name " + gatewayControllerName
          + ": not a Gateway API controller name (a domain-prefixed path such as example.net/mesh-controller)");
    }
    if (kubernetes && !manifests.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--manifests and --kubernetes cannot be combined");
    }
    security.validate(spec.commandLine(), bind, kubernetes);
    ControlPlaneConfig cfg = ConfigFile.load(spec, config);
    if (maxConnectionAgeSeconds < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--xds-max-connection-age must be 0 (never) or a number of seconds");
    }
    if (adminMaxConnections < 80) {
      // Why 80: the 2 workers and their queue of 64 hold up to 66 connections that are never evicted.
      throw new CommandLine.ParameterException(spec.commandLine(), "--admin-max-connections must be at least 80");
    }
    io.appmeshxds.server.admin.AdminServer.Options adminOptions = adminOptions(spec, adminTokenFile)
        .withLimits(positive("--admin-header-timeout", adminHeaderTimeout), positive("--admin-write-timeout", adminWriteTimeout),
            adminMaxConnections);
    if (cfg.logging().cloudWatch().enabled()) {
      prepareBufferDir(spec, AccessLogExport.bufferDir(cfg.logging().cloudWatch(), null));
    }
    ControlPlane.Settings settings = new ControlPlane.Settings(
        new InetSocketAddress(bind, xdsPort), new InetSocketAddress(bind, adminPort), 20, 100, xdsLimits.limits(spec),
        java.time.Duration.ofSeconds(maxConnectionAgeSeconds));
    if (kubernetes) {
      return serveKubernetes(out, settings, cfg, adminOptions);
    }
    ControlPlane cp = new ControlPlane(Pipelines.standard(cfg), settings, List.of(), List.of())
        .telemetry(ControlPlaneTelemetry.create(cfg.telemetry())).adminOptions(adminOptions)
        .cloudMap(io.appmeshxds.server.cloudmap.CloudMapSetup.of(cfg.aws()));
    try {
      cp.xdsSecurity(security.xdsCredentials(cp.metrics(), bind), security.authorization(false, bind), null);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    String what;
    ManifestSource files = null;
    try {
      cp.start();
    } catch (IOException | RuntimeException e) {
      cp.close(); // a port in use: what did start (the reconciler) must not outlive the error
      throw e;
    }
    cp.acm(cfg.aws());
    if (!manifests.isEmpty()) {
      files = new ManifestSource(manifests, cp.store(), manifestSettleMs, new ManifestLimits(maxManifestBytes),
          System::nanoTime).metrics(cp.metrics()).start();
      what = "manifests " + manifests;
    } else {
      Path example = bundledExampleDir();
      if (example != null) {
        files = new ManifestSource(List.of(example), cp.store(), manifestSettleMs, new ManifestLimits(maxManifestBytes),
            System::nanoTime).metrics(cp.metrics()).start();
        what = "the bundled example mesh (" + example + ", watched)";
      } else {
        ClasspathSource.load(cp.store());
        what = "the bundled example mesh (from the jar)";
      }
    }
    AccessLogExport logs = accessLogs(cfg, cp);
    CountDownLatch stopped = new CountDownLatch(1);
    ManifestSource watched = files;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (watched != null) {
          watched.close();
        }
        cp.close();
        if (logs != null) {
          logs.close(Duration.ofSeconds(10));
        }
      } catch (Exception e) {
        // shutting down anyway
      } finally {
        stopped.countDown();
      }
    }, "shutdown"));
    for (int i = 0; i < 200 && !cp.reconciler().ready(); i++) {
      Thread.sleep(50);
    }
    banner(out, cp, what);
    accessLogBanner(out, cfg, logs);
    stopped.await();
    return 0;
  }

  private Duration positive(String option, int seconds) {
    if (seconds <= 0 || seconds > 3600) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be between 1 and 3600 seconds");
    }
    return Duration.ofSeconds(seconds);
  }

  /** The admin port's options: its token from {@code tokenFile} (checked now: a bad file is a usage error). */
  static io.appmeshxds.server.admin.AdminServer.Options adminOptions(CommandLine.Model.CommandSpec spec, Path tokenFile) {
    io.appmeshxds.server.admin.AdminServer.Options o = io.appmeshxds.server.admin.AdminServer.Options.defaults();
    if (tokenFile == null) {
      return o;
    }
    try {
      return o.withToken(io.appmeshxds.server.admin.AdminToken.fromFile(tokenFile));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--admin-token-file: " + e.getMessage());
    }
  }

  /** Creates or checks the access-log buffer directory before anything starts; a bad one is a usage error. */
  static void prepareBufferDir(CommandLine.Model.CommandSpec spec, Path dir) {
    try {
      AccessLogExport.prepareBufferDir(dir);
    } catch (java.io.IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private int serveKubernetes(PrintWriter out, ControlPlane.Settings settings, ControlPlaneConfig cfg,
      io.appmeshxds.server.admin.AdminServer.Options adminOptions) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    KubernetesMode.Settings ks = KubernetesMode.Settings.inCluster(namespace, client)
        .withGatewayApi(gatewayControllerName, java.time.Duration.ofSeconds(60));
    KubernetesMode mode;
    try {
      mode = KubernetesMode.start(client, Pipelines.standard(cfg), settings, ks,
          ControlPlaneTelemetry.create(cfg.telemetry()), io.appmeshxds.server.cloudmap.CloudMapSetup.of(cfg.aws()),
          c -> c.adminOptions(adminOptions).xdsSecurity(security.xdsCredentials(c.metrics(), bind), security.authorization(true, bind),
              io.appmeshxds.server.grpc.TokenReviewer.of(client, security.tokenAudience)));
    } catch (IllegalArgumentException e) {
      client.close();
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    mode.controlPlane().acm(cfg.aws());
    AccessLogExport logs = accessLogs(cfg, mode.controlPlane());
    io.appmeshxds.server.webhook.Webhook webhook = webhookPort == 0 ? null : io.appmeshxds.server.webhook.Webhook.start(mode,
        io.appmeshxds.server.inject.InjectionSettings.of(cfg), ks.leaseNamespace(), new InetSocketAddress(bind, webhookPort));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (webhook != null) {
          webhook.close();
        }
        mode.close();
        client.close();
        if (logs != null) {
          logs.close(Duration.ofSeconds(10));
        }
      } catch (Exception e) {
        // shutting down anyway
      } finally {
        stopped.countDown();
      }
    }, "shutdown"));
    out.println("appmesh-xds serving the cluster at " + client.getMasterUrl() + " ("
        + (namespace == null ? "every namespace" : "namespace " + namespace) + "); lease " + ks.leaseNamespace() + "/"
        + KubernetesMode.LEASE_NAME + " as " + ks.identity());
    out.println("  xDS (ADS gRPC):  " + bind + ":" + mode.controlPlane().xdsPort() + " (" + security.describe(true) + ")");
    out.println("  admin HTTP:      http://" + bind + ":" + mode.controlPlane().adminPort()
        + "/status  (/ready turns 200 once every kind has synced and the first config is published)");
    if (webhook != null) {
      out.println("  injection webhook: https://" + bind + ":" + webhook.port() + io.appmeshxds.server.webhook.WebhookServer.PATH
          + " (certificates: " + cfg.injection().webhook().certificates() + ")");
    }
    out.flush();
    accessLogBanner(out, cfg, logs);
    stopped.await();
    return 0;
  }

  private void accessLogBanner(PrintWriter out, ControlPlaneConfig cfg, AccessLogExport logs) {
    if (logs != null) {
      ControlPlaneConfig.CloudWatch cw = cfg.logging().cloudWatch();
      out.println("  access logs:     gRPC ALS on " + bind + ":" + logs.port() + " -> CloudWatch Logs " + cw.logGroup()
          + " (" + cw.region() + "); proxies send to " + cw.exporter());
      out.flush();
    }
  }

  /** The access-log exporter on --als-port when logging.cloudWatch.enabled, else null. */
  private AccessLogExport accessLogs(ControlPlaneConfig cfg, ControlPlane cp) throws Exception {
    ControlPlaneConfig.CloudWatch cw = cfg.logging().cloudWatch();
    if (!cw.enabled()) {
      return null;
    }
    io.grpc.ServerCredentials tls;
    try {
      tls = security.alsCredentials(spec.commandLine(), cp.metrics(), bind);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    // The xDS port's proxy authorization guards the ALS port too: a stream sends entries (into a
    // node's log group) only for a node of its own identity.
    List<io.grpc.ServerInterceptor> guard = cp.proxyAuthorization() == null ? List.of()
        : List.of(cp.proxyAuthorization().interceptor());
    return AccessLogExport.start(cw, new InetSocketAddress(bind, alsPort), AccessLogExport.bufferDir(cw, null), cp.metrics(),
        tls, guard);
  }

  private void banner(PrintWriter out, ControlPlane cp, String what) {
    List<NodeKey> keys = cp.reconciler().lastBuild() == null ? List.of()
        : Pipelines.standard().planner().knownKeys(cp.reconciler().lastBuild().model());
    out.println("appmesh-xds serving " + what);
    out.println("  objects accepted: " + (cp.reconciler().lastBuild() == null ? 0 : cp.reconciler().lastBuild().accepted().size())
        + "; proxies known: " + keys.size());
    keys.stream().limit(8).forEach(k -> out.println("    " + k.nodeId()));
    if (keys.size() > 8) {
      out.println("    … and " + (keys.size() - 8) + " more");
    }
    out.println("  xDS (ADS gRPC):  " + bind + ":" + cp.xdsPort() + " (" + security.describe(false) + ")");
    out.println("  admin HTTP:      http://" + bind + ":" + cp.adminPort() + "/status  (/ready /healthz /metrics /config_dump?node=…; "
        + (adminTokenFile != null ? "/status and /config_dump need the bearer token" : "/status and /config_dump: loopback clients only")
        + ")");
    if (!keys.isEmpty()) {
      out.println("  Envoy bootstrap: bin/appmesh-xds bootstrap --node " + keys.get(0).nodeId() + " --xds-address "
          + bind + ":" + cp.xdsPort() + (security.xdsCert == null ? "" : " --xds-tls --xds-ca <CA bundle> --xds-sni <server name>"));
    }
    out.println("  Ctrl-C stops it.");
    out.flush();
  }

  /** {@code <home>/deploy/examples/podinfo} when running from a checkout (bin/appmesh-xds sets appmeshxds.home). */
  static Path bundledExampleDir() {
    String home = System.getProperty("appmeshxds.home");
    if (home == null) {
      return null;
    }
    Path p = Path.of(home, "deploy", "examples", "podinfo");
    return Files.isDirectory(p) ? p : null;
  }
}
