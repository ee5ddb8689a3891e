package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.SubjectAlternativeNames;
import io.appmeshxds.translator.api.Tls;
import java.util.ArrayList;
import java.util.List;

/** TLS settings, server and client side. */
public final class TlsPlan {
  private TlsPlan() {}

  /**
   * A certificate from files, from the node-local SDS server, or from ACM (served by us over ADS as
   * an SDS secret).
   *
   * @param chainFile certificate chain file, or null
   * @param keyFile private key file, or null
   * @param sdsName secret of the node-local SDS server, or null
   * @param acmArn ACM certificate ARN (its secret comes over ADS), or null
   */
  public record Certificate(String chainFile, String keyFile, String sdsName, String acmArn) {
    public Certificate(String chainFile, String keyFile, String sdsName) {
      this(chainFile, keyFile, sdsName, null);
    }
  }

  /**
   * How to validate the peer.
   *
   * @param caFile trusted CA bundle file, or null
   * @param sdsName SDS validation context of the node-local SDS server, or null
   * @param acmAuthorities ACM Private CA ARNs whose certificates are the trust (a secret over ADS), or empty
   * @param acmRootOf ACM certificate ARN whose chain's root is the trust (a secret over ADS), or null
   * @param subjectAltNames accepted SANs (exact), empty = any
   */
  public record Validation(String caFile, String sdsName, List<String> acmAuthorities, String acmRootOf,
      List<String> subjectAltNames) {
    public Validation {
      acmAuthorities = List.copyOf(acmAuthorities);
      subjectAltNames = List.copyOf(subjectAltNames);
    }

    public Validation(String caFile, String sdsName, List<String> subjectAltNames) {
      this(caFile, sdsName, List.of(), null, subjectAltNames);
    }

    /** Whether the trust is a secret we serve over ADS. */
    public boolean acm() {
      return !acmAuthorities.isEmpty() || acmRootOf != null;
    }
  }

  /** Server side: certificate, and client validation for mTLS. */
  public record Downstream(Certificate certificate, Validation validation) {

    /**
     * A listener's server TLS (VirtualNode or VirtualGateway): the certificate from files, SDS or
     * ACM and, when the listener validates clients, the trust's file or SDS name with the exact
     * SANs to accept (App Mesh allowed no ACM trust on listeners).
     */
    public static Downstream of(Tls.ListenerCertificate c, boolean validates, Tls.FileTrust file, Tls.SdsTrust sds,
        SubjectAlternativeNames sans) {
      Certificate cert = c.file() != null ? new Certificate(c.file().certificateChain(), c.file().privateKey(), null)
          : c.acm() != null ? new Certificate(null, null, null, c.acm().certificateARN())
          : new Certificate(null, null, c.sds().secretName());
      Validation v = !validates ? null : new Validation(file == null ? null : file.certificateChain(),
          sds == null ? null : sds.secretName(), sans == null || sans.match() == null ? List.of() : sans.match().exact());
      return new Downstream(cert, v);
    }
  }

  /**
   * Client side.
   *
   * @param sni server name
   * @param validation server validation, or null to encrypt without validating
   * @param certificate client certificate (mTLS), or null
   */
  public record Upstream(String sni, Validation validation, Certificate certificate) {}

  /** The ACM secrets a listener chain or a cluster refers to, in a stable order. */
  static List<SecretPlan.Ref> acmRefs(Certificate c, Validation v) {
    List<SecretPlan.Ref> out = new ArrayList<>(1);
    if (c != null && c.acmArn() != null) {
      out.add(new SecretPlan.Ref.CertificateRef(c.acmArn()));
    }
    if (v != null && !v.acmAuthorities().isEmpty()) {
      out.add(new SecretPlan.Ref.AuthoritiesRef(v.acmAuthorities()));
    }
    if (v != null && v.acmRootOf() != null) {
      out.add(new SecretPlan.Ref.RootRef(v.acmRootOf()));
    }
    return out;
  }

  /** The ACM secrets a cluster refers to. */
  public static List<SecretPlan.Ref> acmRefs(ClusterPlan c) {
    return c.tls() == null ? List.of() : acmRefs(c.tls().certificate(), c.tls().validation());
  }

  /** The ACM secrets a filter chain refers to. */
  public static List<SecretPlan.Ref> acmRefs(FilterChainPlan c) {
    return c.tls() == null ? List.of() : acmRefs(c.tls().certificate(), c.tls().validation());
  }
}
