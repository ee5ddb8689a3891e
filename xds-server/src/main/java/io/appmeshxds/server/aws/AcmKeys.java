package io.appmeshxds.server.aws;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The key handling of an ACM export, with the JDK only: a passphrase for {@code ExportCertificate},
 * the decryption of the key ACM returns (an encrypted PKCS#8 PEM, {@code ENCRYPTED PRIVATE KEY}),
 * and the check that the key belongs to the certificate.
 *
 * <p>Why decrypt here rather than hand Envoy the encrypted key and its {@code password}: the
 * password would travel in the same Secret as the key, so it protects nothing on the way, and the
 * passphrase would have to outlive the call that chose it; and an unencrypted PKCS#8 key is read by
 * every Envoy build, where encrypted PKCS#8 depends on which PBES2 ciphers its BoringSSL accepts.
 * The key is exposed the same either way: to this process and to the proxy that serves it.
 *
 * <p>No exception thrown here carries key material or the passphrase: messages name what failed only.
 */
public final class AcmKeys {
  private AcmKeys() {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  /** Key material that could not be used; the message never quotes it. */
  public static final class KeyException extends Exception {
    public KeyException(String message) {
      super(message);
    }
  }

  /**
   * A fresh passphrase for one export: 32 characters from letters and digits (about 190 bits).
   * ExportCertificate accepts any ASCII character except {@code #}, {@code $} and {@code %}; these
   * are safe in any tool. The caller zeroes it when the export is decrypted.
   */
  public static char[] passphrase() {
    char[] p = new char[32];
    for (int i = 0; i < p.length; i++) {
      p[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return p;
  }

  /** The passphrase as the bytes ExportCertificate takes (ASCII). The caller zeroes them after the call. */
  public static byte[] ascii(char[] passphrase) {
    byte[] b = new byte[passphrase.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) passphrase[i];
    }
    return b;
  }

  /**
   * Decrypts ACM's {@code PrivateKey} (PEM {@code ENCRYPTED PRIVATE KEY}) with the export's
   * passphrase and returns it as an unencrypted PKCS#8 PEM ({@code PRIVATE KEY}). Intermediate
   * buffers are zeroed.
   */
  public static ByteString decrypt(String encryptedPem, char[] passphrase) throws KeyException {
    byte[] der = pem(encryptedPem, "ENCRYPTED PRIVATE KEY");
    byte[] pkcs8 = null;
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      // Why the parameters' name: for PBES2 (what OpenSSL and ACM write) the JDK names the scheme
      // only in its parameters, e.g. PBEWithHmacSHA256AndAES_256; the algorithm id is just PBES2.
      String alg = info.getAlgParameters() != null && info.getAlgName().toUpperCase(java.util.Locale.ROOT).contains("PBES2")
          || "1.2.840.113549.1.5.13".equals(info.getAlgName()) ? info.getAlgParameters().toString() : info.getAlgName();
      SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
      PBEKeySpec spec = new PBEKeySpec(passphrase);
      SecretKey k = f.generateSecret(spec);
      spec.clearPassword();
      Cipher c = Cipher.getInstance(alg);
      c.init(Cipher.DECRYPT_MODE, k, info.getAlgParameters());
      PKCS8EncodedKeySpec plain = info.getKeySpec(c);
      pkcs8 = plain.getEncoded();
      byte[] pem = toPem(pkcs8, "PRIVATE KEY");
      ByteString out = ByteString.copyFrom(pem);
      Arrays.fill(pem, (byte) 0);
      return out;
    } catch (java.io.IOException | GeneralSecurityException e) {
      // Why only the class: a provider's message could quote parameters; none is needed to act.
      throw new KeyException("cannot decrypt the exported private key (" + e.getClass().getSimpleName() + ")");
    } finally {
      Arrays.fill(der, (byte) 0);
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  /** Parses every certificate of a PEM text; at least one. */
  public static List<X509Certificate> certificates(String pem) throws KeyException {
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c : f.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new KeyException("no certificate in the PEM text");
      }
      return out;
    } catch (CertificateException e) {
      throw new KeyException("not a PEM certificate (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Checks that {@code pkcs8Pem} is the private key of {@code certificate}: it signs a random
   * challenge that the certificate's public key verifies (RSA or ECDSA, the key types ACM Private
   * CA issues).
   */
  public static void checkPair(X509Certificate certificate, ByteString pkcs8Pem) throws KeyException {
    byte[] der = pem(pkcs8Pem.toString(StandardCharsets.US_ASCII), "PRIVATE KEY");
    try {
      PublicKey pub = certificate.getPublicKey();
      String alg = pub.getAlgorithm();
      PrivateKey key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      String sig = switch (alg) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        default -> throw new KeyException("unsupported key algorithm " + alg + " (ACM Private CA issues RSA and ECDSA keys)");
      };
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature s = Signature.getInstance(sig);
      s.initSign(key);
      s.update(challenge);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(sig);
      v.initVerify(pub);
      v.update(challenge);
      if (!v.verify(signature)) {
        throw new KeyException("the exported private key does not belong to the certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new KeyException("the exported private key does not fit the certificate (" + e.getClass().getSimpleName() + ")");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** The DER inside one PEM block of {@code label}. */
  static byte[] pem(String text, String label) throws KeyException {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = text == null ? -1 : text.indexOf(begin);
    int e = b < 0 ? -1 : text.indexOf(end, b);
    if (b < 0 || e < 0) {
      throw new KeyException("expected a PEM block " + label);
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException x) {
      throw new KeyException("the PEM block " + label + " is not base64");
    }
  }

  /** PEM of {@code der}, built in bytes (no String holds the key); the base64 buffer is zeroed. */
  private static byte[] toPem(byte[] der, String label) {
    byte[] head = ("-----BEGIN " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
    byte[] out = new byte[head.length + body.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
    Arrays.fill(body, (byte) 0);
    return out;
  }
}
