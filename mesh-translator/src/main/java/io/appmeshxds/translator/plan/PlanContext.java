package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.model.ResolvedNode;
import io.appmeshxds.translator.model.ResolvedRouter;
import io.appmeshxds.translator.model.ResolvedService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-build planning state: the model and memoized sub-plans shared by every proxy, so a virtual
 * host or a load assignment used by a thousand sidecars is planned once (and, being one object,
 * translated once).
 */
public final class PlanContext {
  private final MeshModel model;
  private final Map<Object, Object> memo = new HashMap<>();
  private Map<String, List<EndpointSlice>> slicesByService;

  public PlanContext(MeshModel model) {
    this.model = model;
  }

  public MeshModel model() {
    return model;
  }

  /** Memoizes {@code compute} under {@code key} for this build. */
  @SuppressWarnings("unchecked")
  public <T> T memo(Object key, java.util.function.Supplier<T> compute) {
    Object v = memo.get(key);
    if (v == null) {
      v = compute.get();
      memo.put(key, v);
    }
    return (T) v;
  }

  /**
   * Ports a virtual service serves and their protocols: its router's listeners, or its node's.
   * Empty when it has no provider.
   */
  public SortedMap<Long, PortProtocol> servicePorts(MeshGraph mesh, ResolvedService vs) {
    return memo(List.of("ports", mesh.name(), vs.awsName()), () -> {
      SortedMap<Long, PortProtocol> ports = new TreeMap<>();
      if (vs.provider() instanceof ResolvedService.RouterProvider rp) {
        ResolvedRouter r = mesh.routers().get(rp.router());
        if (r != null) {
          r.router().spec().listeners().forEach(l -> ports.putIfAbsent(l.portMapping().port(), l.portMapping().protocol()));
        }
      } else if (vs.provider() instanceof ResolvedService.NodeProvider np) {
        ResolvedNode n = mesh.nodes().get(np.node());
        if (n != null) {
          n.node().spec().listeners().forEach(l -> ports.putIfAbsent(l.portMapping().port(), l.portMapping().protocol()));
        }
      }
      return ports;
    });
  }

  /** EndpointSlices of a Service ({@code namespace/name}), indexed once per build. */
  public List<EndpointSlice> slicesOf(String namespace, String service) {
    if (slicesByService == null) {
      slicesByService = new HashMap<>();
      for (EndpointSlice s : model.inputs().endpointSlices().values()) {
        if (s.serviceName() != null) {
          slicesByService.computeIfAbsent(s.namespace() + "/" + s.serviceName(), k -> new ArrayList<>()).add(s);
        }
      }
    }
    return slicesByService.getOrDefault(namespace + "/" + service, List.of());
  }
}
