package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.FakeCloudMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code render} of the howto-k8s-cloudmap layout: offline by default (no AWS call; the Cloud Map
 * clusters are EDS clusters with no endpoints, and a note names each), and with {@code
 * --cloud-map} the instances Cloud Map returns now, asked as the server asks (the config's aws
 * section, the SDK's default credential chain).
 */
class RenderCloudMapTest {
  static final Path WALKTHROUGH = Path.of("src", "test", "resources", "conformance", "validate", "cloudmap", "input");
  static final String FRONT = "mesh/howto-k8s-cloudmap/virtualNode/front_howto-k8s-cloudmap";
  static final String BLUE = "cds_egress_howto-k8s-cloudmap_colorapp-blue_howto-k8s-cloudmap_http_8080";
  static final String RED = "cds_egress_howto-k8s-cloudmap_colorapp-red_howto-k8s-cloudmap_http_8080";

  @TempDir Path dir;

  @Test
  void offlineTheCloudMapClustersHaveNoEndpointsAndANoteSaysWhy() throws Exception {
    CliRun.Result r = CliRun.run("render", "--manifests", WALKTHROUGH.toString(), "--node", FRONT);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode out = JsonMapper.shared().readTree(r.out());
    assertThat(cluster(out, BLUE).path("type").asString()).isEqualTo("EDS");
    assertThat(endpoints(out, BLUE)).isEmpty();
    assertThat(r.err()).contains("note: " + BLUE + ": endpoints come from AWS Cloud Map "
        + "(howto-k8s-cloudmap.pvt.aws.local/colorapp{color=blue}) at run time; none here (render --cloud-map asks Cloud Map");
    assertThat(r.err()).contains("note: " + RED + ":");
  }

  @Test
  void withCloudMapTheInstancesCloudMapReturnsAreTheEndpoints() throws Exception {
    try (FakeCloudMap cloudMap = new FakeCloudMap()) {
      FakeCloudMap.Namespace ns = cloudMap.namespace("howto-k8s-cloudmap.pvt.aws.local", "DNS_PRIVATE");
      FakeCloudMap.Service colorapp = cloudMap.service(ns, "colorapp", false);
      cloudMap.service(ns, "front", false);
      cloudMap.put(colorapp, "192.168.10.38", Map.of("AWS_INSTANCE_IPV4", "192.168.10.38", "color", "blue", "app", "colorapp"));
      cloudMap.put(colorapp, "192.168.34.225", Map.of("AWS_INSTANCE_IPV4", "192.168.34.225", "color", "red", "app", "colorapp"));
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, "aws:\n  region: us-west-2\n  endpoints: {servicediscovery: \"" + cloudMap.endpoint() + "\"}\n");
      // The SDK's default chain reads these system properties before anything else.
      System.setProperty("aws.accessKeyId", "AKIDRENDER");
      System.setProperty("aws.secretAccessKey", "not-a-real-secret");
      CliRun.Result r;
      try {
        r = CliRun.run("render", "--manifests", WALKTHROUGH.toString(), "--node", FRONT, "--config", config.toString(),
            "--cloud-map");
      } finally {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode out = JsonMapper.shared().readTree(r.out());
      assertThat(endpoints(out, BLUE)).containsExactly("192.168.10.38:8080");
      assertThat(endpoints(out, RED)).containsExactly("192.168.34.225:8080");
      assertThat(r.err()).doesNotContain("Cloud Map");
      assertThat(cloudMap.calls("DiscoverInstances")).as("one call per question: blue, red and front's own")
          .hasSize(3).allMatch(c -> "AKIDRENDER".equals(c.accessKeyId()));
      assertThat(r.out() + r.err()).doesNotContain("not-a-real-secret");

      cloudMap.outage("DiscoverInstances", true);
      System.setProperty("aws.accessKeyId", "AKIDRENDER");
      System.setProperty("aws.secretAccessKey", "not-a-real-secret");
      try {
        r = CliRun.run("render", "--manifests", WALKTHROUGH.toString(), "--node", FRONT, "--config", config.toString(),
            "--cloud-map");
      } finally {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
      assertThat(r.code()).isZero();
      assertThat(endpoints(JsonMapper.shared().readTree(r.out()), BLUE)).isEmpty();
      assertThat(r.err()).contains("note: " + BLUE + ": AWS Cloud Map (howto-k8s-cloudmap.pvt.aws.local/colorapp{color=blue}) "
          + "did not answer: ServiceUnavailable: Service unavailable (simulated outage) (HTTP 503); no endpoints here");
    }
  }

  private static JsonNode cluster(JsonNode out, String name) {
    for (JsonNode c : out.get("clusters")) {
      if (c.path("name").asString().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no cluster " + name);
  }

  private static java.util.List<String> endpoints(JsonNode out, String name) {
    java.util.List<String> list = new java.util.ArrayList<>();
    for (JsonNode cla : out.get("endpoints")) {
      if (cla.path("clusterName").asString().equals(name)) {
        for (JsonNode loc : cla.path("endpoints")) {
          for (JsonNode e : loc.path("lbEndpoints")) {
            JsonNode sa = e.path("endpoint").path("address").path("socketAddress");
            list.add(sa.path("address").asString() + ":" + sa.path("portValue").asInt());
          }
        }
        return list;
      }
    }
    throw new AssertionError("no load assignment for " + name);
  }
}
