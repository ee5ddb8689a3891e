package io.appmeshxds.translator.plan;

import io.appmeshxds.translator.input.AcmMaterial;
import java.util.List;

/**
 * A secret we serve over ADS (SDS resources on the proxy's own stream): an ACM certificate with
 * its key, or a trust bundle from ACM Private CA (or the root of an ACM certificate's chain). A
 * proxy's plan holds exactly the secrets its listeners and clusters refer to, so no proxy receives
 * another one's key, and a renewal changes the secret and nothing that refers to it (references
 * are by name, and names depend on ARNs only). {@code toString} never shows key material.
 */
public sealed interface SecretPlan {

  /** Which secret a TLS context refers to; the name is minted from it in the xds stage. */
  sealed interface Ref {
    /** An ACM certificate and its key. */
    record CertificateRef(String arn) implements Ref {}

    /** The certificates of ACM Private CAs (1–3, in the order written). */
    record AuthoritiesRef(List<String> arns) implements Ref {
      public AuthoritiesRef {
        arns = List.copyOf(arns);
      }
    }

    /** The root of an ACM certificate's chain (the trust of clients of a server with that certificate). */
    record RootRef(String certificateArn) implements Ref {}
  }

  Ref ref();

  /** A server (or client) certificate with its key. */
  record Certificate(Ref.CertificateRef ref, AcmMaterial.Certificate material) implements SecretPlan {}

  /**
   * A validation context: trusted CA certificates, PEM.
   *
   * @param bundle the CA certificates (each with its chain), concatenated in the order of the reference
   */
  record Trust(Ref ref, String bundle) implements SecretPlan {}
}
