package io.appmeshxds.server.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.acm.model.ExportCertificateResponse;
import software.amazon.awssdk.services.acmpca.model.GetCertificateAuthorityCertificateResponse;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;

/**
 * The three SDK clients, built from the config's {@code aws} section, reach an overridden endpoint
 * with the region and credentials given, speak each service's JSON protocol ({@code X-Amz-Target},
 * SigV4 for the region) and read its answers. Why this matters beyond wiring: the Cloud Map and
 * ACM PCA clients are older releases than the SDK core they run on (the registry serves no newer
 * ones), so this is where an incompatibility would show; and DiscoverInstances must not go to a
 * {@code data-} host once the endpoint is overridden.
 */
class AwsClientsTest {
  private HttpServer server;
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> answers = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(Map.of("target", String.valueOf(target), "host", String.valueOf(ex.getRequestHeaders().getFirst("Host")),
          "authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")), "body", body));
      byte[] out = answers.getOrDefault(target, "{}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private AwsClients clients() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    return new AwsClients(new ControlPlaneConfig.Aws("eu-west-1", new ControlPlaneConfig.AwsEndpoints(url, url, url)),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-real-secret")));
  }

  @Test
  void cloudMapDiscoverInstancesGoesToTheOverriddenHostAndIsRead() {
    answers.put("Route53AutoNaming_v20170314.DiscoverInstances", """
        {"Instances": [{"InstanceId": "10.0.1.10", "NamespaceName": "apps.local", "ServiceName": "color",
          "HealthStatus": "HEALTHY", "Attributes": {"AWS_INSTANCE_IPV4": "10.0.1.10", "AWS_INSTANCE_PORT": "8080"}}]}""");
    try (AwsClients c = clients(); var sd = c.serviceDiscovery()) {
      DiscoverInstancesResponse r = sd.discoverInstances(b -> b.namespaceName("apps.local").serviceName("color")
          .healthStatus(HealthStatusFilter.HEALTHY).queryParameters(Map.of("version", "v1")));
      assertThat(r.instances()).singleElement().satisfies(i -> {
        assertThat(i.instanceId()).isEqualTo("10.0.1.10");
        assertThat(i.attributes()).containsEntry("AWS_INSTANCE_PORT", "8080");
      });
    }
    Map<String, String> req = requests.get(0);
    assertThat(req.get("host")).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
    assertThat(req.get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/eu-west-1/servicediscovery/aws4_request");
    assertThat(req.get("body")).contains("\"NamespaceName\":\"apps.local\"").contains("\"QueryParameters\":{\"version\":\"v1\"}")
        .contains("\"HealthStatus\":\"HEALTHY\"");
  }

  @Test
  void acmExportCertificateAndPcaCaCertificateAreRead() {
    answers.put("CertificateManager.ExportCertificate",
        "{\"Certificate\": \"-----BEGIN CERTIFICATE-----\\nA\\n-----END CERTIFICATE-----\\n\", \"CertificateChain\": \"C\", "
            + "\"PrivateKey\": \"K\"}");
    answers.put("ACMPrivateCA.GetCertificateAuthorityCertificate", "{\"Certificate\": \"CA\", \"CertificateChain\": \"R\"}");
    try (AwsClients c = clients(); var acm = c.acm(); var pca = c.acmPca()) {
      ExportCertificateResponse e = acm.exportCertificate(b -> b.certificateArn("arn:aws:acm:eu-west-1:111122223333:certificate/x")
          .passphrase(software.amazon.awssdk.core.SdkBytes.fromUtf8String("p")));
      assertThat(e.certificate()).startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(e.privateKey()).isEqualTo("K");
      GetCertificateAuthorityCertificateResponse ca = pca.getCertificateAuthorityCertificate(
          b -> b.certificateAuthorityArn("arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/y"));
      assertThat(ca.certificate()).isEqualTo("CA");
      assertThat(ca.certificateChain()).isEqualTo("R");
    }
    assertThat(requests).extracting(m -> m.get("target"))
        .containsExactly("CertificateManager.ExportCertificate", "ACMPrivateCA.GetCertificateAuthorityCertificate");
    assertThat(requests.get(0).get("authorization")).contains("/eu-west-1/acm/aws4_request");
    assertThat(requests.get(1).get("authorization")).contains("/eu-west-1/acm-pca/aws4_request");
  }
}
