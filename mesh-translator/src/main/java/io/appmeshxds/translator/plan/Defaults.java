package io.appmeshxds.translator.plan;

/** App Mesh's defaults and fixed ports. */
public final class Defaults {
  private Defaults() {}

  /** Sidecar ingress listener port. */
  public static final long INGRESS_PORT = 15000;
  /** Sidecar egress listener port. */
  public static final long EGRESS_PORT = 15001;
  /** Per-request timeout when none is set (App Mesh: 15 s). */
  public static final long REQUEST_TIMEOUT_MS = 15_000;
  /** Idle timeout when none is set (App Mesh: 300 s). */
  public static final long IDLE_TIMEOUT_MS = 300_000;
  /** Connect timeout of backend and pass-through clusters (App Mesh's config dumps: 1 s). */
  public static final long CONNECT_TIMEOUT_MS = 1_000;
  /**
   * Connect timeout of the local app cluster, {@code 127.0.0.1:<port>} (App Mesh's config dumps:
   * 0.25 s for its local clusters). Why so short: a loopback connect either succeeds at once or is
   * refused; a slow one means the app is overloaded, and failing fast lets the caller retry.
   */
  public static final long LOCAL_CONNECT_TIMEOUT_MS = 250;

  /**
   * Stat prefix of the ingress filter (HTTP connection manager or tcp_proxy) of one listener of a
   * VirtualNode or VirtualGateway: {@code ingress} when it has a single listener, {@code
   * ingress.<protocol>.<port>} when it has several, as App Mesh's Envoy named them (user guide,
   * "Exporting metrics": "Single Listener: ingress; Multiple Listeners: ingress.<protocol>.<port>").
   * Why also for tcp_proxy: the sources show HTTP stats only; one rule keeps two tcp listeners'
   * stats apart as it does for HTTP.
   */
  public static String ingressStatPrefix(int listeners, String protocol, long port) {
    return listeners > 1 ? "ingress." + protocol + "." + port : "ingress";
  }

  /**
   * App Mesh's default retry policy, applied to routes and VirtualNode-provided services that have
   * none: {@code unavailable,reset,connect-failure,refused-stream,retriable-status-codes}, 2
   * retries, status 503, previous-hosts predicate. The tokens and their order are those of a real
   * App Mesh sidecar's config dump (appmesh-fidelity #4); the user guide lists "reset" among the
   * default events too. Roadmap #229 quoted the policy without {@code reset}.
   */
  public static RoutePlan.Retry defaultRetry() {
    return new RoutePlan.Retry(
        java.util.List.of("unavailable", "reset", "connect-failure", "refused-stream", "retriable-status-codes"), 2,
        null, java.util.List.of(503), true);
  }
}
