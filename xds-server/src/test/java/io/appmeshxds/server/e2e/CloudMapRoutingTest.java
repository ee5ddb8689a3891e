package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.cloudmap.CloudMapDiscovery;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.FakeCloudMap;
import io.appmeshxds.server.testing.MutableClock;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.xds.XdsResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grpc-java proxyless xDS client routes to the instances Cloud Map returns, through the whole
 * control plane (watched manifests, the refresher calling a loopback Cloud Map with the real SDK
 * client, the reconciler, ADS), and follows them: an instance added, one removed, and a 60-second
 * Cloud Map outage (on the refresher's clock, which the test moves) during which the client keeps
 * routing and receives no new endpoints, while the node's status and the metrics show the outage.
 *
 * <p>Why two instances on one port, 127.0.0.1 and ::1: App Mesh sent a Cloud Map instance's
 * address on the VirtualNode listener's port (not the instance's AWS_INSTANCE_PORT, which the
 * controller set to the first listener's port), so instances of one node share a port and differ
 * by address; loopback offers two addresses a test may bind, one per IP family. The first instance
 * registers a wrong AWS_INSTANCE_PORT to show that it is not what the endpoint uses.
 */
class CloudMapRoutingTest {
  static final String CLIENT = "mesh/cm/virtualNode/client_apps";

  @TempDir Path dir;

  @Test
  void grpcJavaFollowsCloudMapInstancesAndRidesOutAnOutage() throws Exception {
    Backend[] pair = sharedPort();
    Backend a = pair[0];
    Backend b = pair[1];
    int port = a.port();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    try (a; b; FakeCloudMap cloudMap = new FakeCloudMap()) {
      FakeCloudMap.Service color = cloudMap.service(cloudMap.namespace("apps.local", "HTTP"), "color", false);
      cloudMap.put(color, "a", Map.of("AWS_INSTANCE_IPV4", "127.0.0.1", "AWS_INSTANCE_PORT", "1", "app", "color"));
      manifests(port);
      ControlPlane cp = new ControlPlane(Pipelines.standard(), ControlPlane.Settings.loopback(), List.of(), List.of())
          .cloudMap(cloudMap.setup(CloudMapConfig.defaults(), clock, false, "AKIDCONTROLPLANE")).start();
      try (ManifestSource source = new ManifestSource(List.of(dir), cp.store(), 50).start()) {
        CloudMapDiscovery discovery = cp.cloudMapDiscovery();
        RunningMesh.await(() -> cp.store().allSyncedExcept(CloudMapDiscovery.SOURCE), 20_000);
        assertThat(cp.reconciler().ready()).as("nothing is published before Cloud Map answered").isFalse();
        discovery.runDue();
        RunningMesh.await(() -> cp.reconciler().ready(), 20_000);

        try (XdsChannel ch = new XdsChannel(cp.xdsPort(), CLIENT, "color.apps:" + port)) {
          assertThat(ch.tally(20, Map.of())).containsExactly(Map.entry("a", 20));

          // An instance registers (IPv6 only): after the next refresh the client reaches it too.
          cloudMap.put(color, "b", Map.of("AWS_INSTANCE_IPV6", "::1", "app", "color"));
          clock.advance(Duration.ofSeconds(20));
          discovery.runDue();
          RunningMesh.await(() -> "b".equals(ch.call(Map.of(), 5_000)), 20_000);
          assertThat(ch.tally(40, Map.of()).keySet()).containsExactlyInAnyOrder("a", "b");

          // One deregisters: the client stops reaching it.
          cloudMap.remove(color, "a");
          clock.advance(Duration.ofSeconds(20));
          discovery.runDue();
          awaitStreak(ch, "b", 30);
          NodeKey key = NodeKey.proxyless("cm", "client_apps", Dialect.GRPC);
          String endpointsVersion = cp.cache().get(key).version(XdsResources.Type.ENDPOINT);
          RunningMesh.await(() -> cp.acks().ackedAt(key, XdsResources.Type.ENDPOINT.typeUrl(), endpointsVersion) != null, 10_000);

          // Cloud Map is down for 60 s: every refresh fails; nothing new reaches the client, which keeps routing.
          cloudMap.outage("DiscoverInstances", true);
          int before = cloudMap.calls("DiscoverInstances").size();
          for (int s = 0; s < 60; s++) {
            clock.advance(Duration.ofSeconds(1));
            discovery.runDue();
          }
          assertThat(cloudMap.calls("DiscoverInstances").size() - before).as("the refresh 12-18 s in, then retries 1, 2, 4, 8, 16 s later")
              .isEqualTo(6);
          ObjectRef colorRef = ObjectRef.of(Kind.VirtualNode, "apps", "color");
          RunningMesh.await(() -> message(cp, colorRef).contains("failing since"), 10_000);
          assertThat(message(cp, colorRef)).contains("Cloud Map DiscoverInstances for apps.local/color failing since 2026-12-07T10:00:")
              .contains("ServiceUnavailable").contains("serving the 1 endpoint(s) last discovered");
          assertThat(cp.status().report().objects().get(colorRef).condition().status()).isEqualTo("True");
          assertThat(cp.metrics().scrape()).contains("appmeshxds_cloudmap_questions_failing 1.0");
          // Stale since the first failed refresh, 12-18 s (the jittered interval) into the outage.
          assertThat(metric(cp, "appmeshxds_cloudmap_stale_seconds")).isBetween(42.0, 48.0);
          assertThat(cp.cache().get(key).version(XdsResources.Type.ENDPOINT)).as("no new endpoints during the outage")
              .isEqualTo(endpointsVersion);
          assertThat(ch.tally(20, Map.of())).containsExactly(Map.entry("b", 20));

          // Back: the warning goes away; the endpoints never changed.
          cloudMap.outage("DiscoverInstances", false);
          clock.advance(Duration.ofSeconds(60));
          discovery.runDue();
          RunningMesh.await(() -> !message(cp, colorRef).contains("failing since"), 10_000);
          assertThat(cp.cache().get(key).version(XdsResources.Type.ENDPOINT)).isEqualTo(endpointsVersion);
          assertThat(cp.metrics().scrape()).contains("appmeshxds_cloudmap_questions_failing 0.0");
        }
      } finally {
        cp.close();
      }
    }
  }

  private static double metric(ControlPlane cp, String name) {
    for (String line : cp.metrics().scrape().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no metric " + name);
  }

  private static String message(ControlPlane cp, ObjectRef ref) {
    ObjectStatus s = cp.status().report() == null ? null : cp.status().report().objects().get(ref);
    return s == null || s.condition() == null ? "" : s.condition().message();
  }

  private static void awaitStreak(XdsChannel ch, String backend, int n) throws InterruptedException {
    int[] streak = {0};
    RunningMesh.await(() -> {
      streak[0] = backend.equals(ch.call(Map.of(), 5_000)) ? streak[0] + 1 : 0;
      return streak[0] >= n;
    }, 20_000);
  }

  /** Two backends on one port: 127.0.0.1 (the OS picks the port) and ::1 (the same port; retried if taken). */
  private static Backend[] sharedPort() throws Exception {
    for (int attempt = 0; ; attempt++) {
      Backend a = new Backend("a");
      try {
        return new Backend[] {a, new Backend("b", "::1", a.port())};
      } catch (IOException e) {
        a.close();
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }

  private void manifests(int port) throws IOException {
    Files.writeString(dir.resolve("mesh.yaml"), """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: apps
          labels: {mesh: cm}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata:
          name: cm
        spec:
          namespaceSelector:
            matchLabels: {mesh: cm}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: color
          namespace: apps
        spec:
          podSelector:
            matchLabels: {app: color}
          listeners:
            - portMapping: {port: %d, protocol: grpc}
          serviceDiscovery:
            awsCloudMap:
              namespaceName: apps.local
              serviceName: color
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata:
          name: color
          namespace: apps
        spec:
          provider:
            virtualNode:
              virtualNodeRef: {name: color}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata:
          name: client
          namespace: apps
        spec:
          podSelector:
            matchLabels: {app: client}
          backends:
            - virtualService:
                virtualServiceRef: {name: color}
        """.formatted(port));
  }
}
