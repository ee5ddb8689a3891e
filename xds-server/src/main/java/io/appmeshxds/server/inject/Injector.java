package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.Injection;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sidecar injection: a pod, the mesh and the settings in, an {@link Outcome} out. Pure (the input
 * pod is not changed) and idempotent: a pod already carrying our {@code appmesh-xds.io/proxy}
 * annotation is left alone, and, as in App Mesh's mutators, a container that is already there by
 * name ({@code proxyinit}, {@code envoy}, {@code xray-daemon}) is not added again.
 *
 * <p>A VirtualNode's pod gets ({@code pkg/inject/inject.go} {@code injectAppMeshPatches}, in that
 * order): traffic interception ({@link ProxyInit}), the Envoy container ({@link EnvoySidecar}, first
 * when waitUntilProxyReady), the X-Ray daemon ({@link XrayDaemon}), the readiness gate
 * {@value #CLOUD_MAP_GATE} when the node is discovered through Cloud Map
 * ({@code cloudmap_healthy_readiness_gate.go}; the lease holder sets it once the pod is registered),
 * and {@code fsGroup: 1337} when the pod sets none ({@code iam_for_service_accounts.go}). A VirtualGateway's pod keeps its own
 * {@code envoy} container, which is pointed at the gateway's bootstrap ({@link GatewayPod}).
 */
public final class Injector {
  /** Most containers (and, separately, init containers) in a pod we look at. */
  static final int MAX_CONTAINERS = 100;
  /** {@code iam_for_service_accounts.go} {@code defaultIAMForSAFSGroup}. */
  static final long FS_GROUP = 1337;
  /** The condition App Mesh's controller (and our Cloud Map registrar) sets once a pod is registered in Cloud Map. */
  public static final String CLOUD_MAP_GATE = "conditions.appmesh.k8s.aws/aws-cloudmap-healthy";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final InjectionSettings settings;
  private final Injection in;

  public Injector(InjectionSettings settings) {
    this.settings = settings;
    this.in = settings.injection();
  }

  /**
   * Injects one pod.
   *
   * @param pod the pod as admitted (not changed)
   * @param namespace the namespace it is created in (an admission request's, which a pod being
   *     created may not carry itself)
   * @param view the mesh
   */
  public Outcome inject(Pod pod, String namespace, MeshView view) {
    ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    String name = meta.getName() != null ? meta.getName() : meta.getGenerateName() != null ? meta.getGenerateName() : "";
    if (annotations.containsKey(Annotations.INJECTED)) {
      return unchanged(pod, "already injected (" + Annotations.INJECTED + ": " + annotations.get(Annotations.INJECTED) + ")");
    }
    PodSpec spec = pod.getSpec();
    if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
      return failed(pod, "the pod has no containers");
    }
    if (spec.getContainers().size() > MAX_CONTAINERS || (spec.getInitContainers() != null
        && spec.getInitContainers().size() > MAX_CONTAINERS)) {
      return failed(pod, "the pod has more than " + MAX_CONTAINERS + " containers or init containers");
    }
    Designation.Verdict v = Designation.designate(namespace, name, labels, annotations, view);
    try {
      if (v instanceof Designation.Skip s) {
        return unchanged(pod, s.why());
      } else if (v instanceof Designation.Refuse r) {
        return failed(pod, r.message());
      } else if (v instanceof Designation.Node n) {
        return node(copy(pod), n.node(), view.identity(n.node()), annotations);
      }
      Designation.Gateway g = (Designation.Gateway) v;
      return gateway(copy(pod), g.gateway(), view.identity(g.gateway()), annotations);
    } catch (Annotations.Malformed e) {
      return failed(pod, e.getMessage());
    }
  }

  private Outcome node(Pod pod, VirtualNode vn, MeshView.Identity id, Map<String, String> a) throws Annotations.Malformed {
    if (id.mesh() == null) {
      return failed(pod, "no mesh selects VirtualNode " + vn.namespace() + "/" + vn.name() + " (" + id.problem() + ")");
    }
    String nodeId = "mesh/" + id.mesh() + "/virtualNode/" + id.name();
    List<String> warnings = warnings(id, "VirtualNode", vn.namespace() + "/" + vn.name());
    PodSpec spec = pod.getSpec();
    ProxyInit.Settings proxy = ProxyInit.settings(a, vn, in);
    if (ProxyInit.cniMode(pod)) {
      Map<String, String> merged = new LinkedHashMap<>(ProxyInit.cniAnnotations(proxy));
      annotations(pod).forEach(merged::putIfAbsent);
      pod.getMetadata().setAnnotations(merged);
    } else if (names(spec.getInitContainers()).stream().noneMatch(ProxyInit.NAME::equals)) {
      Injection.Envoy e = in.envoy();
      var resources = Resources.requirements(new Resources.Values(e.cpuRequest(), e.memoryRequest(), e.cpuLimit(), e.memoryLimit()));
      List<Container> init = spec.getInitContainers() == null ? new ArrayList<>() : new ArrayList<>(spec.getInitContainers());
      init.add(ProxyInit.container(proxy, in, resources));
      spec.setInitContainers(init);
    }
    Resources.Values sidecar = new Resources.Values(in.envoy().cpuRequest(), in.envoy().memoryRequest(), in.envoy().cpuLimit(),
        in.envoy().memoryLimit()).overriddenBy(a);
    if (!names(spec.getContainers()).contains(EnvoySidecar.NAME)) {
      checkPorts(vn, proxy);
      boolean sds = Mounts.sds(in, a);
      Container envoy = EnvoySidecar.container(nodeId, Bootstraps.json(nodeId, in, sds), in, Resources.requirements(sidecar),
          Annotations.customEnv(a));
      Mounts.annotated(pod, envoy, a);
      Mounts.common(pod, envoy, in, sds);
      List<Container> cs = new ArrayList<>(spec.getContainers());
      if (in.envoy().waitUntilProxyReady()) {
        cs.add(0, envoy); // the kubelet starts containers in order, each after the previous one's postStart
      } else {
        cs.add(envoy);
      }
      spec.setContainers(cs);
    } else {
      warnings.add("the pod already has a container named envoy; it was left as it is (App Mesh did the same)");
    }
    xray(pod, vn, sidecar, a);
    if (vn.spec().serviceDiscovery() != null && vn.spec().serviceDiscovery().awsCloudMap() != null) {
      List<PodReadinessGate> gates = spec.getReadinessGates() == null ? new ArrayList<>() : new ArrayList<>(spec.getReadinessGates());
      if (gates.stream().noneMatch(g -> CLOUD_MAP_GATE.equals(g.getConditionType()))) {
        gates.add(new PodReadinessGate(CLOUD_MAP_GATE));
        spec.setReadinessGates(gates);
      }
    }
    if (in.fsGroup()) {
      if (spec.getSecurityContext() == null) {
        spec.setSecurityContext(new PodSecurityContext());
      }
      if (spec.getSecurityContext().getFsGroup() == null) {
        spec.getSecurityContext().setFsGroup(FS_GROUP);
      }
    }
    annotations(pod).put(Annotations.INJECTED, nodeId);
    return new Outcome(Outcome.Result.INJECTED, pod, nodeId, null, warnings);
  }

  private Outcome gateway(Pod pod, VirtualGateway vg, MeshView.Identity id, Map<String, String> a) throws Annotations.Malformed {
    if (id.mesh() == null) {
      return failed(pod, "no mesh selects VirtualGateway " + vg.namespace() + "/" + vg.name() + " (" + id.problem() + ")");
    }
    String nodeId = "mesh/" + id.mesh() + "/virtualGateway/" + id.name();
    List<String> warnings = warnings(id, "VirtualGateway", vg.namespace() + "/" + vg.name());
    if (!GatewayPod.mutate(pod, nodeId, in, a)) {
      // virtualgateway_envoy.go: without a container named envoy there is nothing to set up.
      return new Outcome(Outcome.Result.UNCHANGED, pod, null, "VirtualGateway " + vg.namespace() + "/" + vg.name()
          + " selects this pod, but it has no container named envoy; nothing was injected", List.of(
          "VirtualGateway " + vg.namespace() + "/" + vg.name() + " selects this pod, but it has no container named envoy"));
    }
    Resources.Values sidecar = new Resources.Values(in.envoy().cpuRequest(), in.envoy().memoryRequest(), in.envoy().cpuLimit(),
        in.envoy().memoryLimit()).overriddenBy(a);
    xray(pod, vg, sidecar, a);
    annotations(pod).put(Annotations.INJECTED, nodeId);
    return new Outcome(Outcome.Result.INJECTED, pod, nodeId, null, warnings);
  }

  /** The X-Ray daemon, when the proxy of {@code owner} traces to X-Ray and the config asks for it ({@link InjectionSettings#xrayDaemonFor}). */
  private void xray(Pod pod, MeshObject owner, Resources.Values sidecar, Map<String, String> a)
      throws Annotations.Malformed {
    if (settings.xrayDaemonFor(owner) && !names(pod.getSpec().getContainers()).contains(XrayDaemon.NAME)) {
      List<Container> cs = new ArrayList<>(pod.getSpec().getContainers());
      cs.add(XrayDaemon.container(in, settings.xrayPort(), settings.xrayRegion(), Resources.requirements(sidecar), a));
      pod.getSpec().setContainers(cs);
    }
  }

  /** Envoy binds the app ports' redirect targets and its own; an app port on the stats or admin port cannot work. */
  private void checkPorts(VirtualNode vn, ProxyInit.Settings proxy) throws Annotations.Malformed {
    for (String p : proxy.appPorts().split(",")) {
      String port = p.strip();
      if (port.equals(String.valueOf(in.envoy().statsPort())) || port.equals(String.valueOf(in.envoy().adminPort()))
          || port.equals("15000") || port.equals("15001")) {
        throw new Annotations.Malformed("application port " + port + " of VirtualNode " + vn.namespace() + "/" + vn.name()
            + " is one of Envoy's own ports (stats " + in.envoy().statsPort() + ", admin " + in.envoy().adminPort()
            + ", 15000, 15001)");
      }
    }
  }

  private static List<String> warnings(MeshView.Identity id, String kind, String ref) {
    List<String> w = new ArrayList<>();
    if (!id.served()) {
      w.add(kind + " " + ref + " is not served yet (" + id.problem() + "): this pod's Envoy gets no configuration until it is");
    }
    return w;
  }

  private Outcome unchanged(Pod pod, String why) {
    return new Outcome(Outcome.Result.UNCHANGED, pod, null, why, List.of());
  }

  /**
   * A pod that should have been injected and cannot be: refused under {@code Fail} (App Mesh's
   * behaviour), admitted without a proxy under {@code Ignore}, annotated with the reason.
   */
  Outcome failed(Pod pod, String message) {
    if (in.failurePolicy() == Injection.FailurePolicy.Fail) {
      return new Outcome(Outcome.Result.REFUSED, null, null, message, List.of());
    }
    Pod out = copy(pod);
    if (out.getMetadata() == null) {
      out.setMetadata(new ObjectMeta());
    }
    annotations(out).put(Annotations.SKIPPED, message);
    return new Outcome(Outcome.Result.UNCHANGED, out, null, message,
        List.of("created without an Envoy sidecar (injection.failurePolicy: Ignore): " + message));
  }

  static Map<String, String> annotations(Pod pod) {
    if (pod.getMetadata().getAnnotations() == null) {
      pod.getMetadata().setAnnotations(new HashMap<>());
    }
    return pod.getMetadata().getAnnotations();
  }

  static List<String> names(List<Container> cs) {
    return cs == null ? List.of() : cs.stream().map(Container::getName).toList();
  }

  static Pod copy(Pod pod) {
    return SERIALIZATION.clone(pod);
  }

  /** Sets (or replaces by name) environment variables of a container, keeping their order. */
  static void setEnv(Container c, Map<String, String> values) {
    List<EnvVar> env = c.getEnv() == null ? new ArrayList<>() : new ArrayList<>(c.getEnv());
    Map<String, String> rest = new LinkedHashMap<>(values);
    for (int i = 0; i < env.size(); i++) {
      String v = rest.remove(env.get(i).getName());
      if (v != null) {
        env.set(i, new EnvVar(env.get(i).getName(), v, null));
      }
    }
    rest.forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    c.setEnv(env);
  }
}
