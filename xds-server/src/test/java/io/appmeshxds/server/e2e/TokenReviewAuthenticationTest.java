package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.grpc.ProxyAuthorization;
import io.appmeshxds.server.grpc.TokenReviewer;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.TestPki;
import io.appmeshxds.server.tls.ServingFiles;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.CallCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proxies authenticated by projected service-account tokens ({@code authorization: Bearer}),
 * reviewed by fabric8's mock API server answering TokenReviews as a real one would: a valid token
 * of the node's namespace gets the node's configuration; an expired token, a token for another
 * audience (refused by the API server, or accepted for its own audience only) and no token are
 * refused UNAUTHENTICATED; a valid token of another namespace is refused PERMISSION_DENIED. Reviews
 * are cached: a reconnecting proxy does not cost a second API call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenReviewAuthenticationTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  @TempDir static Path dir;
  @TempDir static Path pkiDir;
  final Backend primary = new Backend("primary");
  final Backend canary = new Backend("canary");
  final Map<String, AtomicInteger> reviews = new ConcurrentHashMap<>();
  final List<AutoCloseable> closeables = new ArrayList<>();
  KubernetesMockServer api;
  KubernetesClient client;
  TestPki pki;
  ControlPlane cp;
  ManifestSource source;

  TokenReviewAuthenticationTest() throws Exception {}

  /** The API server's answer for a token reviewed for {@code audiences}. */
  static String answer(String token, List<String> audiences) {
    String status = switch (token) {
      case "valid-demo" -> audiences.contains("appmesh-xds")
          ? "{\"authenticated\":true,\"user\":{\"username\":\"system:serviceaccount:demo:flagger-loadtester\"},"
              + "\"audiences\":[\"appmesh-xds\"]}"
          : "{\"authenticated\":false,\"error\":\"token audiences are invalid\"}";
      case "expired" -> "{\"authenticated\":false,\"error\":\"[invalid bearer token, token has expired]\"}";
      // Minted for another audience: a real API server refuses it for ours...
      case "other-audience" -> "{\"authenticated\":false,\"error\":\"token audiences [\\\"vault\\\"] is invalid for the "
          + "target audiences [\\\"appmesh-xds\\\"]\"}";
      // ...and one that ignores spec.audiences answers for its own.
      case "api-audience" -> "{\"authenticated\":true,\"user\":{\"username\":\"system:serviceaccount:demo:flagger-loadtester\"},"
          + "\"audiences\":[\"https://kubernetes.default.svc\"]}";
      case "valid-other" -> "{\"authenticated\":true,\"user\":{\"username\":\"system:serviceaccount:other:default\"},"
          + "\"audiences\":[\"appmesh-xds\"]}";
      case "a-person" -> "{\"authenticated\":true,\"user\":{\"username\":\"alice@example.com\"},\"audiences\":[\"appmesh-xds\"]}";
      default -> "{\"authenticated\":false}";
    };
    return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":" + status + "}";
  }

  @BeforeAll
  void start() throws Exception {
    api = new KubernetesMockServer(false);
    api.init(InetAddress.getLoopbackAddress(), 0);
    api.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, req -> {
      JsonNode body = JSON.readTree(req.getUtf8Body());
      String token = body.path("spec").path("token").asText();
      List<String> auds = new ArrayList<>();
      body.path("spec").path("audiences").forEach(a -> auds.add(a.asText()));
      reviews.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
      return answer(token, auds);
    }).always();
    client = api.createClient();
    pki = new TestPki(pkiDir, "mesh");
    TestPki.Issued server = pki.server("xds-server");
    new MeshFiles(dir, RunningMesh.backends(primary, canary));
    cp = new ControlPlane(Pipelines.standard(ControlPlaneConfig.defaults()), ControlPlane.Settings.loopback(), List.of(), List.of());
    ServingFiles tls = new ServingFiles("xds", new ServingFiles.Files(server.certFile(), server.keyFile(), null, null),
        cp.metrics());
    cp.xdsSecurity(tls.credentials(), new ProxyAuthorization.Settings(ProxyAuthorization.Mode.REQUIRED, "cluster.local"),
        TokenReviewer.of(client, "appmesh-xds")).start();
    source = new ManifestSource(List.of(dir), cp.store(), 50).start();
    RunningMesh.await(() -> cp.reconciler().ready(), 20_000);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    source.close();
    cp.close();
    client.close();
    api.destroy();
    primary.close();
    canary.close();
  }

  AdsTestClient ads(String token) throws Exception {
    var tls = TlsChannelCredentials.newBuilder().trustManager(pki.caFile.toFile()).build();
    var creds = token == null ? tls : CompositeChannelCredentials.create(tls, new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(md);
      }
    });
    AdsTestClient c = new AdsTestClient(Grpc.newChannelBuilderForAddress("localhost", cp.xdsPort(), creds).build(),
        MeshFiles.LOADTESTER, false).start();
    closeables.add(c);
    return c;
  }

  double denied(String reason) {
    var c = cp.metrics().find("appmeshxds_xds_denied_total").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aValidTokenOfTheNodesNamespaceGetsItsConfigAndIsReviewedOnce() throws Exception {
    AdsTestClient c = ads("valid-demo");
    RunningMesh.await(c::complete, 20_000);
    AdsTestClient again = ads("valid-demo");
    RunningMesh.await(again::complete, 20_000);
    assertThat(c.ended()).isNull();
    assertThat(reviews.get("valid-demo").get()).as("the second stream used the cached review").isEqualTo(1);
  }

  @Test
  void expiredWrongAudienceForeignUserAndMissingTokensAreUnauthenticated() throws Exception {
    double before = denied("unauthenticated");
    List<String> tokens = new ArrayList<>(List.of("expired", "other-audience", "api-audience", "a-person"));
    tokens.add(null);
    for (String t : tokens) {
      AdsTestClient c = ads(t);
      RunningMesh.await(() -> c.ended() != null, 10_000);
      assertThat(c.ended()).as(String.valueOf(t)).isEqualTo("UNAUTHENTICATED");
      assertThat(c.endedDescription()).isEqualTo("authentication required");
      assertThat(c.responses()).isZero();
    }
    assertThat(denied("unauthenticated")).isEqualTo(before + tokens.size());
  }

  @Test
  void aValidTokenOfAnotherNamespaceIsRefusedPermissionDenied() throws Exception {
    double before = denied("foreign_node");
    AdsTestClient c = ads("valid-other");
    RunningMesh.await(() -> c.ended() != null, 10_000);
    assertThat(c.ended()).isEqualTo("PERMISSION_DENIED");
    assertThat(c.endedDescription()).isEqualTo("permission denied");
    assertThat(c.responses()).isZero();
    assertThat(denied("foreign_node")).isEqualTo(before + 1);
  }
}
