package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.VirtualService;

/** Object-local rules of Meshes, VirtualServices and BackendGroups. */
final class ServiceRules {
  private ServiceRules() {}

  static void check(Mesh mesh, Findings f) {
    CommonRules.awsName(mesh.spec().awsName(), f);
    if (mesh.spec().meshOwner() != null && !mesh.spec().meshOwner().matches("\\d{12}")) {
      f.error("spec.meshOwner", "must be a 12-digit AWS account ID");
    }
  }

  static void check(VirtualService vs, Findings f) {
    CommonRules.awsName(vs.spec().awsName(), f);
    VirtualService.Provider p = vs.spec().provider();
    if (p == null) {
      f.warn("spec.provider", "no provider: requests to this virtual service cannot be routed");
      return;
    }
    if (!f.exactlyOne("spec.provider", true, "virtualNode", p.virtualNode(), "virtualRouter", p.virtualRouter())) {
      return;
    }
    if (p.virtualNode() != null) {
      var n = p.virtualNode();
      if (f.exactlyOne("spec.provider.virtualNode", true, "virtualNodeRef", n.virtualNodeRef(), "virtualNodeARN",
          n.virtualNodeARN()) && n.virtualNodeARN() != null) {
        Arns.parse(n.virtualNodeARN(), "virtualNode", "spec.provider.virtualNode.virtualNodeARN", f);
      }
    } else {
      var r = p.virtualRouter();
      if (f.exactlyOne("spec.provider.virtualRouter", true, "virtualRouterRef", r.virtualRouterRef(), "virtualRouterARN",
          r.virtualRouterARN()) && r.virtualRouterARN() != null) {
        Arns.parse(r.virtualRouterARN(), "virtualRouter", "spec.provider.virtualRouter.virtualRouterARN", f);
      }
    }
  }

  static void check(BackendGroup bg, Findings f) {
    for (int i = 0; i < bg.spec().virtualservices().size(); i++) {
      var r = bg.spec().virtualservices().get(i);
      if (r.name() != null && r.name().isEmpty()) {
        f.error("spec.virtualservices[" + i + "].name", "must not be empty");
      }
    }
  }
}
