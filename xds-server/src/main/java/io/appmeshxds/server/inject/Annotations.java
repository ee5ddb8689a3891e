package io.appmeshxds.server.inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod annotations App Mesh's injector honoured ({@code pkg/inject/constants.go}) and their
 * parsing, with App Mesh's error messages ({@code envoy.go}, {@code xray.go}) for malformed values.
 */
final class Annotations {
  private Annotations() {}

  static final String INJECT = "appmesh.k8s.aws/sidecarInjectorWebhook";
  static final String CPU_REQUEST = "appmesh.k8s.aws/cpuRequest";
  static final String MEMORY_REQUEST = "appmesh.k8s.aws/memoryRequest";
  static final String CPU_LIMIT = "appmesh.k8s.aws/cpuLimit";
  static final String MEMORY_LIMIT = "appmesh.k8s.aws/memoryLimit";
  static final String CNI = "appmesh.k8s.aws/appmeshCNI";
  static final String PORTS = "appmesh.k8s.aws/ports";
  static final String EGRESS_IGNORED_IPS = "appmesh.k8s.aws/egressIgnoredIPs";
  static final String EGRESS_IGNORED_PORTS = "appmesh.k8s.aws/egressIgnoredPorts";
  static final String IPV6 = "appmesh.k8s.aws/ipv6";
  static final String IGNORED_UID = "appmesh.k8s.aws/ignoredUID";
  static final String PROXY_EGRESS_PORT = "appmesh.k8s.aws/proxyEgressPort";
  static final String PROXY_INGRESS_PORT = "appmesh.k8s.aws/proxyIngressPort";
  static final String SECRET_MOUNTS = "appmesh.k8s.aws/secretMounts";
  static final String VOLUME_MOUNTS = "appmesh.k8s.aws/volumeMounts";
  static final String GATEWAY_SKIP_IMAGE_OVERRIDE = "appmesh.k8s.aws/virtualGatewaySkipImageOverride";
  static final String SDS = "appmesh.k8s.aws/sds";
  static final String SIDECAR_ENV = "appmesh.k8s.aws/sidecarEnv";
  static final String SIDECAR_ENV_JSON = "appmesh.k8s.aws/sidecarEnvJson";
  static final String XRAY_CONFIG_MOUNT = "appmesh.k8s.aws/xrayAgentConfigMount";
  /** Added by the Fargate scheduler; App Mesh took it as CNI mode ({@code proxy.go} {@code isAppMeshCNIEnabled}). */
  static final String FARGATE_PROFILE_LABEL = "eks.amazonaws.com/fargate-profile";

  /** Ours: the node id an injected pod's Envoy runs as (also how a re-invocation knows it is done). */
  static final String INJECTED = "appmesh-xds.io/proxy";
  /** Ours: why a pod in a mesh namespace was left without a proxy under {@code failurePolicy: Ignore}. */
  static final String SKIPPED = "appmesh-xds.io/injection-skipped";

  /** Longest annotation value we parse; App Mesh had no bound (the API server's is 256 KiB for all of them). */
  static final int MAX_VALUE = 8192;
  /** Most entries in a list annotation (mounts, env). */
  static final int MAX_ENTRIES = 64;

  /** A malformed annotation: the message is App Mesh's where it had one. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  static String bounded(Map<String, String> a, String key) throws Malformed {
    String v = a.get(key);
    if (v != null && v.length() > MAX_VALUE) {
      throw new Malformed("annotation " + key + " is longer than " + MAX_VALUE + " characters");
    }
    return v;
  }

  /**
   * {@code name:path,name:path} ({@code secretMounts}, {@code volumeMounts}), in the order written.
   * App Mesh: "malformed annotation %s, expected format: %s" ({@code envoy.go} {@code getSecretMounts}).
   */
  static Map<String, String> mounts(Map<String, String> a, String key, String form) throws Malformed {
    Map<String, String> out = new LinkedHashMap<>();
    String v = bounded(a, key);
    if (v == null) {
      return out;
    }
    for (String segment : v.split(",", -1)) {
      String[] pair = segment.split(":", -1);
      if (pair.length != 2 || pair[0].isBlank() || !pair[1].strip().startsWith("/")) {
        throw new Malformed("malformed annotation " + key + ", expected format: " + form);
      }
      out.put(pair[0].strip(), pair[1].strip());
      if (out.size() > MAX_ENTRIES) {
        throw new Malformed("annotation " + key + " has more than " + MAX_ENTRIES + " entries");
      }
    }
    return out;
  }

  /**
   * Custom Envoy environment: {@code sidecarEnv} ({@code K=V, K2=V2}) then {@code sidecarEnvJson}
   * ({@code [{"K":"V"}]}), later keys winning, as {@code envoy.go} merges them.
   */
  static Map<String, String> customEnv(Map<String, String> a) throws Malformed {
    Map<String, String> env = new LinkedHashMap<>();
    String plain = bounded(a, SIDECAR_ENV);
    if (plain != null) {
      for (String segment : plain.split(",", -1)) {
        String[] pair = segment.split("=", -1);
        if (pair.length != 2 || !pair[0].strip().matches("[-._a-zA-Z][-._a-zA-Z0-9]*")) {
          throw new Malformed("malformed annotation " + SIDECAR_ENV + ", expected format: EnvVariableKey=EnvVariableValue");
        }
        env.put(pair[0].strip(), pair[1].strip());
      }
    }
    String json = bounded(a, SIDECAR_ENV_JSON);
    if (json != null) {
      String form = "[{\"DD_ENV\":\"prod\",\"TEST_ENV\":\"env_val\"}]";
      List<?> items;
      try {
        items = io.appmeshxds.translator.input.Json.JSON.readValue(json, List.class);
      } catch (RuntimeException e) {
        throw new Malformed("malformed annotation " + SIDECAR_ENV_JSON + ", expected format: " + form);
      }
      for (Object item : items) {
        if (!(item instanceof Map<?, ?> m)) {
          throw new Malformed("malformed annotation " + SIDECAR_ENV_JSON + ", expected format: " + form);
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!(e.getValue() instanceof String s) || !String.valueOf(e.getKey()).matches("[-._a-zA-Z][-._a-zA-Z0-9]*")) {
            throw new Malformed("nested json isn't supported with this annotation " + SIDECAR_ENV_JSON + ", expected format: " + form);
          }
          env.put(String.valueOf(e.getKey()), s);
        }
      }
    }
    if (env.size() > MAX_ENTRIES) {
      throw new Malformed("annotations " + SIDECAR_ENV + " and " + SIDECAR_ENV_JSON + " set more than " + MAX_ENTRIES + " variables");
    }
    return env;
  }
}
