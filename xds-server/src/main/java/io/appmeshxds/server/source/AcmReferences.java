package io.appmeshxds.server.source;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.AcmMaterial;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the mesh names ACM: listener certificates ({@code tls.certificate.acm.certificateARN}) of
 * VirtualNodes and VirtualGateways, and ACM Private CA trusts
 * ({@code clientPolicy.tls.validation.trust.acm.certificateAuthorityARNs}) of backend defaults and
 * backends. Listener validation has no ACM trust in App Mesh's API (the model rejects it), so it is
 * not read here.
 */
public final class AcmReferences {
  private AcmReferences() {}

  /** What a use needs: an exported certificate, or a CA's certificate. */
  public enum Need {
    CERTIFICATE,
    AUTHORITY
  }

  /**
   * One use of an ARN.
   *
   * @param object the VirtualNode or VirtualGateway
   * @param field the field path of the ARN
   */
  public record Use(ObjectRef object, String field, Need need, String arn) {}

  /** Every use, in object and field order. */
  public static List<Use> scan(MeshResources in) {
    List<Use> out = new ArrayList<>();
    for (VirtualNode vn : in.<VirtualNode>ofKind(Kind.VirtualNode)) {
      if (vn.spec() == null) {
        continue;
      }
      ObjectRef ref = ObjectRef.of(vn);
      for (int i = 0; i < vn.spec().listeners().size(); i++) {
        VirtualNode.ListenerTls t = vn.spec().listeners().get(i).tls();
        certificate(ref, "spec.listeners[" + i + "].tls.certificate", t == null ? null : t.certificate(), out);
      }
      if (vn.spec().backendDefaults() != null) {
        trust(ref, "spec.backendDefaults.clientPolicy", vn.spec().backendDefaults().clientPolicy(), out);
      }
      for (int i = 0; i < vn.spec().backends().size(); i++) {
        VirtualNode.Backend b = vn.spec().backends().get(i);
        if (b != null && b.virtualService() != null) {
          trust(ref, "spec.backends[" + i + "].virtualService.clientPolicy", b.virtualService().clientPolicy(), out);
        }
      }
    }
    for (VirtualGateway vg : in.<VirtualGateway>ofKind(Kind.VirtualGateway)) {
      if (vg.spec() == null) {
        continue;
      }
      ObjectRef ref = ObjectRef.of(vg);
      for (int i = 0; i < vg.spec().listeners().size(); i++) {
        VirtualGateway.ListenerTls t = vg.spec().listeners().get(i).tls();
        certificate(ref, "spec.listeners[" + i + "].tls.certificate", t == null ? null : t.certificate(), out);
      }
      if (vg.spec().backendDefaults() != null) {
        trust(ref, "spec.backendDefaults.clientPolicy", vg.spec().backendDefaults().clientPolicy(), out);
      }
    }
    return out;
  }

  /** The text of a stand-in: what {@code render} and {@code diff} show instead of ACM material. */
  public static final String STAND_IN = "(stand-in: render does not call ACM; a running control plane serves what ACM exports)";

  /**
   * {@code in} with a stand-in for every ACM certificate and CA it names, for commands that never
   * call AWS ({@code render}, {@code diff}): the listeners and secrets then look as a proxy gets
   * them, and the key is never there to print.
   */
  public static MeshResources withStandIns(MeshResources in) {
    List<Use> uses = scan(in);
    if (uses.isEmpty()) {
      return in;
    }
    java.util.TreeMap<String, AcmMaterial.Certificate> certs = new java.util.TreeMap<>();
    java.util.TreeMap<String, AcmMaterial.Authority> cas = new java.util.TreeMap<>();
    for (Use u : uses) {
      if (u.need() == Need.CERTIFICATE) {
        certs.put(u.arn(), new AcmMaterial.Certificate(u.arn(), STAND_IN, "",
            new AcmMaterial.PrivateKey(com.google.protobuf.ByteString.copyFromUtf8("[redacted]"))));
      } else {
        cas.put(u.arn(), new AcmMaterial.Authority(u.arn(), STAND_IN, ""));
      }
    }
    return in.withAcm(new AcmMaterial.Fetched(certs, cas));
  }

  private static void certificate(ObjectRef ref, String field, Tls.ListenerCertificate c, List<Use> out) {
    if (c != null && c.acm() != null && c.acm().certificateARN() != null) {
      out.add(new Use(ref, field + ".acm.certificateARN", Need.CERTIFICATE, c.acm().certificateARN()));
    }
  }

  private static void trust(ObjectRef ref, String field, Tls.ClientPolicy p, List<Use> out) {
    if (p == null || p.tls() == null || p.tls().validation() == null || p.tls().validation().trust() == null
        || p.tls().validation().trust().acm() == null) {
      return;
    }
    List<String> arns = p.tls().validation().trust().acm().certificateAuthorityARNs();
    for (int i = 0; i < arns.size(); i++) {
      if (arns.get(i) != null) {
        out.add(new Use(ref, field + ".tls.validation.trust.acm.certificateAuthorityARNs[" + i + "]", Need.AUTHORITY,
            arns.get(i)));
      }
    }
  }
}
