package io.appmeshxds.server.grpc;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Authenticates a projected service-account token with the Kubernetes TokenReview API, for the
 * audience proxies' tokens are minted for ({@code appmesh-xds} by default). Answers are cached
 * briefly by the token's SHA-256 (never the token itself), in a bounded map: a reconnecting proxy
 * costs one API call per {@code ttl}, and a flood of junk tokens cannot grow memory; at most
 * {@link #MAX_IN_FLIGHT} reviews run at once (the rest are refused UNAVAILABLE after a second), so
 * a flood cannot hold every gRPC thread or hammer the API server.
 */
public final class TokenReviewer {

  /** The TokenReview call, replaceable in tests. */
  public interface Api {
    /** Posts the review; returns the API server's answer. */
    TokenReview review(TokenReview request);
  }

  /** Longest token accepted (a projected token is about 1 KB). */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  private record Entry(ProxyIdentity identity, long expires) {}

  private final Api api;
  private final String audience;
  private final long okTtlMillis;
  private final long failTtlMillis;
  private final int maxEntries;
  private final LongSupplier clock;
  private final Map<String, Entry> cache;
  /** Reviews under way; a flood of new tokens waits briefly for one of these, then is refused for now. */
  private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);

  /** At most this many TokenReview calls at once (each holds a gRPC thread while the API answers). */
  static final int MAX_IN_FLIGHT = 8;

  public TokenReviewer(Api api, String audience, long okTtlMillis, long failTtlMillis, int maxEntries, LongSupplier clock) {
    this.api = api;
    this.audience = audience;
    this.okTtlMillis = okTtlMillis;
    this.failTtlMillis = failTtlMillis;
    this.maxEntries = maxEntries;
    this.clock = clock;
    this.cache = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> e) {
        return size() > TokenReviewer.this.maxEntries;
      }
    };
  }

  /** Reviews with a fabric8 client: 60 s for an accepted token, 5 s for a refused one, 10,000 entries. */
  public static TokenReviewer of(KubernetesClient client, String audience) {
    return new TokenReviewer(r -> client.resource(r).create(), audience, 60_000, 5_000, 10_000, System::currentTimeMillis);
  }

  public String audience() {
    return audience;
  }

  /**
   * The service account a token belongs to, or null when the API server does not accept it for our
   * audience (expired, revoked, another audience, not a service account).
   *
   * @throws RuntimeException when the API server cannot be asked (the caller answers UNAVAILABLE)
   */
  public ProxyIdentity review(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return null;
    }
    String k = sha256(token);
    long now = clock.getAsLong();
    synchronized (cache) {
      Entry e = cache.get(k);
      if (e != null && e.expires() > now) {
        return e.identity();
      }
    }
    TokenReview answer;
    try {
      if (!inFlight.tryAcquire(1, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("too many token reviews under way");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
    try {
      answer = api.review(new TokenReviewBuilder().withNewSpec().withToken(token).withAudiences(List.of(audience))
          .endSpec().build());
    } finally {
      inFlight.release();
    }
    ProxyIdentity id = judge(answer);
    synchronized (cache) {
      cache.put(k, new Entry(id, now + (id == null ? failTtlMillis : okTtlMillis)));
    }
    return id;
  }

  /** Cached answers (for tests and metrics). */
  public int cached() {
    synchronized (cache) {
      return cache.size();
    }
  }

  private ProxyIdentity judge(TokenReview r) {
    if (r == null || r.getStatus() == null || !Boolean.TRUE.equals(r.getStatus().getAuthenticated())
        || r.getStatus().getUser() == null) {
      return null;
    }
    // Why check again: an API server that ignores spec.audiences answers for its own audience.
    List<String> auds = r.getStatus().getAudiences();
    if (auds == null || !auds.contains(audience)) {
      return null;
    }
    return ProxyIdentity.ofServiceAccountUser(r.getStatus().getUser().getUsername());
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
