package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.config.Injection;
import io.appmeshxds.tracing.plan.TracingOverrides;
import io.appmeshxds.translator.api.MeshObject;

/**
 * The settings injection reads: the config's {@code injection} section, and what decides whether an
 * X-Ray daemon goes into a pod ({@link #xrayDaemonFor}), on the port of
 * {@code tracing.xray.daemonAddress}.
 *
 * @param injection the {@code injection} section
 * @param tracing the mesh-wide tracing provider ({@code tracing.provider}), which a VirtualNode or
 *     VirtualGateway may override for its proxy by annotation
 * @param xrayPort the daemon's UDP port
 * @param xrayRegion {@code AWS_REGION} of the daemon ({@code injection.xrayDaemon.region}, else
 *     {@code aws.region}), or "" to let the daemon find it from instance metadata
 */
public record InjectionSettings(Injection injection, ControlPlaneConfig.Provider tracing, int xrayPort, String xrayRegion) {

  public static InjectionSettings of(ControlPlaneConfig c) {
    Injection in = c.injection();
    String daemon = c.tracing().xray().daemonAddress();
    int port = Integer.parseInt(daemon.substring(daemon.lastIndexOf(':') + 1));
    String region = !in.xrayDaemon().region().isEmpty() ? in.xrayDaemon().region() : c.aws().region();
    return new InjectionSettings(in, c.tracing().provider(), port, region);
  }

  /** Every default (no config file). */
  public static InjectionSettings defaults() {
    return of(ControlPlaneConfig.defaults());
  }

  /**
   * Whether the pod of this VirtualNode or VirtualGateway gets App Mesh's {@code xray-daemon}
   * container: the config asks for it ({@code injection.xrayDaemon.enabled}) and the proxy traces to
   * X-Ray, by {@code tracing.provider} or the object's {@value TracingOverrides#PROVIDER} annotation,
   * resolved as for the proxy's listeners ({@link TracingOverrides#resolve}). Never a daemon nothing
   * sends to, nor a proxy tracing to a daemon that is not there.
   */
  public boolean xrayDaemonFor(MeshObject proxyOwner) {
    return injection.xrayDaemon().enabled()
        && TracingOverrides.resolve(proxyOwner.metadata().annotations(), tracing, 100).provider() == ControlPlaneConfig.Provider.xray;
  }
}
