package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.config.Injection;

/**
 * The settings injection reads: the config's {@code injection} section, and whether an X-Ray daemon
 * goes into pods ({@code injection.xrayDaemon.enabled} with {@code tracing.provider: xray}, on the
 * port of {@code tracing.xray.daemonAddress}).
 *
 * @param injection the {@code injection} section
 * @param xrayDaemon add App Mesh's {@code xray-daemon} container
 * @param xrayPort the daemon's UDP port
 * @param xrayRegion {@code AWS_REGION} of the daemon ({@code injection.xrayDaemon.region}, else
 *     {@code aws.region}), or "" to let the daemon find it from instance metadata
 */
public record InjectionSettings(Injection injection, boolean xrayDaemon, int xrayPort, String xrayRegion) {

  public static InjectionSettings of(ControlPlaneConfig c) {
    Injection in = c.injection();
    String daemon = c.tracing().xray().daemonAddress();
    int port = Integer.parseInt(daemon.substring(daemon.lastIndexOf(':') + 1));
    String region = !in.xrayDaemon().region().isEmpty() ? in.xrayDaemon().region() : c.aws().region();
    return new InjectionSettings(in, in.xrayDaemon().enabled() && c.tracing().provider() == ControlPlaneConfig.Provider.xray,
        port, region);
  }

  /** Every default (no config file). */
  public static InjectionSettings defaults() {
    return of(ControlPlaneConfig.defaults());
  }
}
