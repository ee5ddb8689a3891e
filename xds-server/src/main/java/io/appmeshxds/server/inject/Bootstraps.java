package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.Injection;
import io.appmeshxds.translator.xds.BootstrapFactory;
import io.appmeshxds.translator.xds.XdsJson;

/**
 * The bootstrap an injected Envoy starts from, made by {@link BootstrapFactory} (the factory
 * {@code bootstrap} prints with) and passed inline: {@code envoy --config-yaml '<json>'}.
 *
 * <p>Why inline rather than a generated ConfigMap or a file written by an init step: the pod spec is
 * then the whole truth (what {@code inject} prints for review is what runs), the webhook has no side
 * effects ({@code sideEffects: None}, dry-run safe, no per-namespace write permission, nothing to
 * garbage-collect or to race with pod creation), and no process runs per pod to produce it. Envoy
 * takes a bootstrap from {@code --config-yaml} alone ("If this flag [-c] is missing, --config-yaml
 * is required"; JSON is YAML). The compact JSON is about 3 KB, far below Linux's 128 KiB limit on
 * one argument; we refuse anything above {@link #MAX_BYTES}.
 */
final class Bootstraps {
  private Bootstraps() {}

  /** Largest inline bootstrap we put into a pod spec. */
  static final int MAX_BYTES = 64 * 1024;

  /**
   * How the injected Envoy reaches the control plane: the {@code injection.xdsTls} files ({@code
   * bootstrap --xds-tls}): the CA (required) and server name it verifies, and the pod's client
   * certificate (e.g. its SPIFFE certificate from {@code csiDriver}), which is how the control plane
   * authenticates it.
   */
  static BootstrapFactory.XdsTls xdsTls(Injection in) {
    Injection.XdsTls t = in.xdsTls();
    if (!t.enabled()) {
      return null;
    }
    return new BootstrapFactory.XdsTls(blankToNull(t.caFile()), blankToNull(t.certFile()), blankToNull(t.keyFile()),
        blankToNull(t.sni()));
  }

  /** The bootstrap JSON for a node, as Envoy reads it (before the kubelet escaping of {@link #asArgument}). */
  static String json(String nodeId, Injection in, boolean sds) {
    String addr = in.xdsAddress();
    int colon = addr.lastIndexOf(':');
    String host = addr.substring(0, colon).replaceAll("^\\[|\\]$", "");
    int port = Integer.parseInt(addr.substring(colon + 1));
    var settings = new BootstrapFactory.Settings(nodeId, host, port, in.envoy().adminPort(), xdsTls(in),
        sds ? in.envoy().sds().socketPath() : null, "127.0.0.1", in.envoy().statsPort());
    String json = new XdsJson().tree(BootstrapFactory.build(settings)).toString();
    if (json.length() > MAX_BYTES) {
      throw new IllegalStateException("bootstrap of " + nodeId + " is " + json.length() + " bytes, more than " + MAX_BYTES);
    }
    return json;
  }

  /**
   * The JSON as a container argument: the kubelet expands {@code $(VAR)} in {@code args} and turns
   * {@code $$} into {@code $}, so every {@code $} (the stats tags' regexes end in one) is doubled.
   */
  static String asArgument(String json) {
    return json.replace("$", "$$");
  }

  /** The inverse of {@link #asArgument}: what Envoy receives (the kubelet's expansion with no variables). */
  static String fromArgument(String arg) {
    return arg.replace("$$", "$");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
