package io.appmeshxds.server.inject;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests and limits of the injected containers, App Mesh's {@code sidecarResources}
 * ({@code pkg/inject/sidecar_builder.go}): requests when a CPU or memory request is set, limits
 * likewise; the Envoy and X-Ray containers take the pod annotations {@code appmesh.k8s.aws/cpuRequest},
 * {@code memoryRequest}, {@code cpuLimit}, {@code memoryLimit} over the configured values
 * ({@code utils.go} {@code getSidecarCPURequest} …); the init container takes the configured values only.
 */
final class Resources {
  private Resources() {}

  record Values(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
    /** With the pod's annotations over these. */
    Values overriddenBy(Map<String, String> a) throws Annotations.Malformed {
      return new Values(or(a, Annotations.CPU_REQUEST, cpuRequest), or(a, Annotations.MEMORY_REQUEST, memoryRequest),
          or(a, Annotations.CPU_LIMIT, cpuLimit), or(a, Annotations.MEMORY_LIMIT, memoryLimit));
    }

    private static String or(Map<String, String> a, String key, String dflt) throws Annotations.Malformed {
      String v = Annotations.bounded(a, key);
      return v == null ? dflt : v;
    }
  }

  static ResourceRequirements requirements(Values v) throws Annotations.Malformed {
    ResourceRequirements r = new ResourceRequirements();
    Map<String, Quantity> requests = list(v.cpuRequest(), v.memoryRequest(), Annotations.CPU_REQUEST, Annotations.MEMORY_REQUEST);
    Map<String, Quantity> limits = list(v.cpuLimit(), v.memoryLimit(), Annotations.CPU_LIMIT, Annotations.MEMORY_LIMIT);
    if (!requests.isEmpty()) {
      r.setRequests(requests);
    }
    if (!limits.isEmpty()) {
      r.setLimits(limits);
    }
    return r;
  }

  private static Map<String, Quantity> list(String cpu, String memory, String cpuKey, String memoryKey) throws Annotations.Malformed {
    Map<String, Quantity> m = new LinkedHashMap<>();
    if (cpu != null && !cpu.isEmpty()) {
      m.put("cpu", quantity(cpu, cpuKey));
    }
    if (memory != null && !memory.isEmpty()) {
      m.put("memory", quantity(memory, memoryKey));
    }
    return m;
  }

  private static Quantity quantity(String s, String key) throws Annotations.Malformed {
    try {
      Quantity q = new Quantity(s.strip());
      Quantity.getAmountInBytes(q); // throws on a malformed quantity, as resource.ParseQuantity errs
      if (!s.strip().matches("^[+]?(\\d+(\\.\\d*)?|\\.\\d+)(([KMGTPE]i)|[mkMGTPE]|[eE][+-]?\\d+)?$")) {
        throw new IllegalArgumentException(s);
      }
      return q;
    } catch (RuntimeException e) {
      throw new Annotations.Malformed("quantities must match the regular expression "
          + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (" + key + " or its configured default: \"" + s + "\")");
    }
  }
}
