package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.Injection;
import io.appmeshxds.translator.api.VirtualNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Traffic interception for a VirtualNode's pod, as App Mesh set it up ({@code pkg/inject/proxy.go},
 * {@code init_proxy.go}, {@code cni_proxy.go}): App Mesh's route manager as the {@code proxyinit}
 * init container, or, in CNI mode (annotation {@code appmesh.k8s.aws/appmeshCNI: enabled}, or a
 * Fargate pod), the same settings as pod annotations for the CNI plugin to read.
 */
final class ProxyInit {
  private ProxyInit() {}

  /** {@code init_proxy.go} {@code proxyInitContainerName}. */
  static final String NAME = "proxyinit";
  /** {@code proxy.go}: {@code defaultProxyIngressPort}, {@code defaultProxyEgressPort}, {@code defaultEgressIgnoredPorts}. */
  static final int INGRESS_PORT = 15000;
  static final int EGRESS_PORT = 15001;
  static final String EGRESS_IGNORED_PORTS = "22";

  /**
   * The interception settings of a pod ({@code buildProxyConfig}).
   *
   * @param appPorts annotation {@code appmesh.k8s.aws/ports}, else the VirtualNode's listener ports
   *     comma-joined, "" when it has none ({@code getAppPorts})
   * @param egressIgnoredIps annotation {@code egressIgnoredIPs}, else the configured default
   * @param egressIgnoredPorts annotation {@code egressIgnoredPorts}, else {@code 22}
   * @param ipv6 0 when the annotation {@code appmesh.k8s.aws/ipv6} is {@code disabled}, else 1
   */
  record Settings(String appPorts, String egressIgnoredIps, String egressIgnoredPorts, int ipv6) {}

  static Settings settings(Map<String, String> a, VirtualNode vn, Injection in) throws Annotations.Malformed {
    String ports = Annotations.bounded(a, Annotations.PORTS);
    if (ports == null) {
      List<String> ps = new ArrayList<>();
      vn.spec().listeners().forEach(l -> ps.add(String.valueOf(l.portMapping().port())));
      ports = String.join(",", ps);
    }
    String ips = Annotations.bounded(a, Annotations.EGRESS_IGNORED_IPS);
    String egressPorts = Annotations.bounded(a, Annotations.EGRESS_IGNORED_PORTS);
    return new Settings(ports, ips == null ? in.proxyInit().egressIgnoredIPs() : ips,
        egressPorts == null ? EGRESS_IGNORED_PORTS : egressPorts, "disabled".equals(a.get(Annotations.IPV6)) ? 0 : 1);
  }

  /** {@code isAppMeshCNIEnabled}: the annotation decides when present, else a Fargate profile label. */
  static boolean cniMode(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    if (a != null && a.containsKey(Annotations.CNI)) {
      return a.get(Annotations.CNI).toLowerCase(Locale.ROOT).equals("enabled");
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && labels.get(Annotations.FARGATE_PROFILE_LABEL) != null
        && !labels.get(Annotations.FARGATE_PROFILE_LABEL).isEmpty();
  }

  /** {@code proxyInitContainerTemplate}: image, {@code NET_ADMIN}, and the eight variables in App Mesh's order. */
  static Container container(Settings s, Injection in, ResourceRequirements resources) {
    return new ContainerBuilder()
        .withName(NAME)
        .withImage(in.proxyInit().image())
        .withNewSecurityContext().withNewCapabilities().withAdd("NET_ADMIN").endCapabilities().endSecurityContext()
        .withEnv(
            new EnvVar("APPMESH_START_ENABLED", "1", null),
            new EnvVar("APPMESH_IGNORE_UID", String.valueOf(EnvoySidecar.UID), null),
            new EnvVar("APPMESH_ENVOY_INGRESS_PORT", String.valueOf(INGRESS_PORT), null),
            new EnvVar("APPMESH_ENVOY_EGRESS_PORT", String.valueOf(EGRESS_PORT), null),
            new EnvVar("APPMESH_APP_PORTS", s.appPorts(), null),
            new EnvVar("APPMESH_EGRESS_IGNORED_IP", s.egressIgnoredIps(), null),
            new EnvVar("APPMESH_EGRESS_IGNORED_PORTS", s.egressIgnoredPorts(), null),
            new EnvVar("APPMESH_ENABLE_IPV6", String.valueOf(s.ipv6()), null))
        .withResources(resources)
        .build();
  }

  /**
   * CNI mode ({@code cni_proxy.go}): the settings as annotations, which win over the pod's own
   * ({@code algorithm.MergeStringMap} keeps the first map's value), plus
   * {@code sidecarInjectorWebhook: enabled}.
   */
  static Map<String, String> cniAnnotations(Settings s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Annotations.PORTS, s.appPorts());
    m.put(Annotations.EGRESS_IGNORED_IPS, s.egressIgnoredIps());
    m.put(Annotations.EGRESS_IGNORED_PORTS, s.egressIgnoredPorts());
    m.put(Annotations.PROXY_EGRESS_PORT, String.valueOf(EGRESS_PORT));
    m.put(Annotations.PROXY_INGRESS_PORT, String.valueOf(INGRESS_PORT));
    m.put(Annotations.IGNORED_UID, String.valueOf(EnvoySidecar.UID));
    m.put(Annotations.INJECT, "enabled");
    return m;
  }
}
