package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The howto-k8s-tls-acm layout (the acm-walkthrough validate case) renders: every node that uses
 * ACM gets its listener (TLS only) and the secrets it names, referenced over ADS; render never
 * calls ACM, so secrets show stand-ins, and the key field reads [redacted] in both shapes.
 */
class AcmRenderTest {
  static final Path INPUT = Path.of("src/test/resources/conformance/validate/acm-walkthrough/input");
  static final String BLUE_CERT = "arn:aws:acm:us-west-2:111122223333:certificate/7a1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff";
  static final String GW_CERT = "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
  static final String CA = "arn:aws:acm-pca:us-west-2:111122223333:certificate-authority/5d3c6a0e-1111-2222-3333-444455556666";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void theAcmWalkthroughValidatesAndRendersWithSecretsRedacted() {
    assertThat(CliRun.run("validate", INPUT.toString()).code()).isZero();

    CliRun.Result blue = CliRun.run("render", "--manifests", INPUT.toString(), "--node",
        "mesh/howto-k8s-tls-acm/virtualNode/blue_howto-k8s-tls-acm");
    assertThat(blue.code()).as(blue.err()).isZero();
    JsonNode b = JSON.readTree(blue.out());
    JsonNode ingress = null;
    for (JsonNode l : b.at("/listeners")) {
      if (l.at("/name").asString().equals("lds_ingress_0.0.0.0_15000")) {
        ingress = l;
      }
    }
    assertThat(ingress).as("blue's ingress listener").isNotNull();
    assertThat(ingress.at("/filterChains")).hasSize(1);
    assertThat(ingress.at("/filterChains").toString()).contains("\"tlsCertificateSdsSecretConfigs\":[{\"name\":\"" + BLUE_CERT + "\",\"sdsConfig\":{\"ads\":{}");
    assertThat(b.at("/secrets")).hasSize(1);
    assertThat(b.at("/secrets/0/name").asString()).isEqualTo(BLUE_CERT);
    assertThat(b.at("/secrets/0/tlsCertificate/privateKey/inlineString").asString()).isEqualTo("[redacted]");
    assertThat(b.at("/secrets/0/tlsCertificate/certificateChain/inlineString").asString()).startsWith("(stand-in: render does not call ACM");
    assertThat(blue.err()).contains("note: 1 ACM secret(s) show stand-ins");

    CliRun.Result front = CliRun.run("render", "--manifests", INPUT.toString(), "--node",
        "mesh/howto-k8s-tls-acm/virtualNode/front_howto-k8s-tls-acm");
    assertThat(front.code()).as(front.err()).isZero();
    JsonNode f = JSON.readTree(front.out());
    assertThat(f.at("/secrets")).hasSize(1);
    assertThat(f.at("/secrets/0/name").asString()).isEqualTo(CA);
    assertThat(f.at("/secrets/0/validationContext/trustedCa/inlineString").asString()).startsWith("(stand-in");
    assertThat(front.out()).contains("\"validationContextSdsSecretConfig\" : {\n").contains("\"name\" : \"" + CA + "\"")
        .contains("\"exact\" : \"color-blue.howto-k8s-tls-acm.svc.cluster.local\"");

    CliRun.Result gw = CliRun.run("render", "--manifests", INPUT.toString(), "--node",
        "mesh/howto-k8s-tls-acm/virtualGateway/ingress-gw_howto-k8s-tls-acm", "--format", "config-dump");
    assertThat(gw.code()).as(gw.err()).isZero();
    assertThat(gw.out()).contains("\"dynamic_active_secrets\"").contains("\"name\": \"" + GW_CERT + "\"")
        .contains("\"name\": \"" + CA + "\"").contains("\"private_key\": {\n").contains("\"[redacted]\"")
        .contains("lds_ingress_0.0.0.0_8443");
  }
}
