package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.Injection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A VirtualGateway's pod ({@code pkg/inject/virtualgateway_envoy.go}): no interception, no new
 * container; the pod's own {@code envoy} container gets the gateway's identity in
 * {@code APPMESH_RESOURCE_ARN}/{@code APPMESH_VIRTUAL_NODE_NAME} (existing values replaced), the
 * configured image unless {@code appmesh.k8s.aws/virtualGatewaySkipImageOverride: enabled}, a
 * readiness probe only if it has none, the SDS socket; and ours: it is started on the gateway's
 * inline bootstrap ({@code command}/{@code args} replaced, since upstream Envoy does not build a
 * bootstrap from environment variables as App Mesh's image did).
 */
final class GatewayPod {
  private GatewayPod() {}

  /** Sets up the {@code envoy} container; false when the pod has none. */
  static boolean mutate(Pod pod, String nodeId, Injection in, Map<String, String> a) {
    List<Container> cs = pod.getSpec().getContainers();
    Container envoy = cs.stream().filter(c -> EnvoySidecar.NAME.equals(c.getName())).findFirst().orElse(null);
    if (envoy == null) {
      return false;
    }
    Map<String, String> env = new LinkedHashMap<>();
    EnvoySidecar.NODE_ENV.forEach(k -> env.put(k, nodeId));
    Injector.setEnv(envoy, env);
    String skip = a.getOrDefault(Annotations.GATEWAY_SKIP_IMAGE_OVERRIDE, "").toLowerCase(Locale.ROOT);
    if (!skip.equals("enabled")) {
      envoy.setImage(in.envoy().image());
    }
    boolean sds = Mounts.sds(in, a);
    envoy.setCommand(List.of("envoy"));
    envoy.setArgs(EnvoySidecar.args(Bootstraps.json(nodeId, in, sds), in));
    if (envoy.getReadinessProbe() == null) {
      envoy.setReadinessProbe(EnvoySidecar.readiness(in));
    }
    Mounts.common(pod, envoy, in, sds);
    return true;
  }
}
