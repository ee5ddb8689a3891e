package io.appmeshxds.server.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS Certificate Manager and ACM Private CA on loopback, speaking their JSON protocol (awsJson1.1:
 * {@code POST /}, {@code X-Amz-Target: CertificateManager.<Operation>} or
 * {@code ACMPrivateCA.<Operation>}, {@code Content-Type: application/x-amz-json-1.1}, errors as HTTP
 * 400/5xx with {@code {"__type":"…","message":"…"}}), for the real SDK clients that {@link AwsClients}
 * builds with endpoint overrides. Binds 127.0.0.1 on a port the OS chooses.
 *
 * <p>It issues real certificates: a CA per CA ARN (self-signed root), leaf certificates signed by
 * it, and it exports a leaf's key as ACM does, an encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE
 * KEY}, PBES2 with AES-256-CBC and PBKDF2, OpenSSL's default form) under the passphrase of the
 * request, so the decryption path runs for real. Operations: ExportCertificate,
 * DescribeCertificate, GetCertificateAuthorityCertificate. Why BouncyCastle here: the JDK has no
 * public API to build an X.509 certificate or to write an encrypted PKCS#8 key, and BouncyCastle is
 * already on the test classpath (through fabric8's mock server); production code decrypts with the
 * JDK alone, so a second implementation on the encrypting side is the better test.
 */
public final class FakeAcm implements AutoCloseable {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** BouncyCastle's provider, for its PKCS#5 padding name only; never registered in the JVM. */
  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  /** A CA: its ARN, key pair and (self-signed) certificate. */
  public record Ca(String arn, KeyPair keys, X509Certificate certificate) {
    public String pem() {
      return FakeAcm.pem(certificate);
    }
  }

  /** An issued leaf certificate. */
  public record Issued(String arn, Ca ca, KeyPair keys, X509Certificate certificate, Instant notAfter) {
    public String pem() {
      return FakeAcm.pem(certificate);
    }

    /** The key's PKCS#8 DER (what must never leak). */
    public byte[] keyDer() {
      return keys.getPrivate().getEncoded();
    }
  }

  /** A scripted error for an operation. */
  public record Failure(int status, String type, String message) {}

  private final HttpServer server;
  private final Map<String, Ca> cas = new ConcurrentHashMap<>();
  private final Map<String, Issued> certificates = new ConcurrentHashMap<>();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private final List<String> passphrases = new CopyOnWriteArrayList<>();
  private final List<String> keyPems = new CopyOnWriteArrayList<>();
  private volatile String keyAlgorithm = "RSA";
  private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

  public FakeAcm() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The config's {@code aws} section pointing ACM and ACM PCA here. */
  public ControlPlaneConfig.Aws config() {
    return new ControlPlaneConfig.Aws("us-west-2", new ControlPlaneConfig.AwsEndpoints("", url(), url()), null,
        new ControlPlaneConfig.AwsAcm(1800, 5));
  }

  /** Clients from {@link AwsClients} with test credentials. */
  public AwsClients clients() {
    return new AwsClients(config(), StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "fake")));
  }

  /** The time certificates are issued at. */
  public void now(Instant t) {
    now = t;
  }

  /** {@code RSA} (2048) or {@code EC} (P-256) for the keys issued from now on. */
  public void keyAlgorithm(String alg) {
    keyAlgorithm = alg;
  }

  /** A new root CA (replacing any CA of that ARN: a CA rotation). */
  public Ca ca(String arn) {
    try {
      KeyPair kp = keyPair();
      X500Name name = new X500Name("CN=" + arn.substring(arn.lastIndexOf('/') + 1) + " root " + RANDOM.nextInt(1_000_000)
          + ",O=App Mesh Examples");
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(3600)),
          Date.from(now.plusSeconds(10L * 365 * 86_400)), name, kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      Ca ca = new Ca(arn, kp, sign(b, kp.getPrivate()));
      cas.put(arn, ca);
      return ca;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Issues (or renews: a new key and certificate) the certificate of {@code arn} for {@code dnsName}, valid 395 days. */
  public Issued issue(String arn, Ca ca, String dnsName) {
    return issue(arn, ca, dnsName, java.time.Duration.ofDays(395));
  }

  /** As {@link #issue(String, Ca, String)}, valid for {@code validity} from {@link #now(Instant)}. */
  public Issued issue(String arn, Ca ca, String dnsName, java.time.Duration validity) {
    try {
      KeyPair kp = keyPair();
      Instant notAfter = now.plus(validity);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(now.minusSeconds(60)),
          Date.from(notAfter), new X500Name("CN=" + dnsName), kp.getPublic());
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      Issued i = new Issued(arn, ca, kp, sign(b, ca.keys().getPrivate()), notAfter);
      certificates.put(arn, i);
      return i;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The current certificate of an ARN. */
  public Issued issued(String arn) {
    return certificates.get(arn);
  }

  /** Answers every call of {@code operation} with this error until {@link #heal} (null heals it). */
  public void fail(String operation, Failure f) {
    if (f == null) {
      failures.remove(operation);
    } else {
      failures.put(operation, f);
    }
  }

  public void heal(String operation) {
    failures.remove(operation);
  }

  /** Operations called, in order ({@code ExportCertificate arn}, …). */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /**
   * Every call as {@code <X-Amz-Target> <ARN>} ({@code CertificateManager.ExportCertificate arn},
   * {@code ACMPrivateCA.GetCertificateAuthorityCertificate arn}): which service, hence which IAM
   * action prefix.
   */
  public List<String> targets() {
    return List.copyOf(targets);
  }

  public long count(String operation) {
    return calls.stream().filter(c -> c.startsWith(operation + " ")).count();
  }

  /** Every passphrase ExportCertificate was called with, failed calls included. */
  public List<String> passphrases() {
    return List.copyOf(passphrases);
  }

  /** Every encrypted key PEM it returned. */
  public List<String> encryptedKeys() {
    return List.copyOf(keyPems);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String target = x.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
      if (target == null || !target.contains(".")) {
        send(x, 400, error("UnknownOperationException", "no X-Amz-Target"));
        return;
      }
      String op = target.substring(target.indexOf('.') + 1);
      String service = target.substring(0, target.indexOf('.'));
      String arn = body.path(op.equals("GetCertificateAuthorityCertificate") ? "CertificateAuthorityArn" : "CertificateArn").asString("");
      calls.add(op + " " + arn);
      targets.add(target + " " + arn);
      if (op.equals("ExportCertificate") && body.has("Passphrase")) {
        // Recorded before any scripted failure: a failed call's passphrase must not leak either.
        passphrases.add(new String(Base64.getDecoder().decode(body.path("Passphrase").asString("")), StandardCharsets.US_ASCII));
      }
      Failure f = failures.get(op);
      if (f != null) {
        send(x, f.status(), error(f.type(), f.message()));
        return;
      }
      switch (service + "." + op) {
        case "CertificateManager.ExportCertificate" -> export(x, arn, body);
        case "CertificateManager.DescribeCertificate" -> describe(x, arn);
        case "ACMPrivateCA.GetCertificateAuthorityCertificate" -> caCertificate(x, arn);
        default -> send(x, 400, error("UnknownOperationException", "unknown operation " + target));
      }
    } catch (Exception e) {
      send(x, 500, error("InternalFailure", e.getClass().getSimpleName()));
    }
  }

  private void export(HttpExchange x, String arn, JsonNode body) throws Exception {
    Issued i = certificates.get(arn);
    if (i == null) {
      send(x, 400, error("ResourceNotFoundException", "Could not find certificate " + arn + "."));
      return;
    }
    String pass = new String(Base64.getDecoder().decode(body.path("Passphrase").asString("")), StandardCharsets.US_ASCII);
    if (pass.length() < 4 || pass.matches(".*[#$%].*")) {
      send(x, 400, error("ValidationException", "invalid passphrase"));
      return;
    }
    OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
        .setPRF(JcaPKCS8Generator.PRF_HMACSHA256).setIterationCount(2048).setRandom(RANDOM).setProvider(BC)
        .setPassword(pass.toCharArray()).build();
    String keyPem = pemOf(new JcaPKCS8Generator(i.keys().getPrivate(), enc).generate());
    keyPems.add(keyPem);
    ObjectNode out = JSON.createObjectNode();
    out.put("Certificate", i.pem());
    out.put("CertificateChain", i.ca().pem());
    out.put("PrivateKey", keyPem);
    send(x, 200, out.toString());
  }

  private void describe(HttpExchange x, String arn) throws IOException {
    Issued i = certificates.get(arn);
    if (i == null) {
      send(x, 400, error("ResourceNotFoundException", "Could not find certificate " + arn + "."));
      return;
    }
    ObjectNode c = JSON.createObjectNode();
    c.put("CertificateArn", arn);
    c.put("DomainName", i.certificate().getSubjectX500Principal().getName());
    c.put("Serial", i.certificate().getSerialNumber().toString(16));
    c.put("NotBefore", i.certificate().getNotBefore().getTime() / 1000.0);
    c.put("NotAfter", i.certificate().getNotAfter().getTime() / 1000.0);
    c.put("Status", "ISSUED");
    c.put("Type", "PRIVATE");
    c.put("KeyAlgorithm", keyAlgorithm.equals("EC") ? "EC_prime256v1" : "RSA_2048");
    c.put("CertificateAuthorityArn", i.ca().arn());
    ObjectNode out = JSON.createObjectNode();
    out.set("Certificate", c);
    send(x, 200, out.toString());
  }

  private void caCertificate(HttpExchange x, String arn) throws IOException {
    Ca ca = cas.get(arn);
    if (ca == null) {
      send(x, 400, error("ResourceNotFoundException", "Could not find certificate authority " + arn + "."));
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("Certificate", ca.pem());
    // A root CA has no chain: the field is left out, as the API does.
    send(x, 200, out.toString());
  }

  private static String error(String type, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("__type", type);
    e.put("message", message);
    return e.toString();
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    x.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  private KeyPair keyPair() throws Exception {
    if (keyAlgorithm.equals("EC")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
    String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
  }

  static String pem(Object o) {
    return pemOf(o);
  }

  private static String pemOf(Object o) {
    try {
      StringWriter w = new StringWriter();
      try (JcaPEMWriter p = new JcaPEMWriter(w)) {
        p.writeObject(o);
      }
      return w.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encrypts {@code key} as ACM would, with a chosen PRF (for the decryption tests). */
  static String encrypt(PrivateKey key, char[] pass, org.bouncycastle.asn1.x509.AlgorithmIdentifier prf,
      org.bouncycastle.asn1.ASN1ObjectIdentifier cipher) throws Exception {
    OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(cipher).setPRF(prf).setIterationCount(2048).setRandom(RANDOM).setProvider(BC)
        .setPassword(pass).build();
    return pemOf(new JcaPKCS8Generator(key, enc).generate());
  }

  /** Whether {@code pem} is an encrypted PKCS#8 PEM (the form ACM exports) that BouncyCastle reads back. */
  static boolean isEncryptedPkcs8(String pem) throws Exception {
    return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        && new PKCS8EncryptedPrivateKeyInfo(AcmKeys.pem(pem, "ENCRYPTED PRIVATE KEY")).getEncryptionAlgorithm() != null;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
