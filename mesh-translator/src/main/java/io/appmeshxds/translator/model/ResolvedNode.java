package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;

/**
 * An accepted VirtualNode with its backends resolved.
 *
 * @param ref the object
 * @param awsName App Mesh name
 * @param node the (accepted) object
 * @param backends backend virtual services, deduplicated, in awsName order
 */
public record ResolvedNode(ObjectRef ref, String awsName, VirtualNode node, List<Backend> backends) {

  public ResolvedNode {
    backends = List.copyOf(backends);
  }

  /**
   * One backend.
   *
   * @param service the VirtualService's awsName
   * @param clientPolicy the backend's own client policy, or null (defaults apply)
   */
  public record Backend(String service, Tls.ClientPolicy clientPolicy) {}
}
