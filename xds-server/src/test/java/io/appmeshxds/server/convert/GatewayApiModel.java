package io.appmeshxds.server.convert;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses converter output into fabric8's Gateway API model, failing on unknown properties: fabric8's
 * classes keep unknown keys in {@code additionalProperties} instead of failing, so every parsed
 * object's {@code additionalProperties} is checked to be empty too.
 */
public final class GatewayApiModel {
  private GatewayApiModel() {}

  private static final JsonMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static final Map<String, Class<?>> KINDS = Map.of(
      "gateway.networking.k8s.io/v1/HTTPRoute", io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class,
      "gateway.networking.k8s.io/v1/GRPCRoute", io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute.class,
      "gateway.networking.k8s.io/v1/Gateway", io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway.class,
      "gateway.networking.k8s.io/v1/GatewayClass", io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass.class,
      "gateway.networking.k8s.io/v1beta1/ReferenceGrant", io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant.class,
      "gateway.networking.k8s.io/v1alpha3/BackendTLSPolicy",
      io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicy.class);

  /** The typed object, or an exception naming what did not fit. */
  public static Object parse(Map<String, Object> doc) {
    JsonNode tree = MAPPER.valueToTree(doc);
    String key = doc.get("apiVersion") + "/" + doc.get("kind");
    Class<?> cls = KINDS.get(key);
    if (cls == null) {
      throw new IllegalArgumentException("not a Gateway API kind we write: " + key);
    }
    Object typed = MAPPER.treeToValue(tree, cls);
    List<String> unknown = new ArrayList<>();
    walk(typed, cls.getSimpleName(), unknown, new IdentityHashMap<>());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(key + ": unknown fields " + unknown);
    }
    return typed;
  }

  private static void walk(Object o, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        walk(e, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (!(o instanceof KubernetesResource) && !o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object v = m.invoke(o);
        if (m.getName().equals("getAdditionalProperties")) {
          if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
            unknown.add(path + ": " + extra.keySet());
          }
        } else {
          walk(v, path + "." + m.getName().substring(3), unknown, seen);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
