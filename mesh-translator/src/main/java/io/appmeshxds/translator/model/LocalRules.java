package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import java.util.List;

/**
 * Every rule that needs only the object itself: the CRD schema, then the kind's webhook and API
 * rules. Results depend on the object alone, which is what makes them cacheable across builds.
 */
public final class LocalRules {
  private LocalRules() {}

  /** Problems of one object, in field order; never throws on any input. */
  public static List<Problem> check(MeshObject o) {
    Findings f = new Findings(ObjectRef.of(o));
    SchemaValidator.validate(o.spec(), "spec", f);
    if (o instanceof Mesh m) {
      ServiceRules.check(m, f);
    } else if (o instanceof VirtualNode vn) {
      NodeRules.check(vn, f);
    } else if (o instanceof VirtualService vs) {
      ServiceRules.check(vs, f);
    } else if (o instanceof VirtualRouter vr) {
      RouterRules.check(vr, f);
    } else if (o instanceof VirtualGateway vg) {
      GatewayRules.check(vg, f);
    } else if (o instanceof GatewayRoute gr) {
      GatewayRules.check(gr, f);
    } else if (o instanceof BackendGroup bg) {
      ServiceRules.check(bg, f);
    }
    if (o.metadata().name() != null && o.metadata().name().length() > 253) {
      f.error("metadata.name", "length must be at most 253");
    }
    return f.list();
  }
}
