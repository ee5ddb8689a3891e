package io.appmeshxds.bench.load;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.translator.plan.NodeKey;

/**
 * Which node simulated client {@code j} is: service {@code j / 2}'s primary (even j) or canary (odd
 * j). The server and the client process compute the same mapping, so only the count crosses the
 * process boundary.
 */
public final class ClientPlan {
  private ClientPlan() {}

  /** The most clients a profile has nodes for (each client is a different VirtualNode). */
  public static int max(MeshGenerator.Profile p) {
    return p.services() * 2;
  }

  public static String awsName(int j) {
    return MeshGenerator.nodeAwsName(j / 2, j % 2 == 0 ? "primary" : "canary");
  }

  /** Envoy's node.id for client {@code j}. */
  public static String nodeId(int j) {
    return "mesh/" + MeshGenerator.MESH + "/virtualNode/" + awsName(j);
  }

  public static NodeKey key(int j) {
    return NodeKey.sidecar(MeshGenerator.MESH, awsName(j));
  }

  /** Client index of a key, or -1 when it is not a planned client's. */
  public static int indexOf(NodeKey key) {
    if (key.kind() != NodeKey.Kind.SIDECAR || !key.mesh().equals(MeshGenerator.MESH)) {
      return -1;
    }
    String n = key.name();
    // svc-<i>-<role>_ns-<k>
    if (!n.startsWith("svc-")) {
      return -1;
    }
    int dash = n.indexOf('-', 4);
    int us = n.indexOf('_');
    if (dash < 0 || us < dash) {
      return -1;
    }
    int i;
    try {
      i = Integer.parseInt(n.substring(4, dash));
    } catch (NumberFormatException e) {
      return -1;
    }
    String role = n.substring(dash + 1, us);
    int j = role.equals("primary") ? 2 * i : role.equals("canary") ? 2 * i + 1 : -1;
    return j >= 0 && awsName(j).equals(n) ? j : -1;
  }
}
