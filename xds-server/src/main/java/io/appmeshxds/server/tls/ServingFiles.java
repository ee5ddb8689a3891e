package io.appmeshxds.server.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port's TLS identity from PEM files: certificate chain, private key and, for client
 * certificates, a CA bundle. Every handshake first checks (at most once per {@code checkMillis})
 * whether a file changed and, if so, loads it; a connection made after a rotation gets the new
 * certificate, established connections keep their session. A file that does not load (half
 * written, key not matching the certificate) is logged once and the previous material stays.
 *
 * <p>Why a key manager instead of a fixed {@code SslContext}: gRPC's Netty server builds its
 * context once; a key manager is asked on each handshake. Each generation has its own alias so a
 * handshake never pairs one generation's chain with another's key.
 */
public final class ServingFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ServingFiles.class);

  /** Whether and how a client certificate is asked for. */
  public enum ClientAuth {
    /** Not asked for. */
    NONE,
    /** Asked for and verified when sent; clients without one are let through (to other authentication). */
    OPTIONAL,
    /** Required: the handshake fails without a certificate the CA bundle verifies. */
    REQUIRE;

    public static ClientAuth parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "none" -> NONE;
        case "optional" -> OPTIONAL;
        case "require", "required" -> REQUIRE;
        default -> throw new IllegalArgumentException("client auth must be none, optional or require, got " + s);
      };
    }
  }

  /**
   * The files.
   *
   * @param cert PEM certificate chain, leaf first
   * @param key PEM private key
   * @param clientCa PEM CA bundle that verifies client certificates, or null
   * @param clientAuth NONE without a CA bundle; OPTIONAL or REQUIRE with one
   */
  public record Files(Path cert, Path key, Path clientCa, ClientAuth clientAuth) {
    public Files {
      if (cert == null || key == null) {
        throw new IllegalArgumentException("a TLS certificate needs both a certificate file and a key file");
      }
      clientAuth = clientAuth == null ? (clientCa == null ? ClientAuth.NONE : ClientAuth.REQUIRE) : clientAuth;
      if (clientAuth != ClientAuth.NONE && clientCa == null) {
        throw new IllegalArgumentException("client auth " + clientAuth.name().toLowerCase(Locale.ROOT)
            + " needs a client CA bundle");
      }
    }
  }

  private record Identity(String alias, X509Certificate[] chain, PrivateKey key, byte[] digest) {}

  private final String port;
  private final Files files;
  private final long checkMillis;
  private final LongSupplier clock;
  private final Counter reloaded;
  private final Counter failed;
  private final AtomicLong lastCheck = new AtomicLong(Long.MIN_VALUE / 2);
  private final Map2 identities = new Map2();
  private volatile Identity identity;
  private volatile X509ExtendedTrustManager trust;
  private volatile byte[] trustDigest;
  private volatile String lastError;
  private long generation;

  /**
   * Loads the files now; throws {@link IllegalArgumentException} with a message naming the file
   * (never its content) when they do not load.
   *
   * @param port the port's name for logs and metrics ({@code xds}, {@code als}, {@code webhook})
   */
  public ServingFiles(String port, Files files, MeterRegistry metrics, long checkMillis, LongSupplier clockMillis) {
    this.port = port;
    this.files = files;
    this.checkMillis = checkMillis;
    this.clock = clockMillis;
    this.reloaded = Counter.builder("appmeshxds_tls_reloads_total").description("TLS files loaded after a change, by port")
        .tag("port", port).tag("result", "ok").register(metrics);
    this.failed = Counter.builder("appmeshxds_tls_reloads_total").description("TLS files loaded after a change, by port")
        .tag("port", port).tag("result", "error").register(metrics);
    reload(true);
    Gauge.builder("appmeshxds_tls_certificate_expiry_seconds", this, s -> s.identity.chain()[0].getNotAfter().getTime() / 1000.0)
        .description("Expiry (Unix time) of the certificate a port serves").tag("port", port).register(metrics);
  }

  public ServingFiles(String port, Files files, MeterRegistry metrics) {
    this(port, files, metrics, 1000, System::currentTimeMillis);
  }

  /** gRPC server credentials serving these files. */
  public ServerCredentials credentials() {
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(new KeyManager());
    if (files.clientAuth() != ClientAuth.NONE) {
      b.trustManager(new TrustManager()).clientAuth(files.clientAuth() == ClientAuth.REQUIRE
          ? TlsServerCredentials.ClientAuth.REQUIRE : TlsServerCredentials.ClientAuth.OPTIONAL);
    }
    return b.build();
  }

  /** A JDK SSL context serving these files (for HTTPS servers such as the webhook's). */
  public SSLContext sslContext() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(new javax.net.ssl.KeyManager[] {new KeyManager()},
          files.clientAuth() == ClientAuth.NONE ? null : new javax.net.ssl.TrustManager[] {new TrustManager()}, null);
      return c;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Files files() {
    return files;
  }

  /** The certificate served now (leaf). */
  public X509Certificate certificate() {
    return identity.chain()[0];
  }

  /** Checks the files now (also done lazily on handshakes); returns whether anything new was loaded. */
  public boolean checkNow() {
    lastCheck.set(clock.getAsLong());
    return reload(false);
  }

  private void maybeCheck() {
    long now = clock.getAsLong();
    long last = lastCheck.get();
    if (now - last >= checkMillis && lastCheck.compareAndSet(last, now)) {
      reload(false);
    }
  }

  private synchronized boolean reload(boolean first) {
    boolean changed = false;
    try {
      byte[] cert = read(files.cert(), "certificate");
      byte[] key = read(files.key(), "key");
      byte[] digest = digest(cert, key);
      Identity cur = identity;
      if (cur == null || !Arrays.equals(cur.digest(), digest)) {
        List<X509Certificate> chain = Pem.certificates(cert, "TLS certificate " + files.cert());
        PrivateKey pk = Pem.privateKey(key, "TLS key " + files.key());
        Pem.checkPair(chain.get(0), pk, "TLS key " + files.key(), "the certificate " + files.cert());
        Identity next = new Identity(port + "-" + (++generation), chain.toArray(X509Certificate[]::new), pk, digest);
        identities.put(next);
        identity = next;
        changed = true;
        if (!first) {
          LOG.info("{} TLS: loaded a new certificate from {} (subject {}, expires {})", port, files.cert(),
              next.chain()[0].getSubjectX500Principal(), next.chain()[0].getNotAfter().toInstant());
        }
      }
      if (files.clientCa() != null) {
        byte[] ca = read(files.clientCa(), "client CA bundle");
        byte[] caDigest = digest(ca, new byte[0]);
        if (trust == null || !Arrays.equals(trustDigest, caDigest)) {
          trust = trustManager(Pem.certificates(ca, "client CA bundle " + files.clientCa()));
          trustDigest = caDigest;
          changed = true;
          if (!first) {
            LOG.info("{} TLS: loaded a new client CA bundle from {}", port, files.clientCa());
          }
        }
      }
      if (changed && !first) {
        reloaded.increment();
      }
      lastError = null;
      return changed;
    } catch (IllegalArgumentException e) {
      if (first) {
        throw e;
      }
      failed.increment();
      if (!e.getMessage().equals(lastError)) {
        lastError = e.getMessage();
        LOG.warn("{} TLS: {}; still serving the previous certificate", port, e.getMessage());
      }
      return false;
    }
  }

  private static byte[] read(Path p, String what) {
    try {
      return java.nio.file.Files.readAllBytes(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the TLS " + what + " " + p + ": " + e.getClass().getSimpleName());
    }
  }

  private static byte[] digest(byte[] a, byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(a);
      d.update((byte) 0);
      d.update(b);
      return d.digest();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509ExtendedTrustManager trustManager(List<X509Certificate> cas) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : cas) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(ks);
      for (var tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("client CA bundle: cannot build a trust store (" + e.getClass().getSimpleName() + ")");
    }
    throw new IllegalStateException("no X509 trust manager");
  }

  /** The current and the previous generation by alias (a handshake may straddle a reload). */
  private static final class Map2 {
    private final ConcurrentHashMap<String, Identity> m = new ConcurrentHashMap<>();
    private String previous;

    synchronized void put(Identity i) {
      if (previous != null) {
        m.keySet().removeIf(k -> !k.equals(previous));
      }
      m.put(i.alias(), i);
      previous = i.alias();
    }

    Identity get(String alias) {
      return alias == null ? null : m.get(alias);
    }
  }

  private final class KeyManager extends X509ExtendedKeyManager {
    private String alias(String keyType) {
      maybeCheck();
      Identity i = identity;
      String alg = i.key().getAlgorithm();
      if (keyType == null || keyType.equals(alg) || keyType.startsWith(alg + "_")
          || (alg.equals("EC") && keyType.startsWith("EC")) || (alg.equals("RSA") && keyType.startsWith("RSA"))) {
        return i.alias();
      }
      return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      String a = alias(keyType);
      return a == null ? null : new String[] {a};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Identity i = identities.get(alias);
      return i == null ? null : i.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Identity i = identities.get(alias);
      return i == null ? null : i.key();
    }
  }

  private final class TrustManager extends X509ExtendedTrustManager {
    private X509ExtendedTrustManager t() {
      maybeCheck();
      return trust;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      t().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      t().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      t().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("server certificates are not checked here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      X509TrustManager x = trust;
      return x.getAcceptedIssuers();
    }
  }
}
