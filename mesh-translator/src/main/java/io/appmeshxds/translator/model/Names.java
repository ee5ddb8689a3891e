package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.Mesh;

/** App Mesh names: {@code spec.awsName}, or the default App Mesh's webhook used to write. */
public final class Names {
  private Names() {}

  /**
   * The App Mesh name: Mesh → metadata.name; VirtualService → {@code name.namespace}; VirtualNode,
   * VirtualRouter, VirtualGateway, GatewayRoute → {@code name_namespace}; BackendGroup has none.
   */
  public static String awsName(MeshObject o) {
    String explicit =
        o instanceof Mesh m ? m.spec().awsName()
            : o instanceof VirtualNode n ? n.spec().awsName()
            : o instanceof VirtualService s ? s.spec().awsName()
            : o instanceof VirtualRouter r ? r.spec().awsName()
            : o instanceof VirtualGateway g ? g.spec().awsName()
            : o instanceof GatewayRoute gr ? gr.spec().awsName()
            : null;
    if (explicit != null && !explicit.isEmpty()) {
      return explicit;
    }
    if (o.kind() == Kind.Mesh) {
      return o.name();
    }
    if (o.kind() == Kind.VirtualService) {
      return o.name() + "." + o.namespace();
    }
    return o.name() + "_" + o.namespace();
  }

  /** Whether the object's App Mesh name is the default one derived from its Kubernetes name. */
  static boolean hasDefaultName(MeshObject o) {
    String n = awsName(o);
    return n.equals(o.name() + "_" + o.namespace()) || n.equals(o.name() + "." + o.namespace()) || n.equals(o.name());
  }
}
