package io.appmeshxds.server.inject;

import io.appmeshxds.translator.api.LabelSelector;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which VirtualNode or VirtualGateway a pod belongs to, with App Mesh's rules and messages
 * ({@code pkg/inject/inject.go} {@code Inject}, {@code determineSidecarInjectMode};
 * {@code pkg/virtualnode/membership_designator.go}; {@code pkg/virtualgateway/membership_designator.go}
 * {@code DesignateForPod}):
 *
 * <ul>
 *   <li>mode: the namespace's {@code appmesh.k8s.aws/sidecarInjectorWebhook} label, overridden by the
 *       pod annotation of the same key; {@code disabled} skips, {@code enabled} requires a match,
 *       anything else injects only when something matches (case-insensitive);
 *   <li>candidates: the VirtualNodes (and, separately, VirtualGateways) of the pod's namespace whose
 *       {@code podSelector} matches the pod's labels (absent selects nothing, {@code {}} everything);
 *       more than one of a kind is an error even when the mode is unspecified; one of each is an error.
 * </ul>
 */
final class Designation {
  private Designation() {}

  /** The verdict. */
  sealed interface Verdict permits Skip, Refuse, Node, Gateway {}

  /** Leave the pod alone (disabled, or nothing matches and injection is not required). */
  record Skip(String why) implements Verdict {}

  /** App Mesh would have rejected the pod with this message. */
  record Refuse(String message) implements Verdict {}

  record Node(VirtualNode node) implements Verdict {}

  record Gateway(VirtualGateway gateway) implements Verdict {}

  static Verdict designate(String namespace, String podName, Map<String, String> podLabels, Map<String, String> podAnnotations,
      MeshView view) {
    Map<String, String> nsLabels = view.namespaceLabels(namespace);
    String mode = nsLabels == null ? null : nsLabels.get(Annotations.INJECT);
    if (podAnnotations.containsKey(Annotations.INJECT)) {
      mode = podAnnotations.get(Annotations.INJECT);
    }
    mode = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
    if (mode.equals("disabled")) {
      return new Skip("sidecar injection is disabled (" + Annotations.INJECT + ": disabled)");
    }
    String pod = namespace + "/" + podName;
    List<VirtualNode> nodes = matching(view.nodes(namespace), podLabels);
    if (nodes.size() > 1) {
      return new Refuse("found multiple matching VirtualNodes for pod " + pod + ": " + names(nodes));
    }
    List<VirtualGateway> gateways = matching(view.gateways(namespace), podLabels);
    if (gateways.size() > 1) {
      return new Refuse("found multiple matching VirtualGateways for pod " + pod + ": " + names(gateways));
    }
    if (!nodes.isEmpty() && !gateways.isEmpty()) {
      return new Refuse("sidecarInject enabled for both virtualNode " + nodes.get(0).name() + " and virtualGateway "
          + gateways.get(0).name() + " on pod " + podName + ". Please use podSelector on one");
    }
    if (nodes.isEmpty() && gateways.isEmpty()) {
      if (mode.equals("enabled")) {
        return new Refuse("sidecarInject enabled but no matching VirtualNode or VirtualGateway found");
      }
      return new Skip("no VirtualNode or VirtualGateway in " + namespace + " selects this pod");
    }
    return nodes.isEmpty() ? new Gateway(gateways.get(0)) : new Node(nodes.get(0));
  }

  private static <T extends MeshObject> List<T> matching(List<T> objects, Map<String, String> labels) {
    List<T> out = new ArrayList<>();
    for (T o : objects) {
      LabelSelector sel = o instanceof VirtualNode n ? n.spec().podSelector() : ((VirtualGateway) o).spec().podSelector();
      if (sel != null && sel.matches(labels)) {
        out.add(o);
      }
    }
    return out;
  }

  private static String names(List<? extends MeshObject> objects) {
    return String.join(",", objects.stream().map(o -> o.namespace() + "/" + o.name()).toList());
  }
}
