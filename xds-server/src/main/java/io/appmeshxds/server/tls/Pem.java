package io.appmeshxds.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
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
 * file must name the file, never its content.
 */
final class Pem {
  private Pem() {}

  static List<X509Certificate> certificates(byte[] pem, String what) {
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

  static PrivateKey privateKey(byte[] pem, String what) {
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
}
