package io.appmeshxds.server.configdump;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secret material never reaches a config dump; what is not sensitive is kept as it was. */
class ConfigDumpWriterTest {
  static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
  static final String PASSWORD = "hunter2-pkcs12";
  static final String CHAIN = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----\n";

  static XdsResources withInlineKeys() {
    TlsCertificate cert = TlsCertificate.newBuilder()
        .setCertificateChain(DataSource.newBuilder().setInlineString(CHAIN))
        .setPrivateKey(DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(KEY)))
        .setPassword(DataSource.newBuilder().setInlineString(PASSWORD))
        .build();
    Secret secret = Secret.newBuilder().setName("frontend-cert").setTlsCertificate(cert).build();
    Cluster cluster = Cluster.newBuilder().setName("cds_egress_shop_payments_shop_http_9090")
        .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
            .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder().addTlsCertificates(cert)).build())))
        .build();
    return new XdsResources(NodeKey.sidecar("shop", "frontend_shop"), Map.of(
        XdsResources.Type.SECRET, List.of(XdsResources.Resource.of("frontend-cert", secret)),
        XdsResources.Type.CLUSTER, List.of(XdsResources.Resource.of(cluster.getName(), cluster))));
  }

  @Test
  void inlineKeysAndPasswordsAreRedactedInSecretsAndInsideAnyPayloads() throws Exception {
    String json = ConfigDumpWriter.json(withInlineKeys());
    String keyBase64 = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));
    assertThat(json).doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC").doesNotContain(keyBase64.substring(0, 24))
        .doesNotContain(PASSWORD);
    // The chain is not sensitive: kept, in the secret and in the cluster's TLS context.
    assertThat(json.split("MIIDdzCCAl\\+gAwIBAgIE", -1)).hasSize(3);

    ConfigDump.Builder b = ConfigDump.newBuilder();
    JsonFormat.parser().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
        .add(ConfigDump.getDescriptor()).add(Secret.getDescriptor()).add(Cluster.getDescriptor())
        .add(UpstreamTlsContext.getDescriptor()).build()).merge(json, b);
    SecretsConfigDump secrets = b.getConfigs(4).unpack(SecretsConfigDump.class);
    Secret secret = secrets.getDynamicActiveSecrets(0).getSecret().unpack(Secret.class);
    assertThat(secrets.getDynamicActiveSecrets(0).getName()).isEqualTo("frontend-cert");
    assertThat(secret.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8()).isEqualTo("[redacted]");
    assertThat(secret.getTlsCertificate().getPassword().getInlineString()).isEqualTo("[redacted]");
    assertThat(secret.getTlsCertificate().getCertificateChain().getInlineString()).isEqualTo(CHAIN);
    Cluster cluster = b.getConfigs(0).unpack(ClustersConfigDump.class).getDynamicActiveClusters(0).getCluster().unpack(Cluster.class);
    TlsCertificate inCluster = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class)
        .getCommonTlsContext().getTlsCertificates(0);
    assertThat(inCluster.getPrivateKey().getInlineBytes().toStringUtf8()).isEqualTo("[redacted]");
    assertThat(inCluster.getCertificateChain().getInlineString()).isEqualTo(CHAIN);
  }

  @Test
  void redactionLeavesAMessageWithoutSensitiveFieldsAsTheSameInstance() {
    Cluster plain = Cluster.newBuilder().setName("c").build();
    assertThat(new Redaction().redact(plain)).isSameAs(plain);
  }
}
