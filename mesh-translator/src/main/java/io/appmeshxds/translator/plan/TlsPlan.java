package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.api.SubjectAlternativeNames;
import io.appmeshxds.translator.api.Tls;
import java.util.List;

/** TLS settings, server and client side. */
public final class TlsPlan {
  private TlsPlan() {}

  /** A certificate from files or from SDS. */
  public record Certificate(String chainFile, String keyFile, String sdsName) {}

  /**
   * How to validate the peer.
   *
   * @param caFile trusted CA bundle file, or null
   * @param sdsName SDS validation context, or null
   * @param subjectAltNames accepted SANs (exact), empty = any
   */
  public record Validation(String caFile, String sdsName, List<String> subjectAltNames) {
    public Validation {
      subjectAltNames = List.copyOf(subjectAltNames);
    }
  }

  /** Server side: certificate, and client validation for mTLS. */
  public record Downstream(Certificate certificate, Validation validation) {

    /**
     * A listener's server TLS (VirtualNode or VirtualGateway; ACM was rejected by the model): the
     * certificate from files or SDS and, when the listener validates clients, the trust's file or
     * SDS name with the exact SANs to accept.
     */
    public static Downstream of(Tls.ListenerCertificate c, boolean validates, Tls.FileTrust file, Tls.SdsTrust sds,
        SubjectAlternativeNames sans) {
      Certificate cert = c.file() != null
          ? new Certificate(c.file().certificateChain(), c.file().privateKey(), null)
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
}
