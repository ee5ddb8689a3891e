package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.Injection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code envoy} container of a VirtualNode's pod: upstream Envoy on the inline bootstrap, with
 * App Mesh's name, UID, port name and probe timings ({@code pkg/inject/sidecar_builder.go}
 * {@code buildEnvoySidecar}, {@code envoyReadinessProbe}; {@code envoy.go}).
 *
 * <p>Where we differ, and why: the readiness probe is an {@code httpGet} of {@code /ready} on the
 * stats port (App Mesh ran {@code curl … /server_info | grep LIVE}; upstream Envoy images have no
 * curl, and {@code /ready} is 200 exactly when the state is LIVE); the hooks use bash's
 * {@code /dev/tcp} for the same reason.
 */
final class EnvoySidecar {
  private EnvoySidecar() {}

  /** {@code envoy.go} {@code envoyContainerName}. */
  static final String NAME = "envoy";
  /** {@code proxy.go} {@code defaultProxyUID}; {@code buildEnvoySidecar} {@code RunAsUser}. */
  static final long UID = 1337;
  /** {@code buildEnvoySidecar}: the admin port's container port is named {@code stats}. */
  static final String STATS_PORT_NAME = "stats";
  /** {@code updateEnvMapForEnvoy}: both hold {@code mesh/<mesh>/virtualNode|virtualGateway/<name>}. */
  static final List<String> NODE_ENV = List.of("APPMESH_RESOURCE_ARN", "APPMESH_VIRTUAL_NODE_NAME");

  static Container container(String nodeId, String bootstrapJson, Injection in, ResourceRequirements resources,
      Map<String, String> customEnv) {
    Injection.Envoy e = in.envoy();
    List<EnvVar> env = new ArrayList<>();
    // Controller-managed keys win over the annotations' (updateEnvMapForEnvoy's comment).
    customEnv.forEach((k, v) -> {
      if (!NODE_ENV.contains(k)) {
        env.add(new EnvVar(k, v, null));
      }
    });
    for (String k : NODE_ENV) {
      env.add(new EnvVar(k, nodeId, null));
    }
    ContainerBuilder b = new ContainerBuilder()
        .withName(NAME)
        .withImage(e.image())
        .withCommand("envoy")
        .withArgs(args(bootstrapJson, in))
        .withNewSecurityContext().withRunAsUser(UID).endSecurityContext()
        .addNewPort().withName(STATS_PORT_NAME).withContainerPort(e.statsPort()).withProtocol("TCP").endPort()
        .withEnv(env)
        .withResources(resources)
        .withReadinessProbe(readiness(in))
        .withNewLifecycle().withPreStop(preStop(in)).withPostStart(e.waitUntilProxyReady() ? postStart(in) : null).endLifecycle();
    return b.build();
  }

  static List<String> args(String bootstrapJson, Injection in) {
    List<String> args = new ArrayList<>(List.of("--config-yaml", Bootstraps.asArgument(bootstrapJson), "--log-level",
        in.envoy().logLevel()));
    if (in.envoy().preStopDelaySeconds() > 0) {
      // The graceful drain the preStop hook starts lasts as long as the hook waits.
      args.addAll(List.of("--drain-time-s", String.valueOf(in.envoy().preStopDelaySeconds())));
    }
    return args;
  }

  /**
   * {@code envoyReadinessProbe}: initial delay and period from the config (App Mesh's
   * {@code --readiness-probe-initial-delay} 1, {@code --readiness-probe-period} 10), timeout 1,
   * success 1, failure 3.
   */
  static Probe readiness(Injection in) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath("/ready").withPort(new IntOrString(in.envoy().statsPort())).endHttpGet()
        .withInitialDelaySeconds(in.envoy().readinessInitialDelaySeconds())
        .withPeriodSeconds(in.envoy().readinessPeriodSeconds())
        .withTimeoutSeconds(1)
        .withSuccessThreshold(1)
        .withFailureThreshold(3)
        .build();
  }

  /** One HTTP/1.1 request to the loopback admin interface; true when it answers 200 (bash, no curl). */
  private static String adminRequest(int adminPort, String method, String path) {
    return "(exec 3<>/dev/tcp/127.0.0.1/" + adminPort + " && printf '" + method + " " + path
        + " HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\nContent-Length: 0\\r\\n\\r\\n' >&3"
        + " && read -r _ code _ <&3 && [ \"$code\" = 200 ]) 2>/dev/null";
  }

  /**
   * Drain on stop: App Mesh's {@code preStop} slept {@code --prestop-delay} (20) seconds so the app
   * could finish with Envoy still in place; we first start a graceful drain of the inbound listeners
   * (callers get {@code Connection: close}/GOAWAY and move to other pods) and then sleep as long.
   */
  static LifecycleHandler preStop(Injection in) {
    String script = adminRequest(in.envoy().adminPort(), "POST", "/drain_listeners?graceful&inboundonly")
        + "; sleep " + in.envoy().preStopDelaySeconds();
    return new LifecycleHandlerBuilder().withNewExec().withCommand("bash", "-c", script).endExec().build();
  }

  /**
   * waitUntilProxyReady: App Mesh's {@code postStart} ran its agent's {@code -envoyReadiness} with
   * {@code APPNET_AGENT_POLL_ENVOY_READINESS_TIMEOUT_S} 180; the kubelet starts the next container
   * only after the hook returns, and Envoy is first in the list. Ours polls {@code /ready} once a
   * second until it is 200 (LIVE: with {@code initial_fetch_timeout: 0s} that is once Envoy holds its
   * listeners and clusters) or the timeout passes; a failed hook restarts the container.
   */
  static LifecycleHandler postStart(Injection in) {
    int timeout = in.envoy().postStartTimeoutSeconds();
    String script = "for ((i = 0; i < " + timeout + "; i++)); do " + adminRequest(in.envoy().adminPort(), "GET", "/ready")
        + " && exit 0; sleep 1; done; echo \"envoy did not become ready within " + timeout + " s\" >&2; exit 1";
    return new LifecycleHandlerBuilder().withNewExec().withCommand("bash", "-c", script).endExec().build();
  }
}
