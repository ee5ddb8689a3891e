package io.appmeshxds.translator.input;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.pcollections.PSortedMap;

/**
 * What the server fetched from AWS Certificate Manager for the ARNs the mesh references: exported
 * certificates (with their private keys) and ACM Private CA certificates. Translation reads these
 * like any other input and never calls AWS. Each entry is an input object with a ref of its own
 * ({@link #certificateRef}, {@link #authorityRef}), so a renewal changes exactly the proxies that
 * use it.
 *
 * <p>Nothing here prints key material: {@code toString} names the ARN and a fingerprint of the
 * certificate only.
 */
public final class AcmMaterial {
  private AcmMaterial() {}

  /** Ref kind of an exported ACM certificate (name: its ARN). */
  public static final String CERTIFICATE_KIND = "AcmCertificate";
  /** Ref kind of an ACM Private CA's certificate (name: the CA's ARN). */
  public static final String AUTHORITY_KIND = "AcmCertificateAuthority";

  /** Upper bound of a PEM field we accept (a certificate with its chain, or a key). */
  public static final int MAX_PEM_CHARS = 64 * 1024;

  public static ObjectRef certificateRef(String arn) {
    return new ObjectRef(CERTIFICATE_KIND, null, arn);
  }

  public static ObjectRef authorityRef(String arn) {
    return new ObjectRef(AUTHORITY_KIND, null, arn);
  }

  /**
   * A private key in PEM (unencrypted PKCS#8). Equal by content; {@code toString} never shows it.
   * Why a ByteString: the Secret proto shares the same immutable bytes, so the process holds one
   * copy of the key per certificate, not one per proxy.
   */
  public static final class PrivateKey {
    private final ByteString pem;

    public PrivateKey(ByteString pem) {
      this.pem = pem;
    }

    /** The PEM bytes, to put in a Secret proto (and nowhere else). */
    public ByteString pem() {
      return pem;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PrivateKey k && k.pem.equals(pem);
    }

    @Override
    public int hashCode() {
      return pem.hashCode();
    }

    @Override
    public String toString() {
      return "[redacted]";
    }
  }

  /**
   * An exported certificate.
   *
   * @param arn the certificate's ARN
   * @param certificate the certificate, PEM
   * @param chain the issuing chain as ACM returns it (intermediates, root last), PEM; "" when none
   * @param privateKey the private key, decrypted
   */
  public record Certificate(String arn, String certificate, String chain, PrivateKey privateKey) {
    public Certificate {
      chain = chain == null ? "" : chain;
      if (arn == null || certificate == null || privateKey == null) {
        throw new IllegalArgumentException("an ACM certificate needs its ARN, certificate and key");
      }
    }

    /** The certificate followed by its chain: what a server presents. */
    public String certificateChain() {
      return chain.isEmpty() ? certificate : certificate.endsWith("\n") ? certificate + chain : certificate + "\n" + chain;
    }

    /**
     * The last certificate of the chain (the root the certificate chains up to, as ACM orders it),
     * or the certificate itself when it has no chain.
     */
    public String root() {
      String all = chain.isEmpty() ? certificate : chain;
      int i = all.lastIndexOf("-----BEGIN CERTIFICATE-----");
      return i < 0 ? all : all.substring(i).strip() + "\n";
    }

    @Override
    public String toString() {
      return "AcmCertificate[" + arn + ", sha256:" + fingerprint(certificate) + ", key [redacted]]";
    }
  }

  /**
   * An ACM Private CA's certificate, as {@code GetCertificateAuthorityCertificate} returns it.
   *
   * @param arn the CA's ARN
   * @param certificate the CA's certificate, PEM
   * @param chain the chain above it (empty for a root CA), PEM
   */
  public record Authority(String arn, String certificate, String chain) {
    public Authority {
      chain = chain == null ? "" : chain;
    }

    /** The CA certificate and its chain: the trusted bundle. */
    public String bundle() {
      return chain.isEmpty() ? certificate : certificate.endsWith("\n") ? certificate + chain : certificate + "\n" + chain;
    }
  }

  /**
   * Everything fetched, by ARN.
   *
   * @param certificates exported certificates by certificate ARN
   * @param authorities CA certificates by CA ARN
   */
  public record Fetched(SortedMap<String, Certificate> certificates, SortedMap<String, Authority> authorities) {
    public static final Fetched NONE = new Fetched(new TreeMap<>(), new TreeMap<>());

    public Fetched {
      certificates = certificates instanceof PSortedMap ? certificates : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(certificates));
      authorities = authorities instanceof PSortedMap ? authorities : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(authorities));
    }

    /** Refs of the entries that differ between {@code a} and {@code b}. */
    static void diff(Fetched a, Fetched b, java.util.function.Consumer<ObjectRef> out) {
      diff(a.certificates, b.certificates, AcmMaterial::certificateRef, out);
      diff(a.authorities, b.authorities, AcmMaterial::authorityRef, out);
    }

    private static <V> void diff(Map<String, V> a, Map<String, V> b, java.util.function.Function<String, ObjectRef> ref,
        java.util.function.Consumer<ObjectRef> out) {
      if (a == b) {
        return;
      }
      java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (String k : keys) {
        if (!java.util.Objects.equals(a.get(k), b.get(k))) {
          out.accept(ref.apply(k));
        }
      }
    }
  }

  /** First 8 bytes of the SHA-256 of a (public) PEM text, hex: enough to tell two certificates apart in a log. */
  public static String fingerprint(String publicPem) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(publicPem.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
