package io.appmeshxds.server.status;

import io.appmeshxds.server.grpc.ProxyRegistry;
import io.appmeshxds.translator.model.MeshModel;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.XdsResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code /proxies} view (like {@code istioctl proxy-status}): every connected proxy with its
 * node id, kind, and per type the version it ACKed against the latest this replica has for it,
 * its last NACK, since when it is connected, and which replica answers. A node id nobody serves
 * is listed as unknown with the closest served ids ({@link NodeSuggestions}).
 */
public final class ProxyStatus {
  private static final Map<String, XdsResources.Type> TYPES = Map.of("lds", XdsResources.Type.LISTENER, "rds",
      XdsResources.Type.ROUTE, "cds", XdsResources.Type.CLUSTER, "eds", XdsResources.Type.ENDPOINT, "sds",
      XdsResources.Type.SECRET);

  private ProxyStatus() {}

  /**
   * @param latest what this replica serves a key now (null: nothing)
   * @param model the last build's model (null before the first), for the served node ids
   */
  public static Map<String, Object> view(String replica, List<ProxyRegistry.Proxy> proxies,
      Function<NodeKey, XdsResources> latest, MeshModel model) {
    List<String> known = model == null ? List.of() : NodeSuggestions.known(model);
    java.util.Set<String> knownSet = new java.util.HashSet<>(known);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ProxyRegistry.Proxy p : proxies) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("nodeId", p.nodeId());
      row.put("kind", p.key() == null ? "unknown" : p.key().kind().name().toLowerCase(java.util.Locale.ROOT));
      String canonical = p.key() == null ? p.nodeId() : "mesh/" + p.key().mesh()
          + (p.key().kind() == NodeKey.Kind.GATEWAY ? "/virtualGateway/" : "/virtualNode/") + p.key().name();
      boolean served = p.key() != null && knownSet.contains(canonical);
      row.put("known", served);
      if (!served) {
        row.put("suggestions", NodeSuggestions.closest(canonical, known));
      }
      row.put("userAgent", p.userAgent());
      row.put("connectedSince", p.since().toString());
      row.put("stream", p.stream());
      XdsResources now = p.key() == null ? null : latest.apply(p.key());
      Map<String, Object> types = new LinkedHashMap<>();
      p.types().forEach((type, s) -> {
        Map<String, Object> t = new LinkedHashMap<>();
        String newest = now == null || !TYPES.containsKey(type) ? null : now.version(TYPES.get(type));
        t.put("acked", s.acked());
        t.put("sent", s.sent());
        t.put("latest", newest);
        t.put("state", s.nackMessage() != null && java.util.Objects.equals(s.nackedVersion(), s.sent()) ? "NACKED"
            : newest != null && newest.equals(s.acked()) ? "SYNCED" : s.sent() == null ? "WAITING" : "STALE");
        if (s.nackMessage() != null) {
          Map<String, Object> nack = new LinkedHashMap<>();
          nack.put("version", s.nackedVersion());
          nack.put("message", s.nackMessage());
          nack.put("at", s.nackedAt().toString());
          t.put("lastNack", nack);
        }
        types.put(type, t);
      });
      row.put("types", types);
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("replica", replica);
    out.put("proxies", rows);
    return out;
  }

  public static String json(Map<String, Object> view) {
    return JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(view);
  }
}
