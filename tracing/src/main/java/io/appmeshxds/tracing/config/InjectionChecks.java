package io.appmeshxds.tracing.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Range and form checks of the {@code injection} section; each problem names its key. */
final class InjectionChecks {
  private InjectionChecks() {}

  /** A Kubernetes resource quantity ({@code 10m}, {@code 32Mi}, {@code 0.5}, {@code 1e3}). */
  static final Pattern QUANTITY = Pattern.compile("^[+]?(\\d+(\\.\\d*)?|\\.\\d+)(([KMGTPE]i)|[mkMGTPE]|[eE][+-]?\\d+)?$");

  /** Envoy's {@code --log-level} values. */
  static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warning", "warn", "error", "critical", "off");

  /** The X-Ray daemon's {@code --log-level} values (App Mesh's {@code xray.go}). */
  static final Set<String> XRAY_LOG_LEVELS = Set.of("dev", "debug", "info", "prod", "warn", "error");

  static List<String> check(String name, Injection in) {
    List<String> p = new ArrayList<>();
    String prefix = name + ": injection.";
    if (!in.xdsAddress().matches("^([^:\\s\\[\\]]+|\\[[0-9a-fA-F:]+\\]):\\d{1,5}$") || port(in.xdsAddress()) > 65535
        || port(in.xdsAddress()) < 1) {
      p.add(prefix + "xdsAddress: must be host:port, got " + in.xdsAddress());
    }
    Injection.XdsTls tls = in.xdsTls();
    if (!tls.enabled() && !(tls.caFile() + tls.certFile() + tls.keyFile() + tls.sni() + tls.secretName() + tls.csiDriver())
        .isEmpty()) {
      p.add(prefix + "xdsTls: caFile/certFile/keyFile/sni/secretName/csiDriver need enabled: true");
    }
    if (!tls.secretName().isEmpty() && !tls.csiDriver().isEmpty()) {
      p.add(prefix + "xdsTls: secretName and csiDriver are two ways to mount the files; give one");
    }
    if (tls.enabled() && tls.caFile().isBlank()) {
      p.add(prefix + "xdsTls.caFile: enabled: true needs the CA bundle that verifies the control plane");
    }
    if (tls.certFile().isEmpty() != tls.keyFile().isEmpty()) {
      p.add(prefix + "xdsTls: certFile and keyFile go together");
    }
    if (!tls.mountPath().startsWith("/")) {
      p.add(prefix + "xdsTls.mountPath: must be an absolute path, got " + tls.mountPath());
    }
    Injection.Envoy e = in.envoy();
    if (e.image().isBlank()) {
      p.add(prefix + "envoy.image: must be an image reference");
    }
    if (!LOG_LEVELS.contains(e.logLevel())) {
      p.add(prefix + "envoy.logLevel: must be one of " + new java.util.TreeSet<>(LOG_LEVELS) + ", got " + e.logLevel());
    }
    for (Object[] kv : new Object[][] {{"envoy.adminPort", e.adminPort()}, {"envoy.statsPort", e.statsPort()}}) {
      int v = (Integer) kv[1];
      if (v < 1 || v > 65535 || v == 15000 || v == 15001) {
        p.add(prefix + kv[0] + ": must be a port other than Envoy's ingress 15000 and egress 15001, got " + v);
      }
    }
    if (e.adminPort().equals(e.statsPort())) {
      p.add(prefix + "envoy.statsPort: must differ from envoy.adminPort (" + e.adminPort() + ")");
    }
    for (String[] kv : new String[][] {{"envoy.cpuRequest", e.cpuRequest()}, {"envoy.memoryRequest", e.memoryRequest()},
        {"envoy.cpuLimit", e.cpuLimit()}, {"envoy.memoryLimit", e.memoryLimit()}}) {
      if (!kv[1].isEmpty() && !QUANTITY.matcher(kv[1]).matches()) {
        p.add(prefix + kv[0] + ": must be a Kubernetes quantity (e.g. 10m, 32Mi) or empty, got " + kv[1]);
      }
    }
    for (Object[] kv : new Object[][] {{"envoy.preStopDelaySeconds", e.preStopDelaySeconds(), 0},
        {"envoy.readinessInitialDelaySeconds", e.readinessInitialDelaySeconds(), 0},
        {"envoy.readinessPeriodSeconds", e.readinessPeriodSeconds(), 1}, {"envoy.postStartTimeoutSeconds", e.postStartTimeoutSeconds(), 1}}) {
      int v = (Integer) kv[1];
      if (v < (Integer) kv[2] || v > 3600) {
        p.add(prefix + kv[0] + ": must be between " + kv[2] + " and 3600, got " + v);
      }
    }
    if (!e.sds().socketPath().startsWith("/")) {
      p.add(prefix + "envoy.sds.socketPath: must be an absolute path, got " + e.sds().socketPath());
    }
    if (in.proxyInit().image().isBlank()) {
      p.add(prefix + "proxyInit.image: must be an image reference");
    }
    Injection.XrayDaemon x = in.xrayDaemon();
    if (!XRAY_LOG_LEVELS.contains(x.logLevel())) {
      p.add(prefix + "xrayDaemon.logLevel: must be one of " + new java.util.TreeSet<>(XRAY_LOG_LEVELS) + ", got " + x.logLevel());
    }
    if (!x.roleArn().isEmpty() && !x.roleArn().matches("^arn:aws[a-z-]*:iam::\\d{12}:role/\\S+$")) {
      p.add(prefix + "xrayDaemon.roleArn: must be an IAM role ARN, got " + x.roleArn());
    }
    if (!x.region().isEmpty() && !x.region().matches("^[a-z]{2}(-[a-z]+)+-\\d+$")) {
      p.add(prefix + "xrayDaemon.region: must be a region name such as us-west-2, got " + x.region());
    }
    Injection.Webhook w = in.webhook();
    if (!w.certificates().equals("generate") && !w.certificates().equals("files")) {
      p.add(prefix + "webhook.certificates: must be generate or files, got " + w.certificates());
    }
    if (w.validityDays() < 2 || w.renewBeforeDays() < 1 || w.renewBeforeDays() >= w.validityDays()) {
      p.add(prefix + "webhook: validityDays must be at least 2 and renewBeforeDays between 1 and validityDays - 1, got "
          + w.validityDays() + " and " + w.renewBeforeDays());
    }
    for (String[] kv : new String[][] {{"webhook.secretName", w.secretName()}, {"webhook.configurationName", w.configurationName()},
        {"webhook.serviceName", w.serviceName()}}) {
      if (!kv[1].matches("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")) {
        p.add(prefix + kv[0] + ": must be a Kubernetes object name, got " + kv[1]);
      }
    }
    return p;
  }

  private static int port(String hostPort) {
    String s = hostPort.substring(hostPort.lastIndexOf(':') + 1);
    return s.matches("\\d{1,5}") ? Integer.parseInt(s) : -1;
  }
}
