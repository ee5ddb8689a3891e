package io.appmeshxds.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.MeshModelBuilder;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A proxy affected only through backends whose new part has the old one's shape gets its plan
 * adapted (the old plan with the new virtual host, clusters and load assignments) instead of
 * planned again; every other proxy is planned again. Either way the plans equal planning from
 * scratch. Where the old plan does not hold the backend's parts as they were planned (a virtual
 * host whose domains were trimmed, a backend left out for a port conflict) it is planned again.
 */
class PlanAdaptationTest {

  /**
   * worker (namespace apps) reaches web (a router, App Mesh name "web.apps:8080"), web-legacy (App
   * Mesh name "web.apps", whose virtual host lists "web.apps:8080" and, sorting first, takes it from
   * web's virtual host for worker), and redis (tcp on 6379, left out for worker: metrics holds 6379
   * for http). tool (namespace other) reaches web with no conflict.
   *
   * <p>Why a port in a name: egress domains are exactly {@code <name>} and {@code <name>:<port>}, so
   * only such a name can make two virtual hosts claim one domain.
   */
  private static String mesh(int canaryWeight, String redisHealthCheck) {
    return String.join("---\n", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: apps, labels: {mesh: m}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: other, labels: {mesh: m}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: Mesh
        metadata: {name: m}
        spec: {namespaceSelector: {matchLabels: {mesh: m}}}
        """,
        node("web-primary", 8080, "http", ""),
        node("web-canary", 8080, "http", ""),
        """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata: {name: web, namespace: apps}
        spec:
          listeners: [{portMapping: {port: 8080, protocol: http}}]
          routes:
            - name: web
              httpRoute:
                match: {prefix: /}
                action:
                  weightedTargets:
                    - {virtualNodeRef: {name: web-primary}, weight: %d}
                    - {virtualNodeRef: {name: web-canary}, weight: %d}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: web, namespace: apps}
        spec: {awsName: "web.apps:8080", provider: {virtualRouter: {virtualRouterRef: {name: web}}}}
        """.formatted(100 - canaryWeight, canaryWeight),
        node("legacy", 8080, "http", ""),
        service("web-legacy", "awsName: web.apps, ", "legacy"),
        node("metrics", 6379, "http", ""),
        service("metrics", "", "metrics"),
        node("redis", 6379, "tcp", redisHealthCheck),
        service("redis", "", "redis"),
        """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: worker, namespace: apps}
        spec:
          backends:
            - virtualService: {virtualServiceRef: {name: metrics}}
            - virtualService: {virtualServiceRef: {name: redis}}
            - virtualService: {virtualServiceRef: {name: web}}
            - virtualService: {virtualServiceRef: {name: web-legacy}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: tool, namespace: other}
        spec:
          backends:
            - virtualService: {virtualServiceRef: {name: web, namespace: apps}}
            - virtualService: {virtualServiceRef: {name: redis, namespace: apps}}
        """);
  }

  /** A VirtualNode in apps with one listener ({@code extra}: more listener fields) and DNS discovery. */
  private static String node(String name, int port, String protocol, String extra) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: %s, namespace: apps}
        spec:
          listeners: [{portMapping: {port: %d, protocol: %s}%s}]
          serviceDiscovery: {dns: {hostname: %s.apps.svc.cluster.local}}
        """.formatted(name, port, protocol, extra, name);
  }

  /** A VirtualService in apps provided by {@code node} ({@code spec}: more spec fields, each ending ", "). */
  private static String service(String name, String spec, String node) {
    return """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: %s, namespace: apps}
        spec: {%sprovider: {virtualNode: {virtualNodeRef: {name: %s}}}}
        """.formatted(name, spec, node);
  }

  private static final String NO_HEALTH_CHECK = "";
  private static final String HEALTH_CHECK =
      ", healthCheck: {protocol: tcp, intervalMillis: 5000, timeoutMillis: 2000, healthyThreshold: 2, unhealthyThreshold: 3}";

  private final MeshModelBuilder builder = new MeshModelBuilder();
  private final PlanSession session = new PlanSession(new Planner());
  private MeshResources last;

  private PlanSession.Update apply(String yaml) {
    MeshResources now = TestManifests.resources(yaml);
    BuildResult b = builder.update(now, InputChanges.between(last, now));
    last = now;
    assertThat(b.status().objects().values()).allMatch(s -> s.accepted(), "every object accepted");
    PlanSession.Update u = session.update(b.model(), b.changes(), List.of());
    SortedMap<NodeKey, ProxyPlan> fresh = new Planner().planAll(new PlanContext(b.model()), List.of());
    Map<NodeKey, ProxyPlan> kept = new TreeMap<>();
    session.keys().forEach(k -> kept.put(k, session.plan(k)));
    assertThat(kept).isEqualTo(fresh);
    return u;
  }

  private static NodeKey sidecar(String node) {
    return NodeKey.sidecar("m", node);
  }

  @Test
  void aWeightChangeAdaptsTheClientsThatHoldTheVirtualHostAndPlansTheOneWhoseCopyWasTrimmed() {
    apply(mesh(0, NO_HEALTH_CHECK));
    ProxyPlan worker = session.plan(sidecar("worker_apps"));
    assertThat(worker.notes()).anyMatch(n -> n.contains("already served by another backend"))
        .anyMatch(n -> n.contains("redis") && n.contains("not served"));

    PlanSession.Update u = apply(mesh(10, NO_HEALTH_CHECK));
    // tool's plan holds web.apps's virtual host as planned: adapted. worker's holds a copy
    // without "web": planned again.
    assertThat(u.changed().keySet()).containsExactlyInAnyOrder(sidecar("tool_other"), sidecar("worker_apps"));
    assertThat(u.planned()).isEqualTo(2);
    assertThat(u.adapted()).isEqualTo(1);
    ProxyPlan tool = session.plan(sidecar("tool_other"));
    assertThat(tool.toString()).contains("weight=10").contains("weight=90");
  }

  @Test
  void anAdaptedPlanKeepsEveryUnchangedPartAsTheSameInstance() {
    apply(mesh(0, NO_HEALTH_CHECK));
    ProxyPlan before = session.plan(sidecar("tool_other"));
    apply(mesh(25, NO_HEALTH_CHECK));
    ProxyPlan after = session.plan(sidecar("tool_other"));
    assertThat(after).isNotEqualTo(before);
    for (int i = 0; i < before.listeners().size(); i++) {
      assertThat(after.listeners().get(i)).isSameAs(before.listeners().get(i));
    }
    for (int i = 0; i < before.clusters().size(); i++) {
      assertThat(after.clusters().get(i)).isSameAs(before.clusters().get(i));
    }
  }

  /** Under ALLOW_ALL a client's egress route configurations end with the pass-through host; adapting keeps it. */
  @Test
  void anAllowAllClientIsAdaptedAndKeepsThePassThroughHostLast() {
    String allowAll = "spec: {namespaceSelector: {matchLabels: {mesh: m}}, egressFilter: {type: ALLOW_ALL}}";
    apply(mesh(0, NO_HEALTH_CHECK).replace("spec: {namespaceSelector: {matchLabels: {mesh: m}}}", allowAll));
    PlanSession.Update u = apply(mesh(40, NO_HEALTH_CHECK).replace("spec: {namespaceSelector: {matchLabels: {mesh: m}}}",
        allowAll));
    assertThat(u.changed()).containsKey(sidecar("tool_other"));
    assertThat(u.adapted()).isEqualTo(1);
    RouteConfigPlan rc = session.plan(sidecar("tool_other")).routeConfigs().get(0);
    assertThat(rc.virtualHosts()).extracting(VirtualHostPlan::name).containsExactly("web.apps:8080", "mesh_allow_all");
    assertThat(rc.toString()).contains("weight=40").contains("weight=60");
  }

  @Test
  void aClusterChangeOfABackendLeftOutForAPortConflictPlansThatClientAgain() {
    apply(mesh(0, NO_HEALTH_CHECK));
    PlanSession.Update u = apply(mesh(0, HEALTH_CHECK));
    // The health check of redis's listener goes into its clients' clusters: tool (which reaches
    // redis) adapts to the new cluster; worker left redis out, so its plan has no cluster to
    // replace: it is planned again, and comes out unchanged.
    assertThat(u.changed().keySet()).containsExactly(sidecar("tool_other"));
    assertThat(u.adapted()).isEqualTo(1);
    assertThat(u.planned()).isGreaterThanOrEqualTo(2);
    assertThat(session.plan(sidecar("tool_other")).clusters()).anyMatch(c -> c.healthCheck() != null);
  }
}
