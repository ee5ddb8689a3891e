package io.appmeshxds.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.gateway.EnvoyRouteEvaluator.Request;
import io.appmeshxds.gateway.EnvoyRouteEvaluator.Result;
import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.plan.EndpointOptions;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsTranslator;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.MetadataUtils;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cross-checks {@link EnvoyRouteEvaluator} with a real xDS client: grpc-java, fed by a minimal ADS
 * server, routes RPCs by the gateway's rendered RouteConfiguration and clusters (served verbatim;
 * only the load assignments point at two loopback gRPC backends, primary and canary, each tagging
 * its responses). For each request the evaluator's verdict and grpc-java's agree.
 *
 * <p>Each Flagger phase gets its own API listener ({@code <phase>.gateway}) over its own copy of
 * the gateway's route configuration (renamed {@code <phase>/rds_ingress_http_8088}, content
 * unchanged), so one snapshot serves both and no test waits for an update. A gRPC call is
 * {@code POST /grpc.health.v1.Health/Check}; only metadata the application sets is visible to
 * header matching, so the user agent is sent as a {@code user-agent} metadata entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayGrpcCrossCheckTest {
  static final Metadata.Key<String> BACKEND = Metadata.Key.of("x-backend-id", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
  static final String GATEWAY_RDS = "rds_ingress_http_8088";
  static final String PATH = "/grpc.health.v1.Health/Check";

  Server primary;
  Server canary;
  Server ads;
  final Map<String, RouteConfiguration> routes = new LinkedHashMap<>();
  final Map<String, String> backendOf = new LinkedHashMap<>();
  final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  final List<String> nacks = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  void start() throws IOException {
    primary = backend("primary");
    canary = backend("canary");
    backendOf.put(GatewayRoutingTest.PRIMARY, "primary");
    backendOf.put(GatewayRoutingTest.CANARY, "canary");
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> rcs = new ArrayList<>();
    List<Cluster> clusters = new ArrayList<>();
    for (String phase : List.of("ab-testing", "canary-step-weight-10")) {
      XdsResources r = gateway(phase);
      RouteConfiguration rc = (RouteConfiguration) XdsTranslator.find(r, XdsResources.Type.ROUTE, GATEWAY_RDS);
      routes.put(phase, rc);
      String name = phase + "/" + GATEWAY_RDS;
      rcs.add(rc.toBuilder().setName(name).build());
      listeners.add(apiListener(phase + ".gateway", name));
      if (clusters.isEmpty()) {
        clusters.addAll(r.protos(XdsResources.Type.CLUSTER));
      }
    }
    assertThat(clusters).extracting(Cluster::getName).containsExactlyInAnyOrderElementsOf(backendOf.keySet());
    List<ClusterLoadAssignment> clas = List.of(
        loopback(GatewayRoutingTest.PRIMARY, primary.getPort()), loopback(GatewayRoutingTest.CANARY, canary.getPort()));
    SimpleCache<String> cache = new SimpleCache<>(node -> "gateway");
    cache.setSnapshot("gateway", Snapshot.create(clusters, clas, listeners, rcs, List.of(), "1"));
    DiscoveryServerCallbacks nackLog = new DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, DiscoveryRequest r) {
        if (r.hasErrorDetail()) {
          nacks.add(r.getTypeUrl() + ": " + r.getErrorDetail().getMessage());
        }
      }

      @Override
      public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest r) {
        if (r.hasErrorDetail()) {
          nacks.add(r.getTypeUrl() + ": " + r.getErrorDetail().getMessage());
        }
      }
    };
    ads = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new V3DiscoveryServer(nackLog, cache).getAggregatedDiscoveryServiceImpl())
        .build().start();
  }

  @AfterEach
  void noNacks() {
    assertThat(nacks).as("NACKs from grpc-java").isEmpty();
  }

  @AfterAll
  void stop() throws InterruptedException {
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server s : new Server[] {ads, primary, canary}) {
      if (s != null) {
        s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void abTestingCurlGoesToTheCanaryAndOthersToThePrimary() {
    assertAgree("ab-testing", GatewayRoutingTest.CURL, 100);
    assertAgree("ab-testing", GatewayRoutingTest.FIREFOX, 50);
    assertAgree("ab-testing", GatewayRoutingTest.CHROME, 100);
    assertAgree("ab-testing", null, 50);
    assertThat(evaluate("ab-testing", GatewayRoutingTest.CURL).share(GatewayRoutingTest.CANARY)).isEqualTo(1.0);
    assertThat(evaluate("ab-testing", GatewayRoutingTest.CHROME).share(GatewayRoutingTest.PRIMARY)).isEqualTo(1.0);
  }

  @Test
  void canaryStepSplitsTenNinety() {
    Result r = evaluate("canary-step-weight-10", GatewayRoutingTest.CURL);
    assertThat(r.share(GatewayRoutingTest.CANARY)).isEqualTo(0.1);
    Map<String, Integer> tally = tally("canary-step-weight-10", GatewayRoutingTest.CURL, 1000);
    // Binomial n=1000, p=0.1: mean 100, sd 9.5; 60..140 is about ±4.2 sd.
    assertThat(tally.getOrDefault("canary", 0)).as("canary calls of 1000: %s", tally).isBetween(60, 140);
    assertThat(tally.getOrDefault("canary", 0) + tally.getOrDefault("primary", 0)).isEqualTo(1000);
  }

  /** The evaluator's verdict for a call, and where {@code n} real calls went, agree. */
  void assertAgree(String phase, String userAgent, int n) {
    Result r = evaluate(phase, userAgent);
    List<String> sure = r.clusters().stream().filter(t -> r.share(t.cluster()) == 1.0).map(t -> backendOf.get(t.cluster())).toList();
    assertThat(sure).as("%s ua=%s: the evaluator sends every call to one backend: %s", phase, userAgent, r).hasSize(1);
    assertThat(tally(phase, userAgent, n)).as("%s ua=%s", phase, userAgent).containsOnlyKeys(sure.get(0));
  }

  Result evaluate(String phase, String userAgent) {
    Request req = new Request(phase + ".gateway", "POST", PATH, Map.of("content-type", "application/grpc"));
    if (userAgent != null) {
      req = req.with("user-agent", userAgent);
    }
    return EnvoyRouteEvaluator.route(routes.get(phase), req).orElseThrow();
  }

  Map<String, Integer> tally(String phase, String userAgent, int n) {
    ManagedChannel ch = channels.computeIfAbsent(phase, p -> channel(p + ".gateway"));
    Metadata md = new Metadata();
    if (userAgent != null) {
      md.put(USER_AGENT, userAgent);
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    // Calls go out in batches of up to 100 concurrent RPCs; each call records its own response headers.
    for (int start = 0; start < n; start += 100) {
      List<AtomicReference<Metadata>> headers = new ArrayList<>();
      List<com.google.common.util.concurrent.ListenableFuture<?>> calls = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + 100); i++) {
        AtomicReference<Metadata> h = new AtomicReference<>();
        headers.add(h);
        calls.add(HealthGrpc.newFutureStub(ch)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md),
                MetadataUtils.newCaptureMetadataInterceptor(h, new AtomicReference<>()))
            .withWaitForReady()
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()));
      }
      try {
        com.google.common.util.concurrent.Futures.allAsList(calls).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("RPCs through " + phase + ".gateway failed", e);
      }
      headers.forEach(h -> out.merge(h.get().get(BACKEND), 1, Integer::sum));
    }
    return out;
  }

  ManagedChannel channel(String target) {
    NameResolverRegistry registry = new NameResolverRegistry();
    registry.register(XdsNameResolverProvider.createForTest("xds", Map.of(
        "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + ads.getPort(),
            "channel_creds", List.of(Map.of("type", "insecure")))),
        "node", Map.of("id", "gateway-cross-check", "locality", Map.of()))));
    return Grpc.newChannelBuilder("xds:///" + target, InsecureChannelCredentials.create(), registry).build();
  }

  static XdsResources gateway(String phase) {
    String text = TestManifests.resource("flagger/environment.yaml") + "---\n" + TestManifests.resource("flagger/" + phase + ".yaml");
    // Per-pod endpoints: the clusters must be EDS so that their load assignments can point at the
    // loopback backends (by default they are LOGICAL_DNS clusters on names this machine cannot
    // resolve). Routes, what this test compares, do not depend on it.
    EndpointOptions eds = EndpointOptions.perPod(List.of("*"));
    GoldenRunner runner = new GoldenRunner(Path.of("."), () -> new Planner(eds, List.of(GatewayModule.planner(eds)), List.of()),
        GatewayModule.extensions(), () -> new MeshModelBuilder(new LocalRuleCache(), List.of(), GatewayModule.checks()));
    return runner.render(phase, text).resources().get(NodeKey.gateway("appmesh", "appmesh-gateway_appmesh-gateway"));
  }

  /** A gRPC backend on 127.0.0.1 that tags every response with {@code x-backend-id: <id>}. */
  static Server backend(String id) throws IOException {
    ServerInterceptor tag = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata md) {
            md.put(BACKEND, id);
            super.sendHeaders(md);
          }
        }, h);
      }
    };
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), tag))
        .build().start();
  }

  static ClusterLoadAssignment loopback(String cluster, int port) {
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster)
        .addEndpoints(LocalityLbEndpoints.newBuilder()
            .setLocality(Locality.newBuilder().setZone("loopback"))
            .setLoadBalancingWeight(com.google.protobuf.UInt32Value.of(1))
            .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port))))))
        .build();
  }

  static Listener apiListener(String name, String routeConfig) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix(name)
        .setRds(Rds.newBuilder().setRouteConfigName(routeConfig).setConfigSource(ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3)))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(com.google.protobuf.Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(com.google.protobuf.Any.pack(hcm))).build();
  }
}
