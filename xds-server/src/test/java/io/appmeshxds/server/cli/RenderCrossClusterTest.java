package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.FakeCloudMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code render} of the howto-k8s-cross-cluster layout (conformance case {@code cross-cluster}):
 * front, in cluster 1, names colorapp's virtual service by ARN; its proxy gets the route to
 * colorapp split between the blue and red nodes of cluster 2, whose clusters are EDS clusters fed
 * by Cloud Map: offline none (a note names the question), with {@code --cloud-map} the instances
 * cluster 2's pods were registered as, told apart by their {@code color} attribute.
 */
class RenderCrossClusterTest {
  static final Path LAYOUT = Path.of("src", "test", "resources", "conformance", "validate", "cross-cluster", "input");
  static final String FRONT = "mesh/howto-k8s-cross-cluster/virtualNode/front_howto-k8s-cross-cluster";
  static final String BLUE = "cds_egress_howto-k8s-cross-cluster_colorapp-blue_howto-k8s-cross-cluster_http_8080";
  static final String RED = "cds_egress_howto-k8s-cross-cluster_colorapp-red_howto-k8s-cross-cluster_http_8080";
  static final String COLORAPP = "colorapp.howto-k8s-cross-cluster.svc.cluster.local";

  @TempDir Path dir;

  @Test
  void offlineFrontRoutesToColorappByArnAndTheCloudMapClustersWaitForCloudMap() throws Exception {
    CliRun.Result r = CliRun.run("render", "--manifests", LAYOUT.toString(), "--node", FRONT);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode out = JsonMapper.shared().readTree(r.out());
    assertThat(weightedClusters(out, COLORAPP)).as("the ARN backend's route, split as colorapp-router says")
        .containsExactlyInAnyOrder(BLUE, RED);
    assertThat(cluster(out, BLUE).path("type").asString()).isEqualTo("EDS");
    assertThat(endpoints(out, BLUE)).isEmpty();
    assertThat(endpoints(out, RED)).isEmpty();
    assertThat(r.err()).contains("note: " + BLUE + ": endpoints come from AWS Cloud Map "
        + "(howto-k8s-cross-cluster.pvt.aws.local/colorapp{color=blue}) at run time");
    assertThat(r.err()).contains("note: " + RED + ": endpoints come from AWS Cloud Map "
        + "(howto-k8s-cross-cluster.pvt.aws.local/colorapp{color=red}) at run time");
  }

  @Test
  void withCloudMapFrontGetsTheInstancesTheOtherClusterRegistered() throws Exception {
    try (FakeCloudMap cloudMap = new FakeCloudMap()) {
      FakeCloudMap.Namespace ns = cloudMap.namespace("howto-k8s-cross-cluster.pvt.aws.local", "DNS_PRIVATE");
      FakeCloudMap.Service colorapp = cloudMap.service(ns, "colorapp", false);
      cloudMap.service(ns, "front", false);
      // As cluster 2's registrar left them: the pod's labels, the node's attribute, the controller's keys.
      cloudMap.put(colorapp, "172.16.40.7", Map.of("AWS_INSTANCE_IPV4", "172.16.40.7", "AWS_INSTANCE_PORT", "8080",
          "app", "colorapp", "version", "blue", "color", "blue", "appmesh.k8s.aws/mesh", "howto-k8s-cross-cluster",
          "appmesh.k8s.aws/virtualNode", "colorapp-blue_howto-k8s-cross-cluster"));
      cloudMap.put(colorapp, "172.16.72.19", Map.of("AWS_INSTANCE_IPV4", "172.16.72.19", "AWS_INSTANCE_PORT", "8080",
          "app", "colorapp", "version", "red", "color", "red", "appmesh.k8s.aws/mesh", "howto-k8s-cross-cluster",
          "appmesh.k8s.aws/virtualNode", "colorapp-red_howto-k8s-cross-cluster"));
      cloudMap.put(colorapp, "172.16.72.20", Map.of("AWS_INSTANCE_IPV4", "172.16.72.20", "AWS_INSTANCE_PORT", "8080",
          "app", "colorapp", "version", "red", "color", "red", "appmesh.k8s.aws/mesh", "howto-k8s-cross-cluster",
          "appmesh.k8s.aws/virtualNode", "colorapp-red_howto-k8s-cross-cluster"));
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, "aws:\n  region: us-west-2\n  endpoints: {servicediscovery: \"" + cloudMap.endpoint() + "\"}\n");
      System.setProperty("aws.accessKeyId", "AKIDRENDER");
      System.setProperty("aws.secretAccessKey", "not-a-real-secret");
      CliRun.Result r;
      try {
        r = CliRun.run("render", "--manifests", LAYOUT.toString(), "--node", FRONT, "--config", config.toString(),
            "--cloud-map");
      } finally {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode out = JsonMapper.shared().readTree(r.out());
      assertThat(weightedClusters(out, COLORAPP)).containsExactlyInAnyOrder(BLUE, RED);
      assertThat(endpoints(out, BLUE)).containsExactly("172.16.40.7:8080");
      assertThat(endpoints(out, RED)).containsExactlyInAnyOrder("172.16.72.19:8080", "172.16.72.20:8080");
      assertThat(r.err()).doesNotContain("Cloud Map");
      assertThat(cloudMap.calls("DiscoverInstances")).extracting(c -> c.body().path("QueryParameters").toString())
          .as("one question per node: blue, red, and front's own")
          .containsExactlyInAnyOrder("{\"color\":\"blue\"}", "{\"color\":\"red\"}", "{}");
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

  /** The clusters of the routes of the virtual host whose domains name {@code host}. */
  private static List<String> weightedClusters(JsonNode out, String host) {
    List<String> names = new ArrayList<>();
    for (JsonNode rc : out.get("routes")) {
      for (JsonNode vh : rc.path("virtualHosts")) {
        boolean named = false;
        for (JsonNode d : vh.path("domains")) {
          named |= d.asString().equals(host) || d.asString().startsWith(host + ":");
        }
        if (!named) {
          continue;
        }
        for (JsonNode route : vh.path("routes")) {
          JsonNode action = route.path("route");
          if (action.has("cluster")) {
            names.add(action.get("cluster").asString());
          }
          for (JsonNode wc : action.path("weightedClusters").path("clusters")) {
            names.add(wc.path("name").asString());
          }
        }
      }
    }
    return names;
  }

  private static List<String> endpoints(JsonNode out, String name) {
    List<String> list = new ArrayList<>();
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
