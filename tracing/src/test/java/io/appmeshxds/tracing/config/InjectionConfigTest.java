package io.appmeshxds.tracing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code injection} section: App Mesh's defaults, our pinned image and ports, and checked values. */
class InjectionConfigTest {

  @Test
  void defaultsAreAppMeshsInjectorsExceptWhereDocumented() throws Exception {
    Injection i = ConfigLoader.parse("c.yaml", "").injection();
    assertThat(i.failurePolicy()).isEqualTo(Injection.FailurePolicy.Fail);
    assertThat(i.xdsAddress()).isEqualTo("appmesh-xds.appmesh-system:18000");
    assertThat(i.fsGroup()).isTrue();
    // CTRL pkg/inject/config.go: sidecar-cpu-requests 10m, sidecar-memory-requests 32Mi, no limits,
    // prestop-delay 20, poststart-timeout 180, readiness-probe-initial-delay 1, readiness-probe-period 10,
    // init-image, ignored-ips 169.254.169.254, xray-log-level prod.
    assertThat(i.envoy().cpuRequest()).isEqualTo("10m");
    assertThat(i.envoy().memoryRequest()).isEqualTo("32Mi");
    assertThat(i.envoy().cpuLimit()).isEmpty();
    assertThat(i.envoy().memoryLimit()).isEmpty();
    assertThat(i.envoy().preStopDelaySeconds()).isEqualTo(20);
    assertThat(i.envoy().postStartTimeoutSeconds()).isEqualTo(180);
    assertThat(i.envoy().readinessInitialDelaySeconds()).isEqualTo(1);
    assertThat(i.envoy().readinessPeriodSeconds()).isEqualTo(10);
    assertThat(i.proxyInit().image()).isEqualTo("840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-proxy-route-manager:v7-prod");
    assertThat(i.proxyInit().egressIgnoredIPs()).isEqualTo("169.254.169.254");
    assertThat(i.xrayDaemon().enabled()).isFalse();
    assertThat(i.xrayDaemon().logLevel()).isEqualTo("prod");
    // Ours: upstream Envoy pinned, admin on loopback 9902, App Mesh's 9901 for stats, waitUntilProxyReady on.
    assertThat(i.envoy().image()).isEqualTo("envoyproxy/envoy:v1.34.13");
    assertThat(i.envoy().adminPort()).isEqualTo(9902);
    assertThat(i.envoy().statsPort()).isEqualTo(9901);
    assertThat(i.envoy().waitUntilProxyReady()).isTrue();
    assertThat(i.webhook().certificates()).isEqualTo("generate");
  }

  @Test
  void readsEveryKey() throws Exception {
    Injection i = ConfigLoader.parse("c.yaml", """
        injection:
          failurePolicy: Ignore
          xdsAddress: xds.example:443
          xdsTls: {enabled: true, caFile: /tls/ca.crt, sni: xds.example, secretName: xds-ca, mountPath: /tls}
          fsGroup: false
          envoy: {image: "registry.local/envoy:v1.34.13", logLevel: debug, adminPort: 19000, statsPort: 9901,
                  cpuRequest: 100m, memoryLimit: 256Mi, waitUntilProxyReady: false, sds: {enabled: true}}
          proxyInit: {image: registry.local/route-manager:v7, egressIgnoredIPs: "169.254.169.254,10.0.0.1"}
          xrayDaemon: {enabled: true, region: eu-west-1, logLevel: debug}
          webhook: {certificates: files, certDir: /certs}
        """).injection();
    assertThat(i.failurePolicy()).isEqualTo(Injection.FailurePolicy.Ignore);
    assertThat(i.xdsTls().enabled()).isTrue();
    assertThat(i.xdsTls().mountPath()).isEqualTo("/tls");
    assertThat(i.fsGroup()).isFalse();
    assertThat(i.envoy().adminPort()).isEqualTo(19000);
    assertThat(i.envoy().memoryLimit()).isEqualTo("256Mi");
    assertThat(i.envoy().waitUntilProxyReady()).isFalse();
    assertThat(i.envoy().sds().socketPath()).isEqualTo("/run/spire/sockets/agent.sock");
    assertThat(i.xrayDaemon().region()).isEqualTo("eu-west-1");
    assertThat(i.webhook().certificates()).isEqualTo("files");
    assertThat(i.webhook().certDir()).isEqualTo("/certs");
  }

  @Test
  void unknownKeysAndBadValuesAreErrorsWithTheirPath() {
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection:\n  envoy:\n    imag: x\n"))
        .hasMessageStartingWith("c.yaml: injection.envoy.imag: unknown key");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {failurePolicy: Maybe}\n"))
        .hasMessageContaining("injection.failurePolicy");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {envoy: {cpuRequest: ten}}\n"))
        .hasMessageContaining("injection.envoy.cpuRequest: must be a Kubernetes quantity");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {envoy: {adminPort: 15001}}\n"))
        .hasMessageContaining("injection.envoy.adminPort: must be a port other than");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {envoy: {adminPort: 9901}}\n"))
        .hasMessageContaining("injection.envoy.statsPort: must differ from envoy.adminPort (9901)");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {xdsAddress: nohost}\n"))
        .hasMessageContaining("injection.xdsAddress: must be host:port");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {xdsTls: {caFile: /ca.crt}}\n"))
        .hasMessageContaining("injection.xdsTls: caFile/certFile/keyFile/sni/secretName/csiDriver need enabled: true");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {xdsTls: {enabled: true, sni: x}}\n"))
        .hasMessageContaining("injection.xdsTls.caFile: enabled: true needs the CA bundle");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml",
        "injection: {xdsTls: {enabled: true, caFile: /c, secretName: s, csiDriver: spiffe.csi.cert-manager.io}}\n"))
        .hasMessageContaining("secretName and csiDriver are two ways");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {envoy: {logLevel: loud}}\n"))
        .hasMessageContaining("injection.envoy.logLevel");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {webhook: {validityDays: 10, renewBeforeDays: 10}}\n"))
        .hasMessageContaining("injection.webhook: validityDays");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "injection: {xrayDaemon: {roleArn: admin}}\n"))
        .hasMessageContaining("injection.xrayDaemon.roleArn");
  }
}
