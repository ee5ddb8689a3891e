package io.appmeshxds.server.status;

import io.appmeshxds.translator.model.MeshGraph;
import io.appmeshxds.translator.model.MeshModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The known node ids closest to one nobody serves: the usual mistakes are the Kubernetes name
 * instead of the App Mesh name ({@code podinfo-primary} for {@code podinfo-primary_demo}), the
 * wrong mesh or kind, and typos. Pure; bounded (ids longer than {@link #MAX_ID} are not compared).
 */
public final class NodeSuggestions {
  /**
   * Starts each line of the admin {@code /config_dump} 404 (a node nobody serves) that names one
   * of the closest served ids; {@code bootstrap --server} reads them.
   */
  public static final String DID_YOU_MEAN = "did you mean: ";
  /** At most this many suggestions. */
  public static final int MAX = 3;
  /** Ids longer than this are not compared (edit distance is quadratic in length). */
  static final int MAX_ID = 512;

  private NodeSuggestions() {}

  /** Every node id the model serves: {@code mesh/<mesh>/virtualNode|virtualGateway/<awsName>}. */
  public static List<String> known(MeshModel model) {
    List<String> ids = new ArrayList<>();
    for (MeshGraph g : model.meshes().values()) {
      g.nodes().keySet().forEach(n -> ids.add("mesh/" + g.name() + "/virtualNode/" + n));
      g.gateways().keySet().forEach(n -> ids.add("mesh/" + g.name() + "/virtualGateway/" + n));
    }
    return ids;
  }

  /** Up to {@link #MAX} of {@code known} closest to {@code asked}, best first; empty when none is close. */
  public static List<String> closest(String asked, List<String> known) {
    if (asked == null || asked.length() > MAX_ID) {
      return List.of();
    }
    String askedName = asked.substring(asked.lastIndexOf('/') + 1);
    record Scored(String id, int rank, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String id : known) {
      if (id.equals(asked) || id.length() > MAX_ID) {
        continue;
      }
      String name = id.substring(id.lastIndexOf('/') + 1);
      if (name.equals(askedName)) {
        scored.add(new Scored(id, 0, distance(asked, id))); // another mesh or kind
      } else if (name.startsWith(askedName + "_") && !askedName.isEmpty()) {
        scored.add(new Scored(id, 1, distance(asked, id))); // the Kubernetes name without _<namespace>
      } else {
        int d = distance(asked, id);
        if (d <= Math.max(2, askedName.length() / 4)) {
          scored.add(new Scored(id, 2, d));
        }
      }
    }
    return scored.stream().sorted(Comparator.comparingInt(Scored::rank).thenComparingInt(Scored::distance)
        .thenComparing(Scored::id)).limit(MAX).map(Scored::id).toList();
  }

  /** Levenshtein distance, two rows. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
