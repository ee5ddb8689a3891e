package io.appmeshxds.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The review cache: bounded, expiring on an injected clock, never holding the token itself; API failures surface. */
class TokenReviewerTest {
  final AtomicInteger calls = new AtomicInteger();
  final AtomicLong now = new AtomicLong(1_000);

  TokenReview accept(TokenReview req) {
    calls.incrementAndGet();
    String token = req.getSpec().getToken();
    return new TokenReviewBuilder().withNewStatus().withAuthenticated(!token.startsWith("bad"))
        .withNewUser().withUsername("system:serviceaccount:demo:" + token).endUser()
        .withAudiences(req.getSpec().getAudiences()).endStatus().build();
  }

  @Test
  void answersAreCachedUntilTheirTtlAndTheCacheIsBounded() {
    TokenReviewer r = new TokenReviewer(this::accept, "appmesh-xds", 60_000, 5_000, 3, now::get);
    assertThat(r.review("sa-a")).isEqualTo(new ProxyIdentity("demo", "sa-a", "token"));
    assertThat(r.review("sa-a")).isNotNull();
    assertThat(calls.get()).isEqualTo(1);
    assertThat(r.review("bad-1")).isNull();
    now.addAndGet(5_001);
    assertThat(r.review("bad-1")).isNull();
    assertThat(calls.get()).as("a refusal is cached for 5 s only").isEqualTo(3);
    assertThat(r.review("sa-a")).isNotNull();
    assertThat(calls.get()).isEqualTo(3);
    now.addAndGet(60_000);
    r.review("sa-a");
    assertThat(calls.get()).as("an acceptance is cached for 60 s").isEqualTo(4);
    for (int i = 0; i < 100; i++) {
      r.review("sa-" + i);
    }
    assertThat(r.cached()).isEqualTo(3);
  }

  @Test
  void oversizedOrEmptyTokensCostNoCallAndApiFailuresAreNotCached() {
    AtomicInteger fail = new AtomicInteger(1);
    TokenReviewer r = new TokenReviewer(req -> {
      if (fail.getAndDecrement() > 0) {
        throw new IllegalStateException("connection refused");
      }
      return accept(req);
    }, "appmesh-xds", 60_000, 5_000, 10, now::get);
    assertThat(r.review("")).isNull();
    assertThat(r.review("x".repeat(TokenReviewer.MAX_TOKEN_CHARS + 1))).isNull();
    assertThat(calls.get()).isZero();
    assertThatThrownBy(() -> r.review("sa-a")).hasMessageContaining("connection refused");
    assertThat(r.review("sa-a")).isNotNull();
  }

  @Test
  void onlyServiceAccountsOfValidNamesAreProxies() {
    assertThat(ProxyIdentity.ofServiceAccountUser("system:serviceaccount:demo:podinfo")).isNotNull();
    assertThat(ProxyIdentity.ofServiceAccountUser("system:node:ip-10-0-0-1")).isNull();
    assertThat(ProxyIdentity.ofServiceAccountUser("system:serviceaccount:Demo:x")).isNull();
    assertThat(ProxyIdentity.ofServiceAccountUser("system:serviceaccount:demo:x:y")).isNull();
    assertThat(ProxyIdentity.ofSpiffeId("spiffe://cluster.local/ns/demo/sa/podinfo", "cluster.local"))
        .isEqualTo(new ProxyIdentity("demo", "podinfo", "spiffe://cluster.local/ns/demo/sa/podinfo"));
    for (String bad : List.of("spiffe://other.domain/ns/demo/sa/podinfo", "spiffe://cluster.local/ns/demo/sa/podinfo/x",
        "spiffe://cluster.local/ns/demo", "https://cluster.local/ns/demo/sa/podinfo", "spiffe://cluster.local/ns/../sa/x",
        "spiffe://cluster.local/ns/demo/sa/podinfo?x=1", "spiffe://u@cluster.local/ns/demo/sa/podinfo")) {
      assertThat(ProxyIdentity.ofSpiffeId(bad, "cluster.local")).as(bad).isNull();
    }
  }

  @Test
  void aFloodOfNewTokensIsBoundedByConcurrentReviews() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    TokenReviewer r = new TokenReviewer(req -> {
      started.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return accept(req);
    }, "appmesh-xds", 60_000, 5_000, 100, now::get);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(TokenReviewer.MAX_IN_FLIGHT);
    for (int i = 0; i < TokenReviewer.MAX_IN_FLIGHT; i++) {
      int n = i;
      pool.submit(() -> r.review("sa-" + n));
    }
    long t0 = System.nanoTime();
    while (started.get() < TokenReviewer.MAX_IN_FLIGHT && System.nanoTime() - t0 < 10_000_000_000L) {
      Thread.onSpinWait();
    }
    assertThat(started.get()).isEqualTo(TokenReviewer.MAX_IN_FLIGHT);
    assertThatThrownBy(() -> r.review("one-more")).hasMessageContaining("too many token reviews");
    assertThat(started.get()).isEqualTo(TokenReviewer.MAX_IN_FLIGHT);
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(r.review("one-more")).isNotNull();
  }
}
