package io.appmeshxds.server;

import io.appmeshxds.server.admin.AdminServer;
import io.appmeshxds.server.grpc.AdsServer;
import io.appmeshxds.server.grpc.LogText;
import io.appmeshxds.server.grpc.RateLimitedLog;
import io.appmeshxds.server.grpc.StreamGuard;
import io.appmeshxds.server.grpc.XdsLimits;
import io.appmeshxds.server.grpc.StreamTracker;
import io.appmeshxds.server.grpc.StreamCallbacks;
import io.appmeshxds.server.grpc.XdsCache;
import io.appmeshxds.server.publish.SnapshotPublisher;
import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.server.reconcile.Reconciler;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.server.status.LogStatusSink;
import io.appmeshxds.server.status.NackBook;
import io.appmeshxds.server.status.StatusSink;
import io.appmeshxds.server.status.StatusView;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.BindableService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running control plane: store, reconciler, xDS cache and server, admin HTTP. Sources are
 * attached by the caller (they write into {@link #store()}).
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  /**
   * Where and how the control plane serves.
   *
   * @param limits what one xDS client may cost ({@link XdsLimits})
   * @param maxConnectionAge how long an xDS connection lives before the server ends it (GOAWAY,
   *     +/-10 % jitter, then {@link #CONNECTION_AGE_GRACE}) so that proxies spread again over the
   *     replicas after a rollout; null or zero for never
   */
  public record Settings(InetSocketAddress xds, InetSocketAddress admin, long holdoffMillis, long maxHoldoffMillis,
      XdsLimits limits, java.time.Duration maxConnectionAge) {
    /** Default max connection age: 30 minutes, as Istio's istiod. */
    public static final java.time.Duration DEFAULT_MAX_CONNECTION_AGE = java.time.Duration.ofMinutes(30);
    /** How long a connection past its age may finish before it is cut (ADS streams never finish by themselves). */
    public static final java.time.Duration CONNECTION_AGE_GRACE = java.time.Duration.ofSeconds(5);

    public Settings {
      java.util.Objects.requireNonNull(limits, "limits");
    }

    public Settings(InetSocketAddress xds, InetSocketAddress admin, long holdoffMillis, long maxHoldoffMillis) {
      this(xds, admin, holdoffMillis, maxHoldoffMillis, XdsLimits.defaults(), DEFAULT_MAX_CONNECTION_AGE);
    }

    public Settings(InetSocketAddress xds, InetSocketAddress admin, long holdoffMillis, long maxHoldoffMillis,
        XdsLimits limits) {
      this(xds, admin, holdoffMillis, maxHoldoffMillis, limits, DEFAULT_MAX_CONNECTION_AGE);
    }

    public static Settings loopback() {
      return new Settings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), 20, 100);
    }

    /** The same with another max connection age. */
    public Settings withMaxConnectionAge(java.time.Duration age) {
      return new Settings(xds, admin, holdoffMillis, maxHoldoffMillis, limits, age);
    }

    public Settings withLimits(XdsLimits l) {
      return new Settings(xds, admin, holdoffMillis, maxHoldoffMillis, l, maxConnectionAge);
    }
  }

  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ResourceStore store = new ResourceStore();
  private final NackBook nackBook = new NackBook();
  private StreamTracker tracker;
  private StreamGuard guard;
  private final io.appmeshxds.server.status.AckTracker acks = new io.appmeshxds.server.status.AckTracker();
  private final StatusView statusView = new StatusView();
  private final io.appmeshxds.server.grpc.ProxyRegistry proxies = new io.appmeshxds.server.grpc.ProxyRegistry(
      java.time.Clock.systemUTC());
  private final Pipeline pipeline;
  private final Settings settings;
  private final List<StatusSink> extraSinks;
  private final List<BindableService> extraServices;
  private RateLimitedLog unknownNodeLog;
  private XdsCache cache;
  private StreamCallbacks callbacks;
  private Reconciler reconciler;
  private AdsServer ads;
  private AdminServer admin;
  private io.appmeshxds.server.source.DnsRefresher dns;
  private io.appmeshxds.server.source.AcmSource acm;
  private io.appmeshxds.server.cloudmap.CloudMapSetup cloudMapSetup;
  private io.appmeshxds.server.cloudmap.CloudMapDiscovery cloudMap;
  private ControlPlaneTelemetry telemetry = ControlPlaneTelemetry.noop();
  private io.grpc.ServerCredentials xdsCredentials;
  private io.appmeshxds.server.grpc.ProxyAuthorization.Settings authorization;
  private io.appmeshxds.server.grpc.ProxyAuthorization authz;
  private io.appmeshxds.server.grpc.TokenReviewer tokens;
  private io.appmeshxds.server.grpc.ProxyAuthorization.Pods pods;
  private AdminServer.Options adminOptions = AdminServer.Options.defaults();

  public ControlPlane(Pipeline pipeline, Settings settings, List<StatusSink> extraSinks, List<BindableService> extraServices) {
    this.pipeline = pipeline;
    this.settings = settings;
    this.extraSinks = List.copyOf(extraSinks);
    this.extraServices = List.copyOf(extraServices);
  }

  /**
   * Control-plane spans for every reconcile (call before {@link #start()}); the control plane owns
   * it from now on and closes it (flushing what is buffered) on {@link #close()}.
   */
  public ControlPlane telemetry(ControlPlaneTelemetry t) {
    this.telemetry = t;
    return this;
  }

  /**
   * Transport security and proxy authorization of the xDS port (call before {@link #start()}).
   *
   * @param credentials TLS ({@link io.appmeshxds.server.tls.ServingFiles#credentials()}), or null for plaintext
   * @param authorization proxy authorization, or null for none (mode off)
   * @param tokens reviews service-account tokens (Kubernetes mode), or null for certificates only
   */
  public ControlPlane xdsSecurity(io.grpc.ServerCredentials credentials,
      io.appmeshxds.server.grpc.ProxyAuthorization.Settings authorization, io.appmeshxds.server.grpc.TokenReviewer tokens) {
    this.xdsCredentials = credentials;
    this.authorization = authorization;
    this.tokens = tokens;
    return this;
  }

  /** Proxy authorization's settings as given to {@link #xdsSecurity}, or null when none were. */
  public io.appmeshxds.server.grpc.ProxyAuthorization.Settings authorizationSettings() {
    return authorization;
  }

  /**
   * The running pods proxy authorization consults (Kubernetes mode; call before {@link #start()}):
   * a node's podSelector must then select a pod of the proxy's service account.
   */
  public ControlPlane pods(io.appmeshxds.server.grpc.ProxyAuthorization.Pods p) {
    this.pods = p;
    return this;
  }

  /**
   * The admin port's options: its bearer token and connection limits (call before {@link #start()});
   * its counters go to this control plane's registry.
   */
  public ControlPlane adminOptions(AdminServer.Options o) {
    this.adminOptions = o;
    return this;
  }

  /**
   * How Cloud Map is called (call before {@link #start()}); the control plane owns it from now on.
   * Without it: the {@code aws} section's defaults (the SDK's default region and credential chains).
   */
  public ControlPlane cloudMap(io.appmeshxds.server.cloudmap.CloudMapSetup setup) {
    this.cloudMapSetup = setup;
    return this;
  }

  /** The Cloud Map refresher (after {@link #start()}). */
  public io.appmeshxds.server.cloudmap.CloudMapDiscovery cloudMapDiscovery() {
    return cloudMap;
  }

  /** How Cloud Map is called (after {@link #start()}). */
  public io.appmeshxds.server.cloudmap.CloudMapSetup cloudMapSetup() {
    return cloudMapSetup;
  }

  public ResourceStore store() {
    return store;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  public XdsCache cache() {
    return cache;
  }

  public StreamCallbacks callbacks() {
    return callbacks;
  }

  /** ACK times per proxy group, type and version. */
  public io.appmeshxds.server.status.AckTracker acks() {
    return acks;
  }

  /** The rejections proxies reported (NACKs), by node, until they accept a newer version. */
  public NackBook nacks() {
    return nackBook;
  }

  public StatusView status() {
    return statusView;
  }

  /** Which proxy groups currently reject configuration. */
  public NackBook nackBook() {
    return nackBook;
  }

  /**
   * Entries the xDS server keeps per client, summed: streams seen by the guard, the stream tracker
   * and the callbacks, streams in the NACK book, and cache groups without resources (those of
   * nodes we have no config for). Zero when no client is connected (after {@link #start()}).
   */
  public long clientStateEntries() {
    long idleGroups = cache.groups() - cache.keys().size();
    return guard.streams() + guard.peers() + tracker.streams() + callbacks.retainedEntries() + nackBook.streams() + idleGroups;
  }

  /** Characters of client text kept (NACK messages for conditions); zero when nothing is rejected. */
  public long clientTextChars() {
    return nackBook.retainedChars();
  }

  /** Starts the reconciler, the xDS server and the admin server. */
  public ControlPlane start() throws IOException {
    if (cloudMapSetup == null) {
      cloudMapSetup = io.appmeshxds.server.cloudmap.CloudMapSetup.of(io.appmeshxds.tracing.config.ControlPlaneConfig.defaults().aws());
    }
    // Before any source can report synced: the refresher is a source the first build waits for.
    io.appmeshxds.server.cloudmap.CloudMapSetup cm = cloudMapSetup;
    cloudMap = new io.appmeshxds.server.cloudmap.CloudMapDiscovery(store, cm.config(), cm::client, cm.clock(),
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble(), metrics);
    XdsLimits limits = settings.limits();
    tracker = new StreamTracker();
    unknownNodeLog = new RateLimitedLog(limits.logLinesPerMinute());
    io.micrometer.core.instrument.Counter unknownNodes = io.micrometer.core.instrument.Counter
        .builder("appmeshxds_xds_unknown_node_requests_total")
        .description("Requests whose node id is not an App Mesh node identity (they get no config)").register(metrics);
    cache = new XdsCache(new XdsCache.Listener() {
      @Override
      public void onMissingKey(NodeKey key, Node node) {
        reconciler.requestKey(key);
      }

      @Override
      public void onUnknownNode(Node node) {
        // Counted and logged at a bounded rate; no per-id memory (any client can invent ids).
        unknownNodes.increment();
        long suppressed = unknownNodeLog.tryAcquire();
        if (suppressed >= 0) {
          int max = limits.maxLoggedChars();
          LOG.warn("unknown node id={} cluster={} ({} {}): expected mesh/<mesh>/virtualNode|virtualGateway/<name>; it gets no config{}",
              LogText.escape(node.getId(), max), LogText.escape(node.getCluster(), max),
              LogText.escape(node.getUserAgentName(), 64), LogText.escape(node.getUserAgentVersion(), 64),
              RateLimitedLog.note(suppressed));
        }
      }
    }, tracker);
    callbacks = new StreamCallbacks(tracker, new StreamCallbacks.NackSink() {
      @Override
      public void rejected(long streamId, NodeKey key, String nodeId, String typeUrl, String version, String message) {
        nackBook.rejected(streamId, key, nodeId, typeUrl, version, message);
      }

      @Override
      public void accepted(long streamId, NodeKey key, String typeUrl, String version) {
        nackBook.accepted(streamId, key, typeUrl, version);
        acks.accepted(streamId, key, typeUrl, version);
      }

      @Override
      public void closed(long streamId) {
        nackBook.closed(streamId);
      }
    }, metrics, limits).proxies(proxies);
    guard = new StreamGuard(limits, metrics);
    io.micrometer.core.instrument.Gauge.builder("appmeshxds_xds_client_state_entries", this, ControlPlane::clientStateEntries)
        .description("Per-client entries the xDS server keeps (streams, NACK book, unknown-node groups); 0 with no client")
        .register(metrics);
    io.micrometer.core.instrument.Gauge.builder("appmeshxds_xds_nack_text_chars", nackBook, NackBook::retainedChars)
        .description("Characters of NACK text kept for VirtualNode conditions").register(metrics);
    List<StatusSink> sinks = new ArrayList<>();
    sinks.add(statusView);
    sinks.add(new LogStatusSink());
    sinks.add(new io.appmeshxds.server.status.MetricsStatusSink(metrics));
    sinks.addAll(extraSinks);
    reconciler = new Reconciler(store, pipeline, new SnapshotPublisher(cache, metrics), sinks, nackBook, metrics,
        settings.holdoffMillis(), settings.maxHoldoffMillis(), telemetry).onDemand(callbacks::connectedKeys).start();
    callbacks.onKeysChanged(reconciler::keysChanged);
    authz = authorization == null
        || authorization.mode() == io.appmeshxds.server.grpc.ProxyAuthorization.Mode.OFF ? null
        : new io.appmeshxds.server.grpc.ProxyAuthorization(authorization, tokens, new ModelDirectory(), metrics);
    ads = new AdsServer(cache, callbacks, settings.xds(), extraServices, xdsCredentials, authz,
        settings.maxConnectionAge(), guard, limits).start();
    admin = new AdminServer(settings.admin(), reconciler::ready, metrics::scrape, this::configDump, this::statusJson,
        adminOptions.withRegistry(metrics)).proxies(this::proxiesJson).start();
    dns = new io.appmeshxds.server.source.DnsRefresher(store).start(30);
    if (cm.driven()) {
      cloudMap.start();
    }
    return this;
  }

  /**
   * Serves the ACM certificates and ACM Private CA trusts the mesh names (call after {@link
   * #start()}): an {@link io.appmeshxds.server.source.AcmSource} with clients from the config's
   * {@code aws} section, built on first need (a mesh without ACM never resolves AWS credentials).
   */
  public ControlPlane acm(io.appmeshxds.tracing.config.ControlPlaneConfig.Aws aws) {
    acm = new io.appmeshxds.server.source.AcmSource(store, () -> new io.appmeshxds.server.aws.AwsClients(aws),
        io.appmeshxds.server.source.AcmSource.Settings.of(aws.acm()), java.time.Clock.systemUTC(), new java.util.Random(),
        metrics).start(java.time.Duration.ofSeconds(5));
    return this;
  }

  /** What proxy authorization reads: the last build's objects and the published secrets, by key. */
  private final class ModelDirectory implements io.appmeshxds.server.grpc.ProxyAuthorization.Directory {
    @Override
    public boolean ready() {
      return reconciler.lastBuild() != null;
    }

    @Override
    public String namespaceOf(NodeKey key) {
      var build = reconciler.lastBuild();
      var mesh = build == null ? null : build.model().mesh(key.mesh());
      if (mesh == null) {
        return null;
      }
      if (key.kind() == NodeKey.Kind.GATEWAY) {
        var g = mesh.gateways().get(key.name());
        return g == null ? null : g.ref().namespace();
      }
      var n = mesh.nodes().get(key.name());
      return n == null ? null : n.ref().namespace();
    }

    @Override
    public io.appmeshxds.server.grpc.ProxyAuthorization.PodEvidence pods(NodeKey key, String namespace,
        String serviceAccount) {
      var build = reconciler.lastBuild();
      var mesh = build == null ? null : build.model().mesh(key.mesh());
      if (pods == null || mesh == null) {
        return io.appmeshxds.server.grpc.ProxyAuthorization.PodEvidence.UNKNOWN;
      }
      io.appmeshxds.translator.api.LabelSelector selector;
      if (key.kind() == NodeKey.Kind.GATEWAY) {
        var g = mesh.gateways().get(key.name());
        selector = g == null ? null : g.gateway().spec().podSelector();
      } else {
        var n = mesh.nodes().get(key.name());
        selector = n == null ? null : n.node().spec().podSelector();
      }
      return io.appmeshxds.server.grpc.ProxyAuthorization.podEvidence(selector, pods, namespace, serviceAccount);
    }

    @Override
    public boolean hasSecret(NodeKey key, String name) {
      XdsResources r = cache.get(key);
      // Nothing published for the key yet: nothing can be served, so nothing is refused either.
      return r == null || r.get(XdsResources.Type.SECRET).stream().anyMatch(x -> x.name().equals(name));
    }
  }

  public int xdsPort() {
    return ads.port();
  }

  public int adminPort() {
    return admin.port();
  }

  private AdminServer.Reply configDump(Map<String, String> q) {
    String node = q.get("node");
    if (node == null || node.isEmpty()) {
      return new AdminServer.Reply(400, "text/plain", "usage: /config_dump?node=mesh/<mesh>/virtualNode/<name>[&proxyless=true]\n");
    }
    boolean proxyless = Boolean.parseBoolean(q.getOrDefault("proxyless", "false"));
    NodeKey key = NodeKey.parse(node, null, proxyless ? "gRPC" : "envoy", proxyless ? "1.85" : "");
    if (key == null) {
      return new AdminServer.Reply(400, "text/plain", "not an App Mesh node id: " + node + "\n");
    }
    if (key.kind() == NodeKey.Kind.PROXYLESS && cache.get(key) == null
        && cache.get(NodeKey.proxyless(key.mesh(), key.name(), Dialect.GRPC_LEGACY)) != null) {
      // A connected client on an old gRPC version gets the legacy dialect; show what it gets.
      key = NodeKey.proxyless(key.mesh(), key.name(), Dialect.GRPC_LEGACY);
    }
    XdsResources r = cache.get(key);
    if (r == null) {
      // Not connected: planned for this request only.
      try {
        r = reconciler.preview(key).get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        return new AdminServer.Reply(503, "text/plain", "could not plan " + key + ": " + e + "\n");
      }
    }
    if (r == null) {
      // The usual cause is a wrong id (the Kubernetes name for the App Mesh one): name the closest
      // served ids, one "did you mean: " line each (bootstrap --server reads them).
      var build = reconciler.lastBuild();
      StringBuilder body = new StringBuilder("no configuration for " + key + "\n");
      if (build != null) {
        io.appmeshxds.server.status.NodeSuggestions.closest(key.nodeId(),
            io.appmeshxds.server.status.NodeSuggestions.known(build.model()))
            .forEach(id -> body.append(io.appmeshxds.server.status.NodeSuggestions.DID_YOU_MEAN).append(id).append('\n'));
      }
      return new AdminServer.Reply(404, "text/plain", body.toString());
    }
    // Redacted as Envoy's own /config_dump: a secret's key is never printed.
    return new AdminServer.Reply(200, "application/json",
        pipeline.json().render(io.appmeshxds.server.configdump.ConfigDumpWriter.redacted(r)));
  }

  private String statusJson() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("ready", reconciler.ready());
    Map<String, Integer> proxies = new LinkedHashMap<>();
    for (NodeKey.Kind k : NodeKey.Kind.values()) {
      proxies.put(k.name().toLowerCase(java.util.Locale.ROOT), callbacks.connected(k));
    }
    extra.put("connectedProxies", proxies);
    Map<String, List<String>> sourceProblems = new LinkedHashMap<>();
    store.problems().forEach((p, ps) -> sourceProblems.put(p, ps.stream().map(x -> x.toLine()).toList()));
    extra.put("sourceProblems", sourceProblems);
    return statusView.json(extra);
  }

  /** Proxy authorization of the xDS port (after {@link #start()}), or null when off; the ALS port uses it too. */
  public io.appmeshxds.server.grpc.ProxyAuthorization proxyAuthorization() {
    return authz;
  }

  /** The connected proxies (admin {@code /proxies}, {@code appmesh-xds status}). */
  public java.util.Map<String, Object> proxies() {
    var build = reconciler == null ? null : reconciler.lastBuild();
    return io.appmeshxds.server.status.ProxyStatus.view(replicaName(), proxies.snapshot(), cache::get,
        build == null ? null : build.model());
  }

  private String proxiesJson() {
    return io.appmeshxds.server.status.ProxyStatus.json(proxies());
  }

  /** This replica's name: the pod's (POD_NAME), else the host's. */
  static String replicaName() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Graceful shutdown: stop accepting streams, let them close, stop the loop, then the admin server. */
  @Override
  public void close() throws InterruptedException {
    if (dns != null) {
      dns.close();
    }
    if (acm != null) {
      acm.close();
    }
    if (cloudMap != null) {
      cloudMap.close();
    }
    if (ads != null) {
      ads.close();
    }
    if (reconciler != null) {
      reconciler.close();
    }
    if (admin != null) {
      admin.close();
    }
    telemetry.close();
    if (cloudMapSetup != null) {
      cloudMapSetup.close();
    }
  }
}
