package io.appmeshxds.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.TestPki;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.logs.AccessLogExport;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access-log (ALS) port with TLS from files ({@code serve --als-tls-cert/--als-tls-key
 * [--als-client-ca]}): a TLS client streams, a plaintext one cannot; with a client CA, a client
 * without a certificate cannot either. Transport only: what the entries become is the exporter's.
 */
class AlsTransportTlsTest {
  @TempDir Path dir;

  /** Streams one entry and completes; returns "OK" when the server completes the stream, else the status code. */
  static String stream(int port, ChannelCredentials creds) throws Exception {
    return stream(port, creds, "mesh/shop/virtualNode/front_shop");
  }

  static String stream(int port, ChannelCredentials creds, String nodeId) throws Exception {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("localhost", port, creds).build();
    try {
      CompletableFuture<String> done = new CompletableFuture<>();
      StreamObserver<StreamAccessLogsMessage> out = AccessLogServiceGrpc.newStub(ch).streamAccessLogs(new StreamObserver<>() {
        @Override
        public void onNext(StreamAccessLogsResponse r) {}

        @Override
        public void onError(Throwable t) {
          done.complete(Status.fromThrowable(t).getCode().name());
        }

        @Override
        public void onCompleted() {
          done.complete("OK");
        }
      });
      StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder();
      m.getIdentifierBuilder().setNode(Node.newBuilder().setId(nodeId)).setLogName("front_shop");
      m.getHttpLogsBuilder().addLogEntry(HTTPAccessLogEntry.getDefaultInstance());
      out.onNext(m.build());
      out.onCompleted();
      return done.get(20, TimeUnit.SECONDS);
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theAlsPortServesTlsAndOptionallyRequiresClientCertificates() throws Exception {
    TestPki pki = new TestPki(dir, "als");
    TestPki.Issued server = pki.server("als-server");
    TestPki.Issued client = pki.client("envoy", "spiffe://cluster.local/ns/shop/sa/front");
    ControlPlaneConfig.CloudWatch cw = new ControlPlaneConfig.CloudWatch(true, "us-east-1", "http://127.0.0.1:9", null, null,
        null, dir.resolve("buf").toString(), null);
    SimpleMeterRegistry m = new SimpleMeterRegistry();
    ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(pki.caFile.toFile()).build();
    ChannelCredentials mtls = TlsChannelCredentials.newBuilder().trustManager(pki.caFile.toFile())
        .keyManager(client.certFile().toFile(), client.keyFile().toFile()).build();

    AccessLogExport serverOnly = AccessLogExport.start(cw, new InetSocketAddress("127.0.0.1", 0), dir.resolve("buf1"), m,
        new ServingFiles("als", new ServingFiles.Files(server.certFile(), server.keyFile(), null, null), m).credentials());
    try {
      assertThat(stream(serverOnly.port(), tls)).isEqualTo("OK");
      assertThat(stream(serverOnly.port(), InsecureChannelCredentials.create())).isEqualTo("UNAVAILABLE");
    } finally {
      serverOnly.close(java.time.Duration.ZERO);
    }

    AccessLogExport mutual = AccessLogExport.start(cw, new InetSocketAddress("127.0.0.1", 0), dir.resolve("buf2"), m,
        new ServingFiles("als-mtls", new ServingFiles.Files(server.certFile(), server.keyFile(), pki.caFile, null), m)
            .credentials());
    try {
      assertThat(stream(mutual.port(), mtls)).isEqualTo("OK");
      assertThat(stream(mutual.port(), tls)).as("no client certificate").isEqualTo("UNAVAILABLE");
    } finally {
      mutual.close(java.time.Duration.ZERO);
    }
  }

  /**
   * With serve's proxy authorization around the ALS service: a stream sends entries only for a
   * node of its own identity's namespace (entries name their node, and so their log group).
   */
  @Test
  void anAlsStreamMayOnlySendEntriesForItsOwnNode() throws Exception {
    TestPki pki = new TestPki(dir, "als-authz");
    TestPki.Issued server = pki.server("als-server");
    TestPki.Issued client = pki.client("envoy", "spiffe://cluster.local/ns/shop/sa/front");
    ControlPlaneConfig.CloudWatch cw = new ControlPlaneConfig.CloudWatch(true, "us-east-1", "http://127.0.0.1:9", null, null,
        null, dir.resolve("buf").toString(), null);
    SimpleMeterRegistry m = new SimpleMeterRegistry();
    io.appmeshxds.server.grpc.ProxyAuthorization authz = new io.appmeshxds.server.grpc.ProxyAuthorization(
        new io.appmeshxds.server.grpc.ProxyAuthorization.Settings(io.appmeshxds.server.grpc.ProxyAuthorization.Mode.REQUIRED,
            "cluster.local"), null, new io.appmeshxds.server.grpc.ProxyAuthorization.Directory() {
              @Override
              public boolean ready() {
                return true;
              }

              @Override
              public String namespaceOf(io.appmeshxds.translator.plan.NodeKey key) {
                return key.name().endsWith("_shop") ? "shop" : key.name().endsWith("_prod") ? "prod" : null;
              }

              @Override
              public boolean hasSecret(io.appmeshxds.translator.plan.NodeKey key, String name) {
                return false;
              }
            }, m);
    ChannelCredentials mtls = TlsChannelCredentials.newBuilder().trustManager(pki.caFile.toFile())
        .keyManager(client.certFile().toFile(), client.keyFile().toFile()).build();
    AccessLogExport export = AccessLogExport.start(cw, new InetSocketAddress("127.0.0.1", 0), dir.resolve("buf3"), m,
        new ServingFiles("als-authz", new ServingFiles.Files(server.certFile(), server.keyFile(), pki.caFile, null), m)
            .credentials(), java.util.List.of(authz.interceptor()));
    try {
      assertThat(stream(export.port(), mtls, "mesh/shop/virtualNode/front_shop")).isEqualTo("OK");
      double before = m.find("appmeshxds_xds_denied_total").counters().stream().mapToDouble(c -> c.count()).sum();
      assertThat(stream(export.port(), mtls, "mesh/prod/virtualNode/billing_prod")).as("another namespace's node")
          .isEqualTo("PERMISSION_DENIED");
      assertThat(m.find("appmeshxds_xds_denied_total").counters().stream().mapToDouble(c -> c.count()).sum())
          .isEqualTo(before + 1);
    } finally {
      export.close(java.time.Duration.ZERO);
    }
  }
}
