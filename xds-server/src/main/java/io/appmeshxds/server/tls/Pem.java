package io.appmeshxds.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM certificates and private keys. Keys may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}, cert-manager's default encoding) or SEC1 ({@code EC PRIVATE KEY}).
 *
 * <p>Why our own messages: parser exceptions can quote what they failed on; an error about a key
 * file must name the file, never its content. Used by the xDS/ALS ports' files ({@link ServingFiles})
 * and the injection webhook's serving certificate.
 */
public final class Pem {
  private Pem() {}

  /** The certificates of a PEM text, leaf first; {@code what} names it in the message of the exception thrown when there are none. */
  public static List<X509Certificate> certificates(byte[] pem, String what) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
    } catch (Exception e) {
      throw new IllegalArgumentException(what + ": not PEM certificates");
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(what + ": no certificate in the file");
    }
    return out;
  }

  /** The private key of a PEM text; {@code what} names it in the message of the exception thrown when there is none. */
  public static PrivateKey privateKey(byte[] pem, String what) {
    try (PEMParser p = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      for (Object o; (o = p.readObject()) != null; ) {
        if (o instanceof PEMKeyPair kp) {
          return conv.getKeyPair(kp).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) {
          return conv.getPrivateKey(info);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(what + ": not a readable PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted)");
    }
    throw new IllegalArgumentException(what + ": no private key in the file");
  }

  /**
   * Refuses a key that does not belong to the certificate (a rotation caught between two writes):
   * signs a probe with the key and verifies it with the certificate's public key.
   *
   * @param keyWhat names the key in the message
   * @param certWhat names the certificate in the message
   */
  public static void checkPair(X509Certificate cert, PrivateKey key, String keyWhat, String certWhat) {
    String alg = switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (alg == null) {
      throw new IllegalArgumentException(keyWhat + ": unsupported key type " + key.getAlgorithm());
    }
    try {
      byte[] probe = "appmesh-xds key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      if (v.verify(sig)) {
        return;
      }
    } catch (Exception e) {
      // falls through: not a pair
    }
    throw new IllegalArgumentException(keyWhat + " does not match " + certWhat);
  }
}
