package io.appmeshxds.server.testing;

import io.appmeshxds.server.source.kubernetes.AppMeshKinds;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock Kubernetes API in CRUD mode on 127.0.0.1, with our App Mesh CRDs registered (so the
 * status subresource behaves like a real API server's: spec updates keep status, status writes keep
 * spec, stale resourceVersions get 409), a {@link TcpProxy} in front for the clients under test, and
 * an unproxied admin client for the test itself.
 */
public final class MockApi implements AutoCloseable {
  /** The mock server logs every request at INFO through java.util.logging; kept as a strong reference. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  static final Path CRDS = Path.of("..", "deploy", "crds");

  private final KubernetesMockServer server;
  private final TcpProxy proxy;
  private final KubernetesClient admin;

  public MockApi() throws IOException {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    admin = client(server.getPort());
    proxy = new TcpProxy(server.getPort());
    // The CRDs we ship (deploy/crds), so the mock treats status as a subresource exactly as
    // they declare it.
    try (var files = Files.list(CRDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        admin.apiextensions().v1().customResourceDefinitions()
            .resource(admin.getKubernetesSerialization().unmarshal(Files.readString(f, StandardCharsets.UTF_8),
                CustomResourceDefinition.class))
            .create();
      }
    }
    for (Kind k : Kind.values()) {
      if (admin.apiextensions().v1().customResourceDefinitions().withName(k.plural() + "." + Kind.GROUP).get() == null) {
        throw new IllegalStateException("no CRD for " + k + " in " + CRDS);
      }
    }
  }

  /** A client of the mock API through the proxy (what the control plane under test uses). */
  public KubernetesClient newClient() {
    return client(proxy.port());
  }

  public KubernetesClient admin() {
    return admin;
  }

  public TcpProxy proxy() {
    return proxy;
  }

  private static KubernetesClient client(int port) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl("http://127.0.0.1:" + port)
        .withNamespace("default")
        .withHttp2Disable(true)
        .withWatchReconnectInterval(200)
        .withRequestRetryBackoffInterval(100)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Creates (or updates) every object of every manifest file in a directory, in file-name order. */
  public void applyDir(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        apply(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
  }

  /** Creates or updates every document of a multi-document YAML text. */
  public void apply(String yaml) {
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      HasMetadata o = admin.getKubernetesSerialization().unmarshal(doc);
      Kind k = Kind.byName(o.getKind());
      if (o.getApiVersion() != null && o.getApiVersion().startsWith(Kind.GROUP) && k != null) {
        var op = admin.genericKubernetesResources(AppMeshKinds.context(k));
        GenericKubernetesResource g = (GenericKubernetesResource) o;
        if (k.namespaced()) {
          op.inNamespace(o.getMetadata().getNamespace()).resource(g).createOr(NonDeletingOperation::update);
        } else {
          op.resource(g).createOr(NonDeletingOperation::update);
        }
      } else {
        admin.resource(o).createOr(NonDeletingOperation::update);
      }
    }
  }

  /** The current object, or null. */
  public GenericKubernetesResource get(Kind k, String namespace, String name) {
    var op = admin.genericKubernetesResources(AppMeshKinds.context(k));
    return k.namespaced() ? op.inNamespace(namespace).withName(name).get() : op.withName(name).get();
  }

  /**
   * Replaces the apex router's {@code spec.routes} the way Flagger does: read, change, Update (PUT
   * with the read resourceVersion).
   */
  public void routes(String namespace, String router, String routesYaml) {
    var op = admin.genericKubernetesResources(AppMeshKinds.context(Kind.VirtualRouter)).inNamespace(namespace);
    // As Flagger does (retry on conflict): the control plane's leader may write the router's status
    // between our read and our write, and the update is then refused with 409 for a stale version.
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource r = op.withName(router).get();
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
      spec.put("routes", Json.YAML.readValue(routesYaml, List.class));
      try {
        op.resource(r).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** The Ready-type condition in an object's status, or null. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> condition(GenericKubernetesResource r, String type) {
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return null;
    }
    if (!(status.get("conditions") instanceof List<?> cs)) {
      return null;
    }
    for (Object c : cs) {
      if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
        return (Map<String, Object>) m;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    admin.close();
    proxy.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // fabric8's MockWebServer waits at most 10 s for its Vert.x server to close and throws when
      // that wait runs out, which happened on a loaded machine after a test's assertions had all
      // passed. Our clients' connections all go through the proxy, closed above, so a slow close
      // of the mock itself says nothing about the code under test: report it, do not fail on it.
      if (!"Unable to close MockWebServer".equals(e.getMessage())) {
        throw e;
      }
      System.err.println("MockApi: the mock API server did not finish closing within 10 s: " + e.getCause());
    }
  }
}
