package io.appmeshxds.tracing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void emptyFileMeansEverythingOff() throws Exception {
    ControlPlaneConfig c = ConfigLoader.parse("c.yaml", "");
    assertThat(c.tracing().provider()).isEqualTo(ControlPlaneConfig.Provider.none);
    assertThat(c.tracing().samplingPercent()).isEqualTo(5.0);
    assertThat(c.logging().cloudWatch().enabled()).isFalse();
    assertThat(c.logging().cloudWatch().logGroup()).isEqualTo("/appmesh/{mesh}/{virtualNode}");
    assertThat(c.telemetry().otlpEndpoint()).isEmpty();
  }

  @Test
  void readsTheContractsKeys() throws Exception {
    ControlPlaneConfig c = ConfigLoader.parse("c.yaml", """
        tracing:
          provider: xray
          samplingPercent: 12.5
          xray: {daemonAddress: 10.0.0.2:2000, segmentName: "x/{virtualNode}"}
          opentelemetry: {collector: otel:4317, serviceName: "{mesh}"}
        logging:
          cloudWatch: {enabled: true, region: eu-west-1, endpoint: "http://127.0.0.1:4566", exporter: 127.0.0.1:18001}
        telemetry:
          otlpEndpoint: http://127.0.0.1:4317
        """);
    assertThat(c.tracing().provider()).isEqualTo(ControlPlaneConfig.Provider.xray);
    assertThat(c.tracing().samplingPercent()).isEqualTo(12.5);
    assertThat(c.tracing().xray().daemonAddress()).isEqualTo("10.0.0.2:2000");
    assertThat(c.tracing().opentelemetry().serviceName()).isEqualTo("{mesh}");
    assertThat(c.tracing().zipkin().collector()).isEqualTo("zipkin.observability:9411");
    assertThat(c.logging().cloudWatch().region()).isEqualTo("eu-west-1");
    assertThat(c.telemetry().otlpEndpoint()).isEqualTo("http://127.0.0.1:4317");
  }

  @Test
  void unknownKeysAreErrorsWithTheirPath() {
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "tracing:\n  xray:\n    daemonAdress: 1.2.3.4:2000\n"))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageStartingWith("c.yaml: tracing.xray.daemonAdress: unknown key");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "tracng: {}\n")).hasMessageContaining("tracng: unknown key");
  }

  @Test
  void valuesAreChecked() {
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "tracing: {provider: jaeger}\n")).hasMessageContaining("tracing.provider");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "tracing: {samplingPercent: 120}\n"))
        .hasMessageContaining("tracing.samplingPercent: must be between 0 and 100 (got 120.0)");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "tracing: {xray: {daemonAddress: xray-daemon:2000}}\n"))
        .hasMessageContaining("tracing.xray.daemonAddress: must be an IP literal and port");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "logging: {cloudWatch: {exporter: nohost}}\n"))
        .hasMessageContaining("logging.cloudWatch.exporter: must be host:port");
  }

  @Test
  void portsAndTheTelemetryEndpointAreChecked() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "tracing: {zipkin: {collector: zipkin:99999}}\n"))
        .hasMessageContaining("c.yaml: tracing.zipkin.collector: port must be between 1 and 65535");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "tracing: {samplingPercent: .nan}\n"))
        .hasMessageContaining("tracing.samplingPercent: must be between 0 and 100");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "telemetry: {otlpEndpoint: \"http://collector\"}\n"))
        .hasMessageContaining("c.yaml: telemetry.otlpEndpoint: must be empty (off) or an OTLP/gRPC endpoint");
    assertThat(ConfigLoader.parse("c.yaml", "telemetry: {otlpEndpoint: otel.observability:4317}\n").telemetry().otlpEndpoint())
        .isEqualTo("otel.observability:4317");
  }

  @Test
  void perPodEndpointsAreAnOptInPerMesh() throws Exception {
    ControlPlaneConfig none = ConfigLoader.parse("c.yaml", "");
    assertThat(none.endpoints().perPod().meshes()).isEmpty();
    assertThat(none.endpoints().options().perPod("appmesh")).isFalse();

    ControlPlaneConfig some = ConfigLoader.parse("c.yaml", "endpoints:\n  perPod:\n    meshes: [appmesh, bench]\n");
    assertThat(some.endpoints().options().perPod("appmesh")).isTrue();
    assertThat(some.endpoints().options().perPod("bench")).isTrue();
    assertThat(some.endpoints().options().perPod("other")).isFalse();

    ControlPlaneConfig all = ConfigLoader.parse("c.yaml", "endpoints: {perPod: {meshes: ['*']}}\n");
    assertThat(all.endpoints().options().perPod("anything")).isTrue();
  }

  @Test
  void perPodKeysAndNamesAreChecked() {
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "endpoints:\n  perpod:\n    meshes: [appmesh]\n"))
        .hasMessageContaining("c.yaml: endpoints.perpod: unknown key");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "endpoints: {perPod: {mesh: [appmesh]}}\n"))
        .hasMessageContaining("c.yaml: endpoints.perPod.mesh: unknown key");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "endpoints: {perPod: {meshes: [appmesh, '']}}\n"))
        .hasMessageContaining("c.yaml: endpoints.perPod.meshes[1]: must be a mesh's App Mesh name");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "endpoints: {perPod: {meshes: appmesh}}\n"))
        .hasMessageContaining("endpoints.perPod.meshes");
  }

  @Test
  void theAwsSectionIsReadAndChecked() throws Exception {
    ControlPlaneConfig c = ConfigLoader.parse("c.yaml", """
        aws:
          region: eu-west-1
          endpoints: {servicediscovery: "http://127.0.0.1:4566", acm: "https://acm.vpce.example"}
        """);
    assertThat(c.aws().region()).isEqualTo("eu-west-1");
    assertThat(c.aws().endpoints().servicediscovery()).isEqualTo("http://127.0.0.1:4566");
    assertThat(c.aws().endpoints().acmpca()).isEmpty();
    assertThat(ConfigLoader.parse("c.yaml", "").aws().region()).as("the SDK's default chain").isEmpty();
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {region: EU-West}\n"))
        .hasMessageContaining("aws.region: must be a region name such as us-west-2, got EU-West");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {endpoints: {acm: \"localhost:4566\"}}\n"))
        .hasMessageContaining("aws.endpoints.acm: must be an http(s) URL, got localhost:4566");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {credentials: {}}\n"))
        .hasMessageContaining("aws.credentials: unknown key");  }

  @Test
  void cloudMapSettingsHaveDefaultsAndRanges() throws Exception {
    CloudMapConfig d = ConfigLoader.parse("c.yaml", "").aws().cloudMap();
    assertThat(d.refreshSeconds()).isEqualTo(15);
    assertThat(d.maxInstances()).isEqualTo(1000);
    assertThat(d.healthStatus()).isEqualTo("HEALTHY");
    assertThat(d.startupWaitSeconds()).isEqualTo(60);
    assertThat(d.registration().enabled()).isTrue();
    assertThat(d.registration().createServices()).isTrue();
    assertThat(d.registration().customHealthCheck()).isFalse();
    assertThat(d.registration().dnsTtlSeconds()).isEqualTo(300);
    CloudMapConfig c = ConfigLoader.parse("c.yaml", """
        aws:
          cloudMap:
            refreshSeconds: 5
            healthStatus: HEALTHY_OR_ELSE_ALL
            registration: {enabled: false, callsPerSecond: 10}
        """).aws().cloudMap();
    assertThat(c.refreshSeconds()).isEqualTo(5);
    assertThat(c.healthStatus()).isEqualTo("HEALTHY_OR_ELSE_ALL");
    assertThat(c.registration().enabled()).isFalse();
    assertThat(c.registration().callsPerSecond()).isEqualTo(10);
    assertThat(c.maxBackoffSeconds()).as("unset keys keep their defaults").isEqualTo(60);
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {cloudMap: {maxInstances: 1001, healthStatus: UNHEALTHY}}\n"))
        .hasMessageContaining("aws.cloudMap.maxInstances: must be between 1 and 1000, got 1001")
        .hasMessageContaining("aws.cloudMap.healthStatus: must be one of [HEALTHY, HEALTHY_OR_ELSE_ALL, ALL], got UNHEALTHY");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {cloudMap: {registration: {ttl: 5}}}\n"))
        .hasMessageContaining("aws.cloudMap.registration.ttl: unknown key");
  }

  @Test
  void theAcmRefreshSettingsAreReadAndChecked() throws Exception {
    ControlPlaneConfig c = ConfigLoader.parse("c.yaml", "aws: {acm: {refreshSeconds: 600, retrySeconds: 2}}\n");
    assertThat(c.aws().acm().refreshSeconds()).isEqualTo(600);
    assertThat(c.aws().acm().retrySeconds()).isEqualTo(2);
    assertThat(ConfigLoader.parse("c.yaml", "").aws().acm().refreshSeconds())
        .as("30 minutes: App Mesh delivered renewals within 35").isEqualTo(1800);
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {acm: {refreshSeconds: 5}}\n"))
        .hasMessageContaining("aws.acm.refreshSeconds: must be between 10 and 86400 (got 5)");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {acm: {refreshSeconds: 60, retrySeconds: 61}}\n"))
        .hasMessageContaining("aws.acm.retrySeconds: must be between 1 and aws.acm.refreshSeconds (got 61)");
    assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "aws: {acm: {passphrase: x}}\n"))
        .hasMessageContaining("aws.acm.passphrase: unknown key");
  }
}
