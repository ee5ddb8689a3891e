package io.appmeshxds.server.webhook;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
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
 */
public final class ServingTls {
  private final AtomicReference<X509KeyManager> current = new AtomicReference<>();
  private final AtomicReference<String> loadedPem = new AtomicReference<>();
  private final SSLContext context;

  public ServingTls() {
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new javax.net.ssl.KeyManager[] {new Delegate()}, null, null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public SSLContext context() {
    return context;
  }

  /** Whether a certificate is loaded. */
  public boolean ready() {
    return current.get() != null;
  }

  /** Loads a certificate chain and key (PEM); returns false when it is the one already loaded. */
  public boolean load(String certPem, String keyPem) {
    if (certPem.equals(loadedPem.get())) {
      return false;
    }
    try {
      PrivateKey key = Certificates.privateKey(keyPem);
      X509Certificate[] chain = Certificates.certificates(certPem).toArray(X509Certificate[]::new);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("webhook", key, new char[0], chain);
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(ks, new char[0]);
      current.set((X509KeyManager) f.getKeyManagers()[0]);
      loadedPem.set(certPem);
      return true;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot load the webhook certificate: " + e.getMessage(), e);
    }
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
      X509KeyManager k = km();
      return k == null ? null : k.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      X509KeyManager k = km();
      return k == null ? null : k.getPrivateKey(alias);
    }
  }
}
