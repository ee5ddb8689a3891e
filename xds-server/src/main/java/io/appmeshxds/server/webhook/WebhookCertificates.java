package io.appmeshxds.server.webhook;

import io.appmeshxds.tracing.config.Injection;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook's serving certificate current.
 *
 * <p>{@code certificates: generate}: the lease holder keeps a CA and a serving certificate for the
 * Service's DNS names in a {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key},
 * {@code ca.crt}, {@code ca.key}), reissues the serving certificate {@code renewBeforeDays} before
 * it expires, and writes {@code ca.crt} into the {@code caBundle} of the MutatingWebhookConfiguration's
 * webhooks. When the CA itself nears its end a new one is made and the old stays in {@code ca.crt}
 * until it expires, so replicas still serving a certificate of the old CA stay trusted while they
 * reload. Every replica loads the Secret's certificate when it changes.
 *
 * <p>{@code certificates: files}: {@code tls.crt}/{@code tls.key} are read from {@code certDir} (a
 * Secret cert-manager keeps, mounted there; cert-manager's CA injector fills the caBundle) and
 * reloaded when they change.
 *
 * <p>Key material never reaches a log line. Time comes from the given clock; {@link #tick()} runs one
 * round (the schedule calls it every {@link #PERIOD}).
 */
public final class WebhookCertificates implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookCertificates.class);
  static final Duration PERIOD = Duration.ofSeconds(10);
  /** Lifetime of a generated CA. */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);

  private final KubernetesClient client;
  private final String namespace;
  private final Injection.Webhook cfg;
  private final ServingTls tls;
  private final Clock clock;
  private final BooleanSupplier leader;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "webhook-certificates");
    t.setDaemon(true);
    return t;
  });
  private volatile String lastProblem;

  public WebhookCertificates(KubernetesClient client, String namespace, Injection.Webhook cfg, ServingTls tls, Clock clock,
      BooleanSupplier leader) {
    this.client = client;
    this.namespace = namespace;
    this.cfg = cfg;
    this.tls = tls;
    this.clock = clock;
    this.leader = leader;
  }

  public WebhookCertificates start() {
    long[] last = {0};
    timer.scheduleWithFixedDelay(() -> {
      // Every second until a certificate is served (a new replica, or the first lease holder), then every PERIOD.
      if (tls.ready() && System.nanoTime() - last[0] < PERIOD.toNanos()) {
        return;
      }
      last[0] = System.nanoTime();
      try {
        tick();
      } catch (RuntimeException e) {
        problem("webhook certificates: " + e.getMessage());
      }
    }, 0, 1, TimeUnit.SECONDS);
    return this;
  }

  /** The DNS names of the Service: {@code <svc>}, {@code <svc>.<ns>}, {@code <svc>.<ns>.svc}, {@code <svc>.<ns>.svc.cluster.local}. */
  List<String> dnsNames() {
    String s = cfg.serviceName();
    return List.of(s + "." + namespace + ".svc", s, s + "." + namespace, s + "." + namespace + ".svc.cluster.local");
  }

  /** One round: files, or (lease holder) the Secret and the caBundle, then the Secret's certificate loaded. */
  public void tick() {
    if (cfg.certificates().equals("files")) {
      loadFiles(Path.of(cfg.certDir()));
      return;
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(cfg.secretName()).get();
    if (leader.getAsBoolean()) {
      secret = ensureSecret(secret);
      if (secret != null) {
        ensureCaBundle(decode(secret, "ca.crt"));
      }
    }
    if (secret != null && decode(secret, "tls.crt") != null && decode(secret, "tls.key") != null) {
      load(decode(secret, "tls.crt"), decode(secret, "tls.key"), "Secret " + namespace + "/" + cfg.secretName());
    }
  }

  /**
   * {@code tls.crt} and {@code tls.key} from {@code dir}. A Secret volume holds them as symlinks
   * through {@code ..data}, a symlink the kubelet replaces in one step when the Secret changes
   * (cert-manager's renewal): both are read from the directory {@code ..data} points to at the
   * start, so a swap between the two reads cannot pair a new certificate with an old key. Any other
   * directory is read as it is; a pair written file by file is refused until both halves match.
   */
  private void loadFiles(Path dir) {
    String cert;
    String key;
    try {
      Path data = dir.resolve("..data");
      Path from = Files.isSymbolicLink(data) ? data.toRealPath() : dir;
      cert = Files.readString(from.resolve("tls.crt"), StandardCharsets.US_ASCII);
      key = Files.readString(from.resolve("tls.key"), StandardCharsets.US_ASCII);
    } catch (java.io.IOException | RuntimeException e) {
      problem("webhook: cannot read tls.crt and tls.key in " + dir + " (" + e.getClass().getSimpleName() + "); "
          + (tls.ready() ? "still serving the previous certificate (expires " + tls.notAfter() + ")" : "no certificate served yet"));
      return;
    }
    load(cert, key, dir.toString());
  }

  /** Loads a pair; one that does not load leaves the served certificate in place, and says so once. */
  private void load(String cert, String key, String from) {
    try {
      if (tls.load(cert, key)) {
        lastProblem = null; // a later problem, even one said before, is news again
        LOG.info("webhook: serving certificate loaded from {} (expires {})", from, tls.notAfter());
      }
    } catch (IllegalArgumentException e) {
      // The message names tls.crt or tls.key and what is wrong, never their content (ServingTls.load).
      problem("webhook: the certificate in " + from + " does not load: " + e.getMessage() + "; "
          + (tls.ready() ? "still serving the previous certificate (expires " + tls.notAfter() + ")" : "no certificate served yet"));
    }
  }

  private Secret ensureSecret(Secret secret) {
    Instant now = clock.instant();
    Duration validity = Duration.ofDays(cfg.validityDays());
    Duration renewBefore = Duration.ofDays(cfg.renewBeforeDays());
    String caBundle = secret == null ? null : decode(secret, "ca.crt");
    String caKey = secret == null ? null : decode(secret, "ca.key");
    String cert = secret == null ? null : decode(secret, "tls.crt");
    if (cert != null && caBundle != null && caKey != null && decode(secret, "tls.key") != null) {
      try {
        X509Certificate c = Certificates.certificates(cert).get(0);
        c.verify(Certificates.certificates(caBundle).get(0).getPublicKey()); // issued by the bundle's current CA
        if (c.getNotAfter().toInstant().isAfter(now.plus(renewBefore)) && sans(c).containsAll(dnsNames())) {
          return secret; // current
        }
      } catch (Exception e) {
        LOG.warn("webhook: Secret {}/{} does not hold readable certificates; issuing new ones", namespace, cfg.secretName());
      }
    }
    Certificates.Pair ca = null;
    List<X509Certificate> oldCas = List.of();
    if (caBundle != null && caKey != null) {
      try {
        oldCas = Certificates.certificates(caBundle);
        if (oldCas.get(0).getNotAfter().toInstant().isAfter(now.plus(validity).plus(renewBefore))) {
          ca = new Certificates.Pair(Certificates.pem(oldCas.get(0)), caKey);
          Certificates.privateKey(caKey);
        }
      } catch (RuntimeException e) {
        ca = null;
        oldCas = List.of();
      }
    }
    StringBuilder bundle = new StringBuilder();
    if (ca == null) {
      ca = Certificates.ca("appmesh-xds webhook CA", now, CA_VALIDITY);
      LOG.info("webhook: new CA for the serving certificate (Secret {}/{})", namespace, cfg.secretName());
    }
    bundle.append(ca.certPem());
    for (X509Certificate old : oldCas) {
      String p = Certificates.pem(old);
      if (!p.equals(ca.certPem()) && old.getNotAfter().toInstant().isAfter(now)) {
        bundle.append(p); // still trusted while replicas reload
      }
    }
    Certificates.Pair serving = Certificates.serving(ca, dnsNames(), now, validity);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("tls.crt", encode(serving.certPem()));
    data.put("tls.key", encode(serving.keyPem()));
    data.put("ca.crt", encode(bundle.toString()));
    data.put("ca.key", encode(ca.keyPem()));
    Secret next = new SecretBuilder().withNewMetadata().withName(cfg.secretName()).withNamespace(namespace)
        .addToLabels("app.kubernetes.io/name", "appmesh-xds").endMetadata().withType("kubernetes.io/tls").withData(data).build();
    try {
      if (secret == null) {
        next = client.secrets().inNamespace(namespace).resource(next).create();
      } else {
        next.getMetadata().setResourceVersion(secret.getMetadata().getResourceVersion());
        next = client.secrets().inNamespace(namespace).resource(next).update();
      }
    } catch (KubernetesClientException e) {
      problem("webhook: cannot write Secret " + namespace + "/" + cfg.secretName() + " (HTTP " + e.getCode() + "); retrying");
      return secret;
    }
    LOG.info("webhook: issued a serving certificate for {} valid until {} (Secret {}/{})", dnsNames().get(0), now.plus(validity),
        namespace, cfg.secretName());
    return next;
  }

  private void ensureCaBundle(String caPem) {
    MutatingWebhookConfiguration c;
    try {
      c = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(cfg.configurationName()).get();
    } catch (KubernetesClientException e) {
      problem("webhook: cannot read MutatingWebhookConfiguration " + cfg.configurationName() + " (HTTP " + e.getCode() + ")");
      return;
    }
    if (c == null) {
      problem("webhook: MutatingWebhookConfiguration " + cfg.configurationName() + " does not exist; its caBundle is set once it does");
      return;
    }
    String bundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    boolean changed = false;
    for (MutatingWebhook w : c.getWebhooks() == null ? List.<MutatingWebhook>of() : c.getWebhooks()) {
      if (w.getClientConfig() != null && !bundle.equals(w.getClientConfig().getCaBundle())) {
        w.getClientConfig().setCaBundle(bundle);
        changed = true;
      }
    }
    if (changed) {
      try {
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(c).update();
        LOG.info("webhook: caBundle of MutatingWebhookConfiguration {} updated", cfg.configurationName());
      } catch (KubernetesClientException e) {
        problem("webhook: cannot update MutatingWebhookConfiguration " + cfg.configurationName() + " (HTTP " + e.getCode() + ")");
      }
    }
  }

  private static List<String> sans(X509Certificate c) {
    List<String> out = new ArrayList<>();
    try {
      if (c.getSubjectAlternativeNames() != null) {
        c.getSubjectAlternativeNames().forEach(n -> out.add(String.valueOf(n.get(1))));
      }
    } catch (java.security.cert.CertificateParsingException e) {
      // none
    }
    return out;
  }

  private static String decode(Secret s, String key) {
    String v = s.getData() == null ? null : s.getData().get(key);
    return v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII);
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** Logs a problem once until it changes (the schedule repeats every 10 s). */
  private void problem(String message) {
    if (!message.equals(lastProblem)) {
      lastProblem = message;
      LOG.warn(message);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
