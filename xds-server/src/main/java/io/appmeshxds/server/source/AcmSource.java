package io.appmeshxds.server.source;

import io.appmeshxds.server.aws.AcmKeys;
import io.appmeshxds.server.aws.AwsClients;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.input.AcmMaterial;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.ExportCertificateResponse;
import software.amazon.awssdk.services.acmpca.AcmPcaClient;
import software.amazon.awssdk.services.acmpca.model.GetCertificateAuthorityCertificateResponse;

/**
 * Fetches what the mesh names in ACM and records it in the store, off the reconciler's thread:
 * each listener certificate with {@code ExportCertificate} (a fresh passphrase per call, the key
 * decrypted here and checked against the certificate), each ACM Private CA with
 * {@code GetCertificateAuthorityCertificate}. Translation turns them into SDS secrets for exactly
 * the proxies that use them.
 *
 * <p>Refresh: every ARN is checked on its own schedule, {@code aws.acm.refreshSeconds} apart with
 * ±10 % jitter (so ARNs do not call AWS in step), and sooner as a certificate nears its
 * {@code NotAfter} (half the time left). A certificate check is {@code DescribeCertificate}; only
 * when its serial or validity changed (ACM renewed it) is it exported again, since exports of
 * private certificates are billed. A failed call keeps the last good material, is retried after
 * {@code aws.acm.retrySeconds} doubling up to the refresh period, counts in
 * {@code appmeshxds_acm_call_failures_total}, and is reported as a warning on every VirtualNode and
 * VirtualGateway that names the ARN (and in {@code appmeshxds_acm_failing}). An ARN no longer named
 * is forgotten, with its key.
 *
 * <p>Never logged, never in a status: keys, passphrases, PEM bodies. Errors are reported by AWS
 * error code and message, or by exception class.
 */
public final class AcmSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AcmSource.class);

  /** The store partition that holds this source's problems. */
  static final String PARTITION = "aws-acm";
  /** A certificate closer than this to its expiry is reported. */
  static final Duration EXPIRY_WARNING = Duration.ofDays(7);

  /** Schedule settings. */
  public record Settings(Duration refresh, Duration retry) {
    public static Settings of(ControlPlaneConfig.AwsAcm c) {
      return new Settings(Duration.ofSeconds(c.refreshSeconds()), Duration.ofSeconds(c.retrySeconds()));
    }
  }

  /** What is known of one ARN. */
  private static final class State {
    Instant next = Instant.MIN;
    int failures;
    String error;
    String failedCall;
    Instant fetchedAt;
    /** DescribeCertificate's serial and NotAfter of the certificate held. */
    String serial;
    Instant notAfter;
    boolean held;
  }

  private final ResourceStore store;
  private final Supplier<AwsClients> clientsFactory;
  private final Settings settings;
  private final Clock clock;
  private final Random random;
  private final Map<String, State> certificates = new TreeMap<>();
  private final Map<String, State> authorities = new TreeMap<>();
  private final Map<String, Counter> failures = new HashMap<>();
  private final MeterRegistry metrics;
  private volatile int failingCertificates;
  private volatile int failingAuthorities;
  private AwsClients clients;
  private AcmClient acm;
  private AcmPcaClient pca;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "acm-source");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param clients builds the AWS clients on first need (a mesh without ACM never resolves a
   *     region or credentials)
   */
  public AcmSource(ResourceStore store, Supplier<AwsClients> clients, Settings settings, Clock clock, Random random,
      MeterRegistry metrics) {
    this.store = store;
    this.clientsFactory = clients;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.metrics = metrics;
    Gauge.builder("appmeshxds_acm_failing", () -> failingCertificates)
        .description("ACM ARNs whose last check failed (the last good secret is still served)").tag("kind", "certificate")
        .register(metrics);
    Gauge.builder("appmeshxds_acm_failing", () -> failingAuthorities)
        .description("ACM ARNs whose last check failed (the last good secret is still served)").tag("kind", "authority")
        .register(metrics);
  }

  /** Runs {@link #refresh()} every {@code tick} (each ARN is called only when it is due). */
  public AcmSource start(Duration tick) {
    timer.scheduleWithFixedDelay(this::refresh, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass: checks every ARN that is due, forgets the ones no longer named, reports failures. */
  public synchronized void refresh() {
    try {
      MeshResources in = store.snapshot();
      List<AcmReferences.Use> uses = AcmReferences.scan(in);
      TreeSet<String> certArns = new TreeSet<>();
      TreeSet<String> caArns = new TreeSet<>();
      for (AcmReferences.Use u : uses) {
        (u.need() == AcmReferences.Need.CERTIFICATE ? certArns : caArns).add(u.arn());
      }
      for (String arn : List.copyOf(certificates.keySet())) {
        if (!certArns.contains(arn)) {
          certificates.remove(arn);
          store.acmCertificate(arn, null);
        }
      }
      for (String arn : List.copyOf(authorities.keySet())) {
        if (!caArns.contains(arn)) {
          authorities.remove(arn);
          store.acmAuthority(arn, null);
        }
      }
      Instant now = clock.instant();
      for (String arn : certArns) {
        State s = certificates.computeIfAbsent(arn, k -> new State());
        if (!now.isBefore(s.next)) {
          checkCertificate(arn, s, now);
        }
      }
      for (String arn : caArns) {
        State s = authorities.computeIfAbsent(arn, k -> new State());
        if (!now.isBefore(s.next)) {
          checkAuthority(arn, s, now);
        }
      }
      failingCertificates = (int) certificates.values().stream().filter(s -> s.error != null).count();
      failingAuthorities = (int) authorities.values().stream().filter(s -> s.error != null).count();
      store.replace(PARTITION, Map.of(), problems(uses, now));
    } catch (RuntimeException e) {
      // Why only the class and message of our own code's failure: nothing here holds key material.
      LOG.error("ACM refresh failed: {}", e.toString());
    }
  }

  /** When the next ARN is due, or null when none is named. */
  public synchronized Instant nextDue() {
    Instant min = null;
    for (State s : certificates.values()) {
      min = min == null || s.next.isBefore(min) ? s.next : min;
    }
    for (State s : authorities.values()) {
      min = min == null || s.next.isBefore(min) ? s.next : min;
    }
    return min;
  }

  private void checkCertificate(String arn, State s, Instant now) {
    String call = "DescribeCertificate";
    try {
      connect();
      CertificateDetail d = acm.describeCertificate(b -> b.certificateArn(arn)).certificate();
      String serial = d == null ? null : d.serial();
      Instant notAfter = d == null ? null : d.notAfter();
      if (!s.held || !Objects.equals(serial, s.serial) || !Objects.equals(notAfter, s.notAfter)) {
        call = "ExportCertificate";
        AcmMaterial.Certificate m = export(arn);
        store.acmCertificate(arn, m);
        X509Certificate leaf = AcmKeys.certificates(m.certificate()).get(0);
        boolean renewal = s.held;
        s.held = true;
        s.serial = serial;
        s.notAfter = notAfter != null ? notAfter : leaf.getNotAfter().toInstant();
        s.fetchedAt = now;
        LOG.info("ACM certificate {} {}: serial {}, valid until {}", arn, renewal ? "renewed" : "fetched",
            leaf.getSerialNumber().toString(16), s.notAfter);
      }
      succeeded(s, now, s.notAfter);
    } catch (SdkException | AcmKeys.KeyException | IllegalArgumentException e) {
      failed("certificate", arn, call, s, now, e);
    }
  }

  private void checkAuthority(String arn, State s, Instant now) {
    try {
      connect();
      GetCertificateAuthorityCertificateResponse r = pca.getCertificateAuthorityCertificate(b -> b.certificateAuthorityArn(arn));
      String certificate = bounded(r.certificate(), "Certificate");
      String chain = r.certificateChain() == null ? "" : bounded(r.certificateChain(), "CertificateChain");
      List<X509Certificate> parsed = AcmKeys.certificates(certificate);
      if (!chain.isEmpty()) {
        AcmKeys.certificates(chain);
      }
      store.acmAuthority(arn, new AcmMaterial.Authority(arn, certificate, chain));
      if (!s.held || !Objects.equals(s.serial, parsed.get(0).getSerialNumber().toString(16))) {
        LOG.info("ACM Private CA {} certificate {}: serial {}, valid until {}", arn, s.held ? "changed" : "fetched",
            parsed.get(0).getSerialNumber().toString(16), parsed.get(0).getNotAfter().toInstant());
        s.fetchedAt = now;
      }
      s.held = true;
      s.serial = parsed.get(0).getSerialNumber().toString(16);
      s.notAfter = parsed.get(0).getNotAfter().toInstant();
      succeeded(s, now, null);
    } catch (SdkException | AcmKeys.KeyException | IllegalArgumentException e) {
      failed("authority", arn, "GetCertificateAuthorityCertificate", s, now, e);
    }
  }

  /**
   * Exports and decrypts one certificate. The passphrase is made for this call, handed to the SDK
   * without a copy ({@link SdkBytes#fromByteArrayUnsafe}) and zeroed as soon as the key is
   * decrypted; the encrypted key text is dropped with the response.
   */
  private AcmMaterial.Certificate export(String arn) throws AcmKeys.KeyException {
    char[] passphrase = AcmKeys.passphrase();
    byte[] bytes = AcmKeys.ascii(passphrase);
    try {
      ExportCertificateResponse r = acm.exportCertificate(b -> b.certificateArn(arn).passphrase(SdkBytes.fromByteArrayUnsafe(bytes)));
      String certificate = bounded(r.certificate(), "Certificate");
      String chain = r.certificateChain() == null ? "" : bounded(r.certificateChain(), "CertificateChain");
      String encrypted = bounded(r.privateKey(), "PrivateKey");
      X509Certificate leaf = AcmKeys.certificates(certificate).get(0);
      if (!chain.isEmpty()) {
        AcmKeys.certificates(chain);
      }
      var key = AcmKeys.decrypt(encrypted, passphrase);
      AcmKeys.checkPair(leaf, key);
      return new AcmMaterial.Certificate(arn, certificate, chain, new AcmMaterial.PrivateKey(key));
    } finally {
      Arrays.fill(passphrase, '\0');
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static String bounded(String s, String field) throws AcmKeys.KeyException {
    if (s == null || s.isEmpty()) {
      throw new AcmKeys.KeyException("the answer has no " + field);
    }
    if (s.length() > AcmMaterial.MAX_PEM_CHARS) {
      throw new AcmKeys.KeyException("the answer's " + field + " has " + s.length() + " characters, more than the "
          + AcmMaterial.MAX_PEM_CHARS + " accepted");
    }
    return s;
  }

  private void succeeded(State s, Instant now, Instant notAfter) {
    s.failures = 0;
    s.error = null;
    s.failedCall = null;
    Duration period = settings.refresh();
    if (notAfter != null) {
      Duration half = Duration.between(now, notAfter).dividedBy(2);
      // Why a floor: a certificate ACM does not renew (or one already expired) is checked at most
      // once a minute, not every retry interval.
      Duration floor = settings.refresh().compareTo(Duration.ofMinutes(1)) < 0 ? settings.refresh() : Duration.ofMinutes(1);
      if (half.compareTo(period) < 0) {
        period = half.compareTo(floor) < 0 ? floor : half;
      }
    }
    s.next = now.plus(jitter(period));
  }

  private void failed(String kind, String arn, String call, State s, Instant now, Exception e) {
    s.failures++;
    s.error = describe(e);
    s.failedCall = call;
    long factor = 1L << Math.min(20, s.failures - 1);
    Duration wait = settings.retry().multipliedBy(factor);
    if (wait.compareTo(settings.refresh()) > 0) {
      wait = settings.refresh();
    }
    s.next = now.plus(jitter(wait));
    failures.computeIfAbsent(call, c -> Counter.builder("appmeshxds_acm_call_failures_total")
        .description("Failed ACM and ACM Private CA calls, by operation").tag("operation", c).register(metrics)).increment();
    LOG.warn("ACM {} {}: {} failed ({}); {}; next try in {} s", kind, arn, call, s.error,
        s.held ? "the last good one is still served" : "nothing is served for it yet", Duration.between(now, s.next).toSeconds());
  }

  /** ±10 %: ARNs fetched together at start drift apart instead of calling AWS in step. */
  private Duration jitter(Duration d) {
    double f = 0.9 + 0.2 * random.nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (d.toMillis() * f)));
  }

  /** An error in words, without anything the call carried: AWS's code and message, or the exception class. */
  static String describe(Exception e) {
    String text;
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      text = a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage() + " (HTTP " + a.statusCode() + ")";
    } else if (e instanceof AcmKeys.KeyException) {
      text = e.getMessage();
    } else {
      text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    // Why: whatever an error says, it never reaches a log or a status with PEM in it.
    int pem = text.indexOf("-----BEGIN");
    if (pem >= 0) {
      text = text.substring(0, pem) + "[PEM removed]";
    }
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  /** Warnings for every use of an ARN that failed, was never fetched, or is about to expire. */
  private List<Problem> problems(List<AcmReferences.Use> uses, Instant now) {
    List<Problem> out = new ArrayList<>();
    for (AcmReferences.Use u : uses) {
      boolean cert = u.need() == AcmReferences.Need.CERTIFICATE;
      State s = (cert ? certificates : authorities).get(u.arn());
      if (s == null) {
        continue;
      }
      String msg = null;
      if (s.error != null) {
        msg = "ACM " + s.failedCall + " failed for " + u.arn() + " (" + s.error + "); "
            + (s.held ? "still serving the " + (cert ? "certificate" : "CA certificate") + " fetched at " + s.fetchedAt
                + (s.notAfter == null ? "" : ", valid until " + s.notAfter)
                : cert ? "this listener is not served until the certificate is fetched"
                    : "TLS to these backends fails until the CA certificate is fetched");
      } else if (!s.held) {
        msg = "ACM " + u.arn() + " is not fetched yet";
      } else if (cert && s.notAfter != null && Duration.between(now, s.notAfter).compareTo(EXPIRY_WARNING) < 0) {
        msg = "the ACM certificate " + u.arn() + " expires at " + s.notAfter + " and ACM has not renewed it";
      }
      if (msg != null) {
        out.add(Problem.warning(u.object(), u.field(), msg));
      }
    }
    return out;
  }

  private void connect() {
    if (acm == null) {
      clients = clientsFactory.get();
      acm = clients.acm();
      pca = clients.acmPca();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (acm != null) {
        acm.close();
        pca.close();
        clients.close();
      }
    }
  }
}
