package io.appmeshxds.server.e2e;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.Await;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A control plane on loopback serving watched manifests of the podinfo mesh, real gRPC backends
 * (primary, canary, spare) and a grpc-java xDS client with the load tester's identity.
 */
final class RunningMesh implements AutoCloseable {
  final Backend primary = new Backend("primary");
  final Backend canary = new Backend("canary");
  final Backend spare = new Backend("spare");
  final MeshFiles files;
  final ControlPlane cp;
  final ManifestSource source;
  final XdsChannel apex;
  final XdsChannel canaryService;

  RunningMesh(Path dir) throws Exception {
    this(dir, ControlPlaneConfig.defaults());
  }

  /** With a config file's settings (e.g. per-pod endpoints for the mesh). */
  RunningMesh(Path dir, ControlPlaneConfig config) throws Exception {
    this(dir, config, ControlPlane.Settings.loopback());
  }

  /** With a config file's settings and the control plane's own settings (e.g. xDS limits). */
  RunningMesh(Path dir, ControlPlaneConfig config, ControlPlane.Settings settings) throws Exception {
    files = new MeshFiles(dir, backends(primary, canary));
    cp = new ControlPlane(Pipelines.standard(config), settings, List.of(), List.of()).start();
    source = new ManifestSource(List.of(dir), cp.store(), 50).start();
    await(() -> cp.reconciler().ready(), 20_000);
    apex = new XdsChannel(cp.xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898");
    canaryService = new XdsChannel(cp.xdsPort(), MeshFiles.LOADTESTER, "podinfo-canary.demo");
  }

  static Map<String, Backend> backends(Backend primary, Backend canary) {
    Map<String, Backend> m = new LinkedHashMap<>();
    m.put("podinfo-primary", primary);
    m.put("podinfo-canary", canary);
    return m;
  }

  /** Polls (bounded) until {@code condition} holds; returns the milliseconds it took. */
  static long await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
    return Await.until(condition, timeoutMillis);
  }

  /** Waits until a call through the apex service with {@code headers} reaches {@code backend}. */
  long awaitRoute(Map<String, String> headers, String backend) throws InterruptedException {
    String[] last = new String[1];
    try {
      return await(() -> backend.equals(last[0] = apex.call(headers, 5_000)), 20_000);
    } catch (AssertionError e) {
      throw new AssertionError("calls with " + headers + " never reached " + backend + " (last result: " + last[0]
          + "); served to the client: " + cp.cache().keys() + " " + routes(), e);
    }
  }

  /**
   * Waits until {@code n} calls in a row reach {@code backend}: proof that a new configuration is in
   * effect even when the previous one sent some traffic there too.
   */
  long awaitStable(Map<String, String> headers, String backend, int n) throws InterruptedException {
    long t0 = System.nanoTime();
    int[] streak = {0};
    String[] last = new String[1];
    try {
      await(() -> {
        last[0] = apex.call(headers, 5_000);
        streak[0] = backend.equals(last[0]) ? streak[0] + 1 : 0;
        return streak[0] >= n;
      }, 20_000);
    } catch (AssertionError e) {
      throw new AssertionError("calls with " + headers + " never settled on " + backend + " (last result: " + last[0]
          + "); served to the client: " + routes(), e);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** The apex service's routes as the proxyless client currently holds them (for failure messages). */
  String routes() {
    var key = io.appmeshxds.translator.plan.NodeKey.proxyless("appmesh", "flagger-loadtester_demo",
        io.appmeshxds.translator.plan.Dialect.GRPC);
    var r = cp.cache().get(key);
    if (r == null) {
      return "nothing";
    }
    return r.version(io.appmeshxds.translator.xds.XdsResources.Type.ROUTE) + " "
        + r.get(io.appmeshxds.translator.xds.XdsResources.Type.ROUTE).get(0).proto().toString().replaceAll("\\s+", " ");
  }

  String admin(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() throws Exception {
    apex.close();
    canaryService.close();
    source.close();
    cp.close();
    primary.close();
    canary.close();
    spare.close();
  }
}
