package io.appmeshxds.server.webhook;

import io.appmeshxds.server.tls.Pem;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The webhook's TLS identity, replaceable while the server runs: each new handshake uses the
 * certificate loaded last (a rotated certificate takes effect without a restart). Before any is
 * loaded, handshakes fail, and the API server applies the webhook's {@code failurePolicy}.
 *
 * <p>A pair is loaded only when the key is the certificate's (a renewal caught between writing
 * {@code tls.crt} and {@code tls.key} is refused, and the previous pair stays). Each load has its
 * own alias, and the previous one is kept, so a handshake that straddles a load gets the chain and
 * the key of the same generation.
 */
public final class ServingTls {
  /** The keys of the pair loaded last, and of the one before (each under its own alias). */
  private final AtomicReference<X509KeyManager> current = new AtomicReference<>();
  private volatile X509KeyManager previous;
  private int generations;
  private final AtomicReference<String> loadedPem = new AtomicReference<>();
  private final SSLContext context;
  private final X509ExtendedKeyManager keyManager = new Delegate();

  public ServingTls() {
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new javax.net.ssl.KeyManager[] {keyManager}, null, null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public SSLContext context() {
    return context;
  }

  /** The key manager handshakes ask (for tests of a handshake that straddles a load). */
  X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  /** Whether a certificate is loaded. */
  public boolean ready() {
    return current.get() != null;
  }

  /**
   * Loads a certificate chain and key (PEM); returns false when it is the one already loaded.
   * Throws {@link IllegalArgumentException} naming {@code tls.crt} or {@code tls.key} and what is
   * wrong, never quoting them, when they are not a certificate and its key; the previous pair stays.
   */
  public synchronized boolean load(String certPem, String keyPem) {
    if (certPem.equals(loadedPem.get())) {
      return false;
    }
    List<X509Certificate> chain = Pem.certificates(certPem.getBytes(StandardCharsets.US_ASCII), "tls.crt");
    PrivateKey key = Pem.privateKey(keyPem.getBytes(StandardCharsets.US_ASCII), "tls.key");
    Pem.checkPair(chain.get(0), key, "tls.key", "the certificate in tls.crt");
    String alias = "webhook-" + ++generations;
    X509KeyManager keys;
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(alias, key, new char[0], chain.toArray(X509Certificate[]::new));
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(ks, new char[0]);
      keys = (X509KeyManager) f.getKeyManagers()[0];
    } catch (Exception e) {
      throw new IllegalArgumentException("tls.crt and tls.key do not make a key store (" + e.getClass().getSimpleName() + ")");
    }
    previous = current.get();
    current.set(keys);
    loadedPem.set(certPem);
    return true;
  }

  /** The loaded certificate's expiry, or null. */
  public java.time.Instant notAfter() {
    String pem = loadedPem.get();
    return pem == null ? null : Certificates.certificates(pem).get(0).getNotAfter().toInstant();
  }

  private final class Delegate extends X509ExtendedKeyManager {
    private X509KeyManager km() {
      return current.get();
    }

    /**
     * The keys of the generation an alias was chosen from: the current or the previous one (asked,
     * not parsed: key manager implementations decorate the key store's alias).
     */
    private X509KeyManager km(String alias) {
      for (X509KeyManager k : new X509KeyManager[] {current.get(), previous}) {
        if (k != null && alias != null && k.getPrivateKey(alias) != null) {
          return k;
        }
      }
      return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      X509KeyManager k = km();
      return k == null ? null : k.chooseServerAlias(keyType, issuers, null);
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
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      X509KeyManager k = km();
      return k == null ? null : k.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      X509KeyManager k = km();
      return k == null ? null : k.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      X509KeyManager k = km(alias);
      return k == null ? null : k.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      X509KeyManager k = km(alias);
      return k == null ? null : k.getPrivateKey(alias);
    }
  }
}
