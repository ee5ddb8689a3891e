package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.input.AcmMaterial;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ACM side of planning: which listeners wait for their certificate, and which secrets a
 * proxy's plan carries. Material is read through {@link PlanContext} (recorded), at the level of
 * the proxy's plan and never inside a memoized sub-plan, so a renewal re-plans exactly the proxies
 * that use the certificate and the sub-plans it did not touch stay the same instances.
 */
public final class AcmSecrets {
  private AcmSecrets() {}

  /**
   * The ACM certificate ARN a listener with this TLS still waits for, or null. Why a gate: a
   * listener that refers to a secret the proxy never receives stays warming in Envoy, and one
   * served without its certificate would have to fall back to plaintext; App Mesh's proxies did
   * not serve a TLS listener without its certificate either. So the port is left out of the plan
   * until the server has fetched the certificate (one listener update then; after that, renewals
   * change only the secret).
   */
  public static String awaitedCertificate(Tls.ListenerCertificate c, Tls.Mode mode, PlanContext ctx) {
    if (c == null || c.acm() == null || mode == null || mode == Tls.Mode.DISABLED) {
      return null;
    }
    String arn = c.acm().certificateARN();
    return ctx.acmCertificate(arn) == null ? arn : null;
  }

  /** The note of a port left out by {@link #awaitedCertificate}. */
  public static String awaitingNote(String what, long port, String arn) {
    return what + " port " + port + " is not served yet: its ACM certificate " + arn
        + " has not been fetched (it is served, with TLS only, once it is)";
  }

  /**
   * {@code plan} with the secrets its listener chains and clusters refer to. A reference whose
   * material is not fetched yet gets no secret and a note (a cluster then fails closed in Envoy:
   * its TLS context waits for the secret, it never falls back to plaintext).
   */
  static ProxyPlan collect(ProxyPlan plan, PlanContext ctx) {
    Set<SecretPlan.Ref> refs = new LinkedHashSet<>();
    for (ListenerPlan l : plan.listeners()) {
      if (l instanceof ListenerPlan.Socket s) {
        s.chains().forEach(c -> refs.addAll(TlsPlan.acmRefs(c)));
      }
    }
    plan.clusters().forEach(c -> refs.addAll(TlsPlan.acmRefs(c)));
    if (refs.isEmpty()) {
      return plan;
    }
    List<SecretPlan> secrets = new ArrayList<>(refs.size());
    List<String> notes = new ArrayList<>();
    for (SecretPlan.Ref ref : refs) {
      SecretPlan s = secret(ref, ctx);
      if (s == null) {
        notes.add("ACM secret for " + describe(ref) + " is not fetched yet; TLS that depends on it fails until it is");
      } else {
        secrets.add(s);
      }
    }
    return plan.withSecrets(secrets, notes);
  }

  private static SecretPlan secret(SecretPlan.Ref ref, PlanContext ctx) {
    if (ref instanceof SecretPlan.Ref.CertificateRef c) {
      AcmMaterial.Certificate m = ctx.acmCertificate(c.arn());
      return m == null ? null : new SecretPlan.Certificate(c, m);
    }
    if (ref instanceof SecretPlan.Ref.RootRef r) {
      AcmMaterial.Certificate m = ctx.acmCertificate(r.certificateArn());
      return m == null ? null : new SecretPlan.Trust(r, m.root());
    }
    SecretPlan.Ref.AuthoritiesRef a = (SecretPlan.Ref.AuthoritiesRef) ref;
    StringBuilder bundle = new StringBuilder();
    boolean all = true;
    for (String arn : a.arns()) {
      AcmMaterial.Authority ca = ctx.acmAuthority(arn);
      if (ca == null) {
        all = false;
      } else {
        String b = ca.bundle();
        bundle.append(b.endsWith("\n") ? b : b + "\n");
      }
    }
    return all ? new SecretPlan.Trust(a, bundle.toString()) : null;
  }

  private static String describe(SecretPlan.Ref ref) {
    if (ref instanceof SecretPlan.Ref.CertificateRef c) {
      return "certificate " + c.arn();
    }
    if (ref instanceof SecretPlan.Ref.RootRef r) {
      return "the root CA of certificate " + r.certificateArn();
    }
    return "certificate authorities " + ((SecretPlan.Ref.AuthoritiesRef) ref).arns();
  }
}
