package io.appmeshxds.server.grpc;

import io.appmeshxds.translator.plan.NodeKey;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may receive which configuration over ADS. A stream is authenticated once, when it starts: by
 * its client certificate's SPIFFE ID, or by a service-account token in {@code authorization:
 * Bearer} metadata reviewed by Kubernetes. The node it claims is checked when it first names one
 * (and again only if it names another): the VirtualNode or VirtualGateway must be in the identity's
 * namespace, and, where the pods of that namespace are known ({@link Pods}), its {@code podSelector}
 * must select a running pod of the identity's service account. A secret it asks for over SDS must
 * be in its own configuration (or one it was sent on this stream). Refusals end the stream with {@code PERMISSION_DENIED} and the text "permission
 * denied" (nothing about what exists), are counted and logged. Responses are never checked: the
 * cache is keyed by node, so an authorized node's answers are its own.
 */
public final class ProxyAuthorization {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyAuthorization.class);
  private static final String SECRET_TYPE = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
  private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<StreamAuth> STREAM = Context.key("appmeshxds-stream-auth");

  /** How strictly. */
  public enum Mode {
    /** No authentication or authorization (the stream is trusted as whatever node it names). */
    OFF,
    /** Checked and logged, never refused; NACK status is written only for authenticated streams. */
    WARN,
    /** Unauthenticated streams and foreign nodes or secrets are refused. */
    REQUIRED;

    public static Mode parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "off" -> OFF;
        case "warn" -> WARN;
        case "required", "require" -> REQUIRED;
        default -> throw new IllegalArgumentException("must be off, warn or required, got " + s);
      };
    }
  }

  /** What the authorization needs to know about the mesh; both answers must be cheap (map lookups). */
  public interface Directory {
    /** Whether the first configuration was built (before it, nodes cannot be checked). */
    boolean ready();

    /** The Kubernetes namespace of the VirtualNode or VirtualGateway a key names, or null when unknown. */
    String namespaceOf(NodeKey key);

    /** Whether a secret of this name is in the key's current configuration. */
    boolean hasSecret(NodeKey key, String name);

    /**
     * What the pods say about a proxy of {@code serviceAccount} in {@code namespace} (the node's
     * own namespace, already checked) being the key's node. {@link PodEvidence#UNKNOWN} when pods
     * are not watched or not listed yet.
     */
    default PodEvidence pods(NodeKey key, String namespace, String serviceAccount) {
      return PodEvidence.UNKNOWN;
    }
  }

  /** The pods' answer to "may this service account be this node?". */
  public enum PodEvidence {
    /** A running, not-deleting pod of the service account is selected by the node's podSelector. */
    MATCH,
    /** The namespace's pods are known and none of the service account's is selected. */
    NO_MATCH,
    /** The pods are known and the node has no podSelector: App Mesh's "absent selects no pod". */
    NO_SELECTOR,
    /** Pods are not watched, or not listed yet: only the namespace rule applies. */
    UNKNOWN
  }

  /**
   * The running pods, by namespace and service account, as far as known (Kubernetes mode). Answers
   * must be cheap: no API call, at most a scan of one namespace's pods.
   */
  @FunctionalInterface
  public interface Pods {
    /**
     * Whether a pod of {@code namespace} running under {@code serviceAccount} (phase not Succeeded
     * or Failed, no deletion timestamp) has labels {@code selects} accepts; null when the pods of
     * that namespace are not known (not watched, not listed yet, or the watch is down).
     */
    Boolean anyRunning(String namespace, String serviceAccount, java.util.function.Predicate<java.util.Map<String, String>> selects);
  }

  /**
   * The evidence for a node with {@code podSelector} (null when it has none: it selects no pod,
   * as App Mesh's designator), from {@code pods} (null when not watched).
   */
  public static PodEvidence podEvidence(io.appmeshxds.translator.api.LabelSelector podSelector, Pods pods, String namespace,
      String serviceAccount) {
    if (pods == null) {
      return PodEvidence.UNKNOWN;
    }
    Boolean any = pods.anyRunning(namespace, serviceAccount, podSelector == null ? labels -> false : podSelector::matches);
    if (any == null) {
      return PodEvidence.UNKNOWN;
    }
    if (podSelector == null) {
      return PodEvidence.NO_SELECTOR;
    }
    return any ? PodEvidence.MATCH : PodEvidence.NO_MATCH;
  }

  /**
   * Settings.
   *
   * @param mode off, warn or required
   * @param trustDomain the SPIFFE trust domain client certificates must be in
   * @param pods whether pods are consulted where they are known (Kubernetes mode watches them
   *     only then): the node's podSelector must select a running pod of the identity's service
   *     account
   */
  public record Settings(Mode mode, String trustDomain, boolean pods) {
    public Settings {
      if (mode == null) {
        throw new IllegalArgumentException("an authorization mode is needed");
      }
      if (trustDomain == null || trustDomain.isBlank() || trustDomain.contains("/") || trustDomain.contains(":")) {
        throw new IllegalArgumentException("the SPIFFE trust domain must be a bare name such as cluster.local, got "
            + trustDomain);
      }
    }

    /** Pods consulted where known. */
    public Settings(Mode mode, String trustDomain) {
      this(mode, trustDomain, true);
    }
  }

  /** One stream's authentication and the node it was checked for. */
  static final class StreamAuth {
    final ProxyIdentity identity;
    volatile NodeKey key;
    volatile boolean verified;
    volatile boolean denied;
    /** The node of the last request and its key: requests of a stream repeat the same Node (no re-parse). */
    Node lastNode;
    NodeKey lastKey;
    final Set<String> secretsSent = ConcurrentHashMap.newKeySet();

    StreamAuth(ProxyIdentity identity) {
      this.identity = identity;
    }
  }

  private final Settings settings;
  private final TokenReviewer tokens;
  private final Directory directory;
  private final MeterRegistry metrics;
  private final AtomicLong lastUnauthenticatedWarning = new AtomicLong(Long.MIN_VALUE / 2);
  private final LogBudget refusalLines = new LogBudget(20, 60_000_000_000L);

  /**
   * @param tokens reviews bearer tokens (Kubernetes mode), or null to accept client certificates only
   */
  public ProxyAuthorization(Settings settings, TokenReviewer tokens, Directory directory, MeterRegistry metrics) {
    this.settings = settings;
    this.tokens = tokens;
    this.directory = directory;
    this.metrics = metrics;
    for (String r : List.of("unauthenticated", "foreign_node", "unknown_node", "service_account", "foreign_secret")) {
      counter(r, settings.mode() == Mode.REQUIRED); // registered at 0, so dashboards see the series
    }
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Whether what the current stream reports about {@code key} (NACKs, ACKs) may change its status:
   * always with authorization off; otherwise only from a stream authenticated as that node. Reads
   * the stream's context, so call it on the stream's request path.
   */
  public static boolean mayReportFor(NodeKey key) {
    StreamAuth a = STREAM.get();
    return a == null || (a.verified && key.equals(a.key));
  }

  /** The interceptor to put on the ADS service, after {@link StickyNodeInterceptor} has filled in the node. */
  public ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return intercept(call, headers, next);
      }
    };
  }

  private <Q, R> ServerCall.Listener<Q> intercept(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (settings.mode() == Mode.OFF) {
      return next.startCall(call, headers);
    }
    ProxyIdentity id;
    try {
      id = authenticate(call, headers);
    } catch (RuntimeException e) {
      LOG.warn("xDS stream from {}: cannot review its token ({}); refused for now", call.getAttributes().get(
          Grpc.TRANSPORT_ATTR_REMOTE_ADDR), e.getClass().getSimpleName());
      call.close(Status.UNAVAILABLE.withDescription("authentication unavailable"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Counter.builder("appmeshxds_xds_streams_authenticated_total").description("ADS streams by how they authenticated")
        .tag("via", id == null ? "none" : id.via().startsWith("spiffe") ? "certificate" : "token").register(metrics)
        .increment();
    if (id == null) {
      if (settings.mode() == Mode.REQUIRED) {
        denied("unauthenticated", true);
        if (refusalLines.take()) {
          LOG.warn("xDS stream from {} refused: no client certificate with a SPIFFE ID in trust domain {} and no valid token{}",
              call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), settings.trustDomain(), refusalLines.suppressedNote());
        }
        call.close(Status.UNAUTHENTICATED.withDescription("authentication required"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      denied("unauthenticated", false);
      long now = System.nanoTime();
      long last = lastUnauthenticatedWarning.get();
      if (now - last > 60_000_000_000L && lastUnauthenticatedWarning.compareAndSet(last, now)) {
        LOG.warn("xDS stream from {} is not authenticated; allowed because proxy authorization is 'warn' "
            + "(its NACKs do not change status; at most one such line a minute)",
            call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      }
    }
    StreamAuth auth = new StreamAuth(id);
    GuardedCall<Q, R> watched = new GuardedCall<>(call, auth);
    ServerCall.Listener<Q> inner = Contexts.interceptCall(Context.current().withValue(STREAM, auth), watched, headers, next);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(inner) {
      @Override
      public void onMessage(Q message) {
        if (auth.denied) {
          return;
        }
        String refusal = check(auth, message);
        if (refusal != null && settings.mode() == Mode.REQUIRED) {
          auth.denied = true;
          watched.refuse(refusal.equals("not_ready") ? Status.UNAVAILABLE.withDescription("not ready")
              : Status.PERMISSION_DENIED.withDescription("permission denied"));
          // Why: a call the server closes itself ends with onComplete for its listener, which
          // java-control-plane ignores; as a cancellation it cancels the stream's watches and
          // reports the stream closed (connected proxies, ACK state).
          super.onCancel();
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        if (!auth.denied) {
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        if (!auth.denied) {
          super.onComplete();
        }
      }

      @Override
      public void onHalfClose() {
        if (!auth.denied) {
          super.onHalfClose();
        }
      }
    };
  }

  /**
   * The call as the ADS service sees it: records the secrets sent, and lets authorization end it.
   * Why the guard: java-control-plane writes from its own threads and, once told the stream ended,
   * closes the call itself; a second close would throw and skip its clean-up (watches, stream
   * counts), so after a refusal its writes and its close are dropped here.
   */
  private static final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private final StreamAuth auth;
    private boolean refused;

    GuardedCall(ServerCall<Q, R> call, StreamAuth auth) {
      super(call);
      this.auth = auth;
    }

    synchronized void refuse(Status status) {
      if (!refused) {
        refused = true;
        super.close(status, new Metadata());
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (refused) {
        return;
      }
      // Secrets this stream was given stay its own while it still asks for them (a listener draining).
      if (message instanceof DiscoveryResponse r && SECRET_TYPE.equals(r.getTypeUrl())) {
        r.getResourcesList().forEach(a -> auth.secretsSent.add(ResourceNames.of(a)));
      } else if (message instanceof DeltaDiscoveryResponse r && SECRET_TYPE.equals(r.getTypeUrl())) {
        r.getResourcesList().forEach(x -> auth.secretsSent.add(x.getName()));
      }
      super.sendMessage(message);
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!refused) {
        super.close(status, trailers);
      }
    }
  }

  private ProxyIdentity authenticate(ServerCall<?, ?> call, Metadata headers) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session != null) {
      try {
        Certificate[] peer = session.getPeerCertificates();
        if (peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
          ProxyIdentity id = ProxyIdentity.ofCertificate(leaf, settings.trustDomain());
          if (id != null) {
            return id;
          }
        }
      } catch (SSLPeerUnverifiedException e) {
        // no client certificate: try a token
      }
    }
    String h = headers.get(AUTHORIZATION);
    if (tokens != null && h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return tokens.review(h.substring(7).trim());
    }
    return null;
  }

  /** Null when the message may pass; else the reason it may not. */
  private String check(StreamAuth auth, Object message) {
    Node node;
    String type;
    List<String> names;
    if (message instanceof DiscoveryRequest r) {
      node = r.getNode();
      type = r.getTypeUrl();
      names = r.getResourceNamesList();
    } else if (message instanceof DeltaDiscoveryRequest r) {
      node = r.getNode();
      type = r.getTypeUrl();
      names = r.getResourceNamesSubscribeList();
    } else if (message instanceof io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage m) {
      // Access logs (ALS): the node an Envoy names in its stream's identifier is where its entries
      // go (that node's log group), so it must be the stream's own, as on xDS.
      if (!m.hasIdentifier()) {
        return null;
      }
      node = m.getIdentifier().getNode();
      type = null;
      names = List.of();
    } else {
      return null;
    }
    NodeKey key;
    if (node == auth.lastNode || node.equals(auth.lastNode)) {
      key = auth.lastKey;
    } else {
      key = XdsCache.keyOf(node);
      auth.lastNode = node;
      auth.lastKey = key;
    }
    if (key == null) {
      return null; // not an App Mesh node: the cache gives it nothing
    }
    if (!key.equals(auth.key)) {
      String reason = checkNode(auth, key, node);
      if (reason != null) {
        return reason;
      }
    }
    if (SECRET_TYPE.equals(type) && auth.identity != null) {
      for (String n : names) {
        if (!auth.secretsSent.contains(n) && !directory.hasSecret(key, n)) {
          denied("foreign_secret", settings.mode() == Mode.REQUIRED);
          if (refusalLines.take()) {
            LOG.warn("xDS stream of {} as {}: asked for a secret outside its configuration{}{}", auth.identity,
                key.nodeId(), settings.mode() == Mode.REQUIRED ? "; refused" : " (authorization is 'warn': allowed)",
                refusalLines.suppressedNote());
          }
          return "foreign_secret";
        }
      }
    }
    return null;
  }

  private String checkNode(StreamAuth auth, NodeKey key, Node node) {
    auth.key = key;
    auth.verified = false;
    if (auth.identity == null) {
      return null; // warn mode (required refused it at the start)
    }
    if (!directory.ready()) {
      auth.key = null; // check again on the next request
      return "not_ready";
    }
    String ns = directory.namespaceOf(key);
    boolean enforced = settings.mode() == Mode.REQUIRED;
    if (ns != null && ns.equals(auth.identity.namespace())) {
      PodEvidence pods = settings.pods() ? directory.pods(key, ns, auth.identity.serviceAccount()) : PodEvidence.UNKNOWN;
      if (pods == PodEvidence.MATCH || pods == PodEvidence.UNKNOWN) {
        auth.verified = true;
        if (LOG.isDebugEnabled()) {
          LOG.debug("xDS stream of {} authorized as {}{}", auth.identity, key.nodeId(), pods == PodEvidence.MATCH
              ? " (a running pod of its service account is selected by the node's podSelector)"
              : " by namespace only (" + (settings.pods() ? "the pods of " + ns + " are not known" : "pods not consulted") + ")");
        }
        return null;
      }
      denied("service_account", enforced);
      if (refusalLines.take()) {
        LOG.warn("xDS stream of {} claims node {}: {}; {}{}", auth.identity, Escape.line(node.getId(), 256),
            pods == PodEvidence.NO_SELECTOR ? "it has no podSelector, so no pod is its (App Mesh: absent selects no pod)"
                : "no running pod of service account " + auth.identity.serviceAccount() + " is selected by its podSelector",
            enforced ? "refused" : "allowed because proxy authorization is 'warn'", refusalLines.suppressedNote());
      }
      return "service_account";
    }
    String reason = ns == null ? "unknown_node" : "foreign_node";
    denied(reason, enforced);
    if (refusalLines.take()) {
      LOG.warn("xDS stream of {} claims node {}{}: {}{}", auth.identity, Escape.line(node.getId(), 256),
          ns == null ? " which is not a known VirtualNode or VirtualGateway" : " of another namespace",
          enforced ? "refused" : "allowed because proxy authorization is 'warn'", refusalLines.suppressedNote());
    }
    return reason;
  }

  private void denied(String reason, boolean enforced) {
    counter(reason, enforced).increment();
  }

  private Counter counter(String reason, boolean enforced) {
    return Counter.builder(enforced ? "appmeshxds_xds_denied_total" : "appmeshxds_xds_authz_warnings_total")
        .description(enforced ? "ADS streams refused by proxy authorization, by reason"
            : "What proxy authorization would have refused in mode warn, by reason")
        .tag("reason", reason).register(metrics);
  }

  /**
   * At most {@code max} log lines per window; the rest are only counted (the metrics count every
   * refusal). Why: refusals are what an attacker can cause at will, the log must not be theirs.
   */
  static final class LogBudget {
    private final int max;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int used;
    private long suppressed;
    private long reportSuppressed;

    LogBudget(int max, long windowNanos) {
      this.max = max;
      this.windowNanos = windowNanos;
    }

    synchronized boolean take() {
      long now = System.nanoTime();
      if (now - windowStart >= windowNanos) {
        windowStart = now;
        used = 0;
        reportSuppressed = suppressed;
        suppressed = 0;
      }
      if (used < max) {
        used++;
        return true;
      }
      suppressed++;
      return false;
    }

    /** Text to append to a line: how many were left out in the previous window (once), else "". */
    synchronized String suppressedNote() {
      long n = reportSuppressed;
      reportSuppressed = 0;
      return n == 0 ? "" : " (" + n + " more refusals in the previous minute were not logged; see appmeshxds_xds_denied_total)";
    }
  }

  /** Log-safe text from a client. */
  static final class Escape {
    private Escape() {}

    static String line(String s, int max) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length() && b.length() < max; i++) {
        char c = s.charAt(i);
        b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
      }
      return s.length() > max ? b + "…" : b.toString();
    }
  }
}
