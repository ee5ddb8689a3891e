package io.appmeshxds.server.testing;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made with BouncyCastle: a CA, server certificates (DNS and IP SANs) and SPIFFE
 * client certificates, written as PEM files. Every private key written is remembered, so a test can
 * grep output for key material.
 */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate, its key, and where they were written. */
  public record Issued(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final List<String> keyPems = new ArrayList<>();
  public final Path caFile;

  public TestPki(Path dir, String name) throws Exception {
    this.dir = dir;
    caKeys = keys();
    X500Name n = new X500Name("CN=" + name);
    var b = new JcaX509v3CertificateBuilder(n, serial(), Date.from(Instant.now().minus(Duration.ofMinutes(5))),
        Date.from(Instant.now().plus(Duration.ofDays(2))), n, caKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    ca = sign(b, caKeys.getPrivate());
    caFile = dir.resolve(name + "-ca.pem");
    Files.writeString(caFile, pem(ca));
  }

  public X509Certificate ca() {
    return ca;
  }

  /** A server certificate for {@code localhost} and 127.0.0.1, written to {@code <base>.crt/.key} (overwriting). */
  public Issued server(String base) throws Exception {
    return issue(base, "localhost", List.of(new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")), KeyPurposeId.id_kp_serverAuth);
  }

  /**
   * As {@link #server(String)}, with an RSA 2048 key written as PKCS#1 ({@code RSA PRIVATE KEY}),
   * cert-manager's default key algorithm and encoding.
   */
  public Issued serverRsaPkcs1(String base) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return issue(base, "localhost", List.of(new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")), KeyPurposeId.id_kp_serverAuth, g.generateKeyPair(), true);
  }

  /** A client certificate whose one SAN is this URI (e.g. a SPIFFE ID). */
  public Issued client(String base, String uri) throws Exception {
    return issue(base, base, List.of(new GeneralName(GeneralName.uniformResourceIdentifier, uri)), KeyPurposeId.id_kp_clientAuth);
  }

  /**
   * What to grep for, per private key this PKI wrote: the PEM body (base64, one line) and its last
   * 40 characters (the key-specific part; the first ones are the same ASN.1 header for every key).
   */
  public List<String> keyBodies() {
    List<String> out = new ArrayList<>();
    for (String p : keyPems) {
      StringBuilder body = new StringBuilder();
      for (String line : p.split("\n")) {
        if (!line.startsWith("-----")) {
          body.append(line.trim());
        }
      }
      out.add(body.toString());
      out.add(body.substring(body.length() - 40));
    }
    return out;
  }

  private Issued issue(String base, String cn, List<GeneralName> sans, KeyPurposeId purpose) throws Exception {
    return issue(base, cn, sans, purpose, keys(), false);
  }

  private Issued issue(String base, String cn, List<GeneralName> sans, KeyPurposeId purpose, KeyPair kp, boolean pkcs1)
      throws Exception {
    var b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(Instant.now().minus(Duration.ofMinutes(5))),
        Date.from(Instant.now().plus(Duration.ofDays(1))), new X500Name("CN=" + cn), kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
    X509Certificate cert = sign(b, caKeys.getPrivate());
    Path c = dir.resolve(base + ".crt");
    Path k = dir.resolve(base + ".key");
    String keyPem = pkcs1 ? traditional(kp.getPrivate()) : pem(kp.getPrivate());
    keyPems.add(keyPem);
    // Written as a rotation tool would: to a temporary file, then renamed over the old one.
    write(c, pem(cert));
    write(k, keyPem);
    return new Issued(cert, kp.getPrivate(), c, k);
  }

  private static void write(Path p, String text) throws Exception {
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static String traditional(PrivateKey k) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(k);
    }
    return w.toString();
  }

  static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
    }
    return w.toString();
  }
}
