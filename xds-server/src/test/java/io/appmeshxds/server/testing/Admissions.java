package io.appmeshxds.server.testing;

import com.google.protobuf.util.JsonFormat;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.inject.MeshView;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.xds.XdsJson;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** AdmissionReviews as the API server sends them, their patches applied as it applies them, and what a kubelet hands Envoy. */
public final class Admissions {
  private Admissions() {}

  public static final JsonMapper JSON = JsonMapper.builder().build();
  public static final Path EXAMPLE = Path.of("..", "deploy", "examples", "podinfo");

  /** The mesh of some manifests, built as the control plane builds it. */
  public static MeshView view(ControlPlaneConfig config, List<Path> manifests) {
    return MeshView.of(Pipelines.standard(config).modelBuilder().build(MeshResources.of(ManifestFiles.load(manifests))));
  }

  /** An AdmissionReview v1 for a pod CREATE. */
  public static String review(String uid, String namespace, JsonNode pod) {
    ObjectNode r = JSON.createObjectNode();
    r.put("apiVersion", "admission.k8s.io/v1");
    r.put("kind", "AdmissionReview");
    ObjectNode q = r.putObject("request");
    q.put("uid", uid);
    q.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    q.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    q.putObject("requestKind").put("group", "").put("version", "v1").put("kind", "Pod");
    q.put("namespace", namespace);
    q.put("operation", "CREATE");
    q.putObject("userInfo").put("username", "system:serviceaccount:kube-system:replicaset-controller");
    q.set("object", pod);
    q.putNull("oldObject");
    q.put("dryRun", false);
    return r.toString();
  }

  /** The response's JSON patch (checked to be base64 JSONPatch) applied to the pod, or the pod itself without a patch. */
  public static JsonNode patched(JsonNode pod, JsonNode response) {
    if (!response.has("patch")) {
      return pod;
    }
    if (!"JSONPatch".equals(response.path("patchType").asString(""))) {
      throw new AssertionError("patchType is not JSONPatch: " + response);
    }
    JsonNode patch = JSON.readTree(new String(Base64.getDecoder().decode(response.path("patch").asString()), StandardCharsets.UTF_8));
    return JsonPatch.apply(patch, pod);
  }

  /**
   * What a kubelet passes for a container argument: {@code $(VAR)} of a defined variable replaced,
   * {@code $$} turned into {@code $}, anything else as written (Kubernetes' expansion rules).
   */
  public static String kubeletExpand(String s, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
      } else if (s.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (s.charAt(i + 1) == '(' && s.indexOf(')', i) > 0) {
        String name = s.substring(i + 2, s.indexOf(')', i));
        out.append(env.containsKey(name) ? env.get(name) : "$(" + name + ")");
        i = s.indexOf(')', i);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The bootstrap Envoy starts from: the {@code --config-yaml} argument of an envoy container (as JSON), parsed. */
  public static Bootstrap bootstrap(JsonNode container) throws Exception {
    JsonNode args = container.path("args");
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).asString().equals("--config-yaml")) {
        String json = kubeletExpand(args.get(i + 1).asString(), Map.of());
        Bootstrap.Builder b = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(new XdsJson().registry()).merge(json, b);
        return b.build();
      }
    }
    throw new AssertionError("no --config-yaml argument: " + args);
  }

  /** The container of that name, or null. */
  public static JsonNode container(JsonNode pod, String field, String name) {
    for (JsonNode c : pod.path("spec").path(field)) {
      if (c.path("name").asString("").equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** A container's environment as name → value (valueFrom entries as "valueFrom"). */
  public static Map<String, String> env(JsonNode container) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    container.path("env").forEach(e -> m.put(e.path("name").asString(), e.has("value") ? e.path("value").asString() : "valueFrom"));
    return m;
  }
}
