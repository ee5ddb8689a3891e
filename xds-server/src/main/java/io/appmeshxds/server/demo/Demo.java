package io.appmeshxds.server.demo;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ClasspathSource;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Serves the example mesh from a scratch copy whose EndpointSlices point at two loopback gRPC
 * backends (podinfo primary and canary), connects a proxyless gRPC client with the load tester's
 * identity, and walks a canary the way Flagger does by rewriting the router file: weights 0, 10,
 * 50, 100, then an A/B phase on the user-agent. After each step: where the requests went and how
 * long the change took from the file write to the client's ACK of the new routes.
 */
public final class Demo {
  static final String LOADTESTER = "mesh/appmesh/virtualNode/flagger-loadtester_demo";
  static final int N = 200;

  private final PrintWriter out;

  public Demo(PrintWriter out) {
    this.out = out;
  }

  /** A step: label, the apex router's routes, and whether to compare user agents. */
  record Step(String label, String weights, String routes, boolean ab) {}

  public int run() throws Exception {
    Path dir = Files.createTempDirectory("appmesh-xds-demo");
    try (DemoBackend primary = new DemoBackend("primary");
        DemoBackend canary = new DemoBackend("canary")) {
      copyExample(dir, primary.port(), canary.port());
      ControlPlane cp = new ControlPlane(Pipelines.standard(), ControlPlane.Settings.loopback(), List.of(), List.of()).start();
      try (ManifestSource source = new ManifestSource(List.of(dir), cp.store(), 30).start()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cp.reconciler().ready() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        out.println("appmesh-xds demo: control plane on 127.0.0.1:" + cp.xdsPort() + " serving " + dir);
        out.println("  backends: podinfo-primary 127.0.0.1:" + primary.port() + ", podinfo-canary 127.0.0.1:" + canary.port());
        out.println("  client:   grpc-java proxyless xDS, node " + LOADTESTER + ", target xds:///podinfo.demo:9898");
        out.println();
        ManagedChannel ch = channel(cp.xdsPort());
        try {
          call(ch, Map.of(), 20_000); // first call: xDS bootstrap and subscriptions
          out.printf("%-26s %-36s %8s %8s %8s  %s%n", "step", "apex router (canary/primary)", "requests", "primary",
              "canary", "change reached the client");
          for (Step s : steps()) {
            long ms = apply(cp, dir, s.routes());
            if (!s.ab()) {
              Map<String, Integer> t = tally(ch, Map.of());
              out.printf("%-26s %-36s %8d %8d %8d  %s%n", s.label(), s.weights(), N, t.getOrDefault("primary", 0),
                  t.getOrDefault("canary", 0), ms < 0 ? "(no change)" : ms + " ms (file write → ACK)");
            } else {
              Map<String, Integer> curl = tally(ch, Map.of("user-agent", "curl/8.5.0"));
              Map<String, Integer> chrome = tally(ch, Map.of("user-agent", "Mozilla/5.0 Chrome/120.0"));
              out.printf("%-26s %-36s %8d %8d %8d  %s%n", s.label() + " [curl]", s.weights(), N,
                  curl.getOrDefault("primary", 0), curl.getOrDefault("canary", 0),
                  ms < 0 ? "(no change)" : ms + " ms (file write → ACK)");
              out.printf("%-26s %-36s %8d %8d %8d%n", s.label() + " [Chrome]", "", N, chrome.getOrDefault("primary", 0),
                  chrome.getOrDefault("canary", 0));
            }
            out.flush();
          }
        } finally {
          ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        out.println();
        out.println("Every request came from a real gRPC client routed only by what this control plane served over xDS.");
        out.flush();
      } finally {
        cp.close();
      }
    } finally {
      deleteTree(dir);
    }
    return 0;
  }

  static List<Step> steps() {
    return List.of(
        new Step("initialized", "0 / 100", weights(0), false),
        new Step("canary step 10%", "10 / 90", weights(10), false),
        new Step("canary step 50%", "50 / 50", weights(50), false),
        new Step("canary 100% (promoting)", "100 / 0", weights(100), false),
        new Step("promoted", "0 / 100", weights(0), false),
        new Step("A/B test running", "a: curl|Firefox→canary; b: primary", abTest(100), true),
        new Step("A/B promoted", "a: primary; b: primary", abTest(0), true));
  }

  static String weights(int c) {
    return """
          - name: podinfo
            httpRoute:
              match:
                prefix: /
              action:
                weightedTargets:
                  - virtualNodeRef:
                      name: podinfo-canary
                    weight: %d
                  - virtualNodeRef:
                      name: podinfo-primary
                    weight: %d
        """.formatted(c, 100 - c);
  }

  static String abTest(int c) {
    return """
          - name: podinfo-a
            priority: 10
            httpRoute:
              match:
                prefix: /
                headers:
                  - name: user-agent
                    match:
                      regex: ".*(Firefox|curl).*"
              action:
                weightedTargets:
                  - virtualNodeRef:
                      name: podinfo-canary
                    weight: %d
                  - virtualNodeRef:
                      name: podinfo-primary
                    weight: %d
          - name: podinfo-b
            priority: 20
            httpRoute:
              match:
                prefix: /
              action:
                weightedTargets:
                  - virtualNodeRef:
                      name: podinfo-primary
                    weight: 100
        """.formatted(c, 100 - c);
  }

  /** Writes the router; returns ms from the write to the client's ACK of the new routes, or -1 if nothing changed. */
  private long apply(ControlPlane cp, Path dir, String routes) throws Exception {
    NodeKey key = NodeKey.proxyless("appmesh", "flagger-loadtester_demo", Dialect.GRPC);
    XdsResources before = cp.cache().get(key);
    String oldVersion = before == null ? "" : before.version(XdsResources.Type.ROUTE);
    long t0 = System.nanoTime();
    writeRouter(dir, routes);
    long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      XdsResources now = cp.cache().get(key);
      String v = now == null ? "" : now.version(XdsResources.Type.ROUTE);
      if (!v.equals(oldVersion)) {
        Long acked = cp.acks().ackedAt(key, XdsResources.Type.ROUTE.typeUrl(), v);
        if (acked != null && acked > t0) {
          Thread.sleep(100); // the channel applies new routes just after it ACKs them
          return TimeUnit.NANOSECONDS.toMillis(acked - t0);
        }
      }
      Thread.sleep(2);
    }
    return -1;
  }

  private static void writeRouter(Path dir, String routes) throws IOException {
    String router = """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata:
          name: podinfo
          namespace: demo
        spec:
          listeners:
            - portMapping:
                port: 9898
                protocol: http
          routes:
        """ + routes;
    Path tmp = dir.resolve(".router.tmp");
    Files.writeString(tmp, router, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("router.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The bundled example, with the apex router in its own file and loopback endpoints for podinfo. */
  private static void copyExample(Path dir, int primaryPort, int canaryPort) throws IOException {
    for (String name : ClasspathSource.EXAMPLE) {
      try (InputStream in = Demo.class.getResourceAsStream("/examples/podinfo/" + name)) {
        if (in == null) {
          throw new IOException("bundled example file missing from the jar: " + name);
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (name.equals("podinfo.yaml")) {
          text = withoutApexRouter(text);
        }
        if (name.equals("endpointslices.yaml")) {
          text = slices(primaryPort, canaryPort);
        }
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
      }
    }
    writeRouter(dir, weights(0));
  }

  static String withoutApexRouter(String text) {
    List<String> keep = new ArrayList<>();
    for (String doc : text.split("(?m)^---\\s*$")) {
      boolean apex = doc.contains("kind: VirtualRouter") && doc.matches("(?s).*\\n  name: podinfo\\n.*");
      if (!apex && !doc.isBlank()) {
        keep.add(doc);
      }
    }
    return String.join("---\n", keep);
  }

  static String slices(int primary, int canary) {
    StringBuilder sb = new StringBuilder();
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("podinfo-primary", primary);
    ports.put("podinfo", primary);
    ports.put("podinfo-canary", canary);
    ports.forEach((svc, port) -> sb.append("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s-demo
          namespace: demo
          labels:
            kubernetes.io/service-name: %s
        addressType: IPv4
        endpoints:
          - addresses: [127.0.0.1]
            conditions: {ready: true}
        ports:
          - name: grpc
            port: %d
            protocol: TCP
        ---
        """.formatted(svc, svc, port)));
    return sb.toString();
  }

  static ManagedChannel channel(int xdsPort) {
    Map<String, Object> bootstrap = Map.of(
        "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + xdsPort, "channel_creds", List.of(Map.of("type", "insecure")),
            "server_features", List.of("xds_v3"))),
        "node", Map.of("id", LOADTESTER, "locality", Map.of()));
    NameResolverRegistry registry = new NameResolverRegistry();
    registry.register(XdsNameResolverProvider.createForTest("xds", bootstrap));
    return Grpc.newChannelBuilder("xds:///podinfo.demo:9898", InsecureChannelCredentials.create(), registry).build();
  }

  static String call(ManagedChannel ch, Map<String, String> headers, long deadlineMs) {
    Metadata md = new Metadata();
    headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    AtomicReference<Metadata> h = new AtomicReference<>();
    AtomicReference<Metadata> t = new AtomicReference<>();
    try {
      HealthGrpc.newBlockingStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md), MetadataUtils.newCaptureMetadataInterceptor(h, t))
          .withWaitForReady()
          .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return h.get() == null ? "?" : h.get().get(DemoBackend.ID);
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  static Map<String, Integer> tally(ManagedChannel ch, Map<String, String> headers) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < N; i++) {
      out.merge(call(ch, headers, 5_000), 1, Integer::sum);
    }
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
