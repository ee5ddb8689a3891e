package io.appmeshxds.translator.plan;

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
  public record Downstream(Certificate certificate, Validation validation) {}

  /**
   * Client side.
   *
   * @param sni server name
   * @param validation server validation, or null to encrypt without validating
   * @param certificate client certificate (mTLS), or null
   */
  public record Upstream(String sni, Validation validation, Certificate certificate) {}
}
