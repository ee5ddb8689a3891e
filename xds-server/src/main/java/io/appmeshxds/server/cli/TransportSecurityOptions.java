package io.appmeshxds.server.cli;

import io.appmeshxds.server.grpc.ProxyAuthorization;
import io.appmeshxds.server.tls.ServingFiles;
import io.grpc.ServerCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s transport security: TLS for the xDS and access-log ports from PEM files, client
 * certificates, proxy authorization. The rule for plaintext: only when asked for ({@code
 * --xds-plaintext}), or implicitly when the port is bound to loopback (the laptop case: {@code
 * bin/appmesh-xds serve}), and then with a WARN at start.
 */
final class TransportSecurityOptions {
  private static final Logger LOG = LoggerFactory.getLogger(TransportSecurityOptions.class);

  @Option(names = "--xds-tls-cert", paramLabel = "FILE",
      description = "PEM certificate chain the xDS port serves (re-read when the file changes). With --xds-tls-key.")
  Path xdsCert;

  @Option(names = "--xds-tls-key", paramLabel = "FILE", description = "PEM private key of --xds-tls-cert (PKCS#8, PKCS#1 or SEC1).")
  Path xdsKey;

  @Option(names = "--xds-client-ca", paramLabel = "FILE",
      description = "PEM CA bundle that verifies proxies' client certificates (SPIFFE SVIDs); re-read when it changes.")
  Path xdsClientCa;

  @Option(names = "--xds-client-auth", paramLabel = "MODE",
      description = "none, optional or require: whether proxies must present a client certificate "
          + "(default: require with --xds-client-ca, else none).")
  String xdsClientAuth;

  @Option(names = "--xds-plaintext",
      description = "Serve xDS without TLS although --bind is not loopback (logged as a warning). Without TLS settings, "
          + "a loopback --bind is plaintext anyway.")
  boolean xdsPlaintext;

  @Option(names = "--proxy-authorization", paramLabel = "MODE",
      description = "off, warn or required: whether a proxy must prove (client certificate or, with --kubernetes, a "
          + "service-account token) that the node it claims is in its namespace (default: required when client "
          + "certificates are verified or with --kubernetes and TLS, else off).")
  String proxyAuthorization;

  @Option(names = "--proxy-authorization-pods", paramLabel = "on|off",
      description = "With --kubernetes and proxy authorization warn or required: watch pods, and let a proxy be a node only "
          + "when the node's podSelector selects a running pod of the proxy's service account (a node without podSelector "
          + "then has no proxy). Until the pods are listed, and with off, only the namespace is checked (default: on with "
          + "--kubernetes; needs get/list/watch on pods).")
  String proxyAuthorizationPods;

  @Option(names = "--trust-domain", defaultValue = "cluster.local", paramLabel = "NAME",
      description = "SPIFFE trust domain of proxies' certificates, spiffe://NAME/ns/<ns>/sa/<sa> (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--token-audience", defaultValue = "appmesh-xds", paramLabel = "AUD",
      description = "With --kubernetes: audience of proxies' projected service-account tokens (default: ${DEFAULT-VALUE}).")
  String tokenAudience;

  @Option(names = "--als-tls-cert", paramLabel = "FILE", description = "PEM certificate chain the access-log (ALS) port serves.")
  Path alsCert;

  @Option(names = "--als-tls-key", paramLabel = "FILE", description = "PEM private key of --als-tls-cert.")
  Path alsKey;

  @Option(names = "--als-client-ca", paramLabel = "FILE", description = "PEM CA bundle: the ALS port requires client certificates it verifies.")
  Path alsClientCa;

  @Option(names = "--als-plaintext", description = "Serve the ALS port without TLS although --bind is not loopback (logged as a warning).")
  boolean alsPlaintext;

  /** Checks the combination (usage errors: exit 2). */
  void validate(CommandLine cmd, String bind, boolean kubernetes) {
    pair(cmd, "--xds-tls-cert", xdsCert, "--xds-tls-key", xdsKey);
    pair(cmd, "--als-tls-cert", alsCert, "--als-tls-key", alsKey);
    boolean xdsTls = xdsCert != null;
    if (xdsTls && xdsPlaintext) {
      throw new CommandLine.ParameterException(cmd, "--xds-plaintext and --xds-tls-cert contradict each other");
    }
    if (alsCert != null && alsPlaintext) {
      throw new CommandLine.ParameterException(cmd, "--als-plaintext and --als-tls-cert contradict each other");
    }
    if (!xdsTls && (xdsClientCa != null || xdsClientAuth != null)) {
      throw new CommandLine.ParameterException(cmd, "--xds-client-ca/--xds-client-auth need --xds-tls-cert and --xds-tls-key");
    }
    if (alsCert == null && alsClientCa != null) {
      throw new CommandLine.ParameterException(cmd, "--als-client-ca needs --als-tls-cert and --als-tls-key");
    }
    for (Path p : new Path[] {xdsCert, xdsKey, xdsClientCa, alsCert, alsKey, alsClientCa}) {
      if (p != null && !Files.isReadable(p)) {
        throw new CommandLine.ParameterException(cmd, p + ": no such readable file");
      }
    }
    try {
      ServingFiles.ClientAuth ca = clientAuth();
      new ProxyAuthorization.Settings(authorizationMode(kubernetes), trustDomain);
      if (ca != ServingFiles.ClientAuth.NONE && xdsClientCa == null) {
        throw new IllegalArgumentException("--xds-client-auth " + xdsClientAuth + " needs --xds-client-ca");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage());
    }
    if (proxyAuthorizationPods != null) {
      if (!proxyAuthorizationPods.equals("on") && !proxyAuthorizationPods.equals("off")) {
        throw new CommandLine.ParameterException(cmd, "--proxy-authorization-pods must be on or off, got "
            + proxyAuthorizationPods);
      }
      if (!kubernetes) {
        throw new CommandLine.ParameterException(cmd, "--proxy-authorization-pods needs --kubernetes (pods are watched there)");
      }
      if (proxyAuthorizationPods.equals("on") && authorizationMode(true) == ProxyAuthorization.Mode.OFF) {
        throw new CommandLine.ParameterException(cmd, "--proxy-authorization-pods on needs proxy authorization warn or "
            + "required (it is off)");
      }
    }
    boolean loopback = loopback(bind);
    if (!xdsTls && !xdsPlaintext && !loopback) {
      throw new CommandLine.ParameterException(cmd, "--bind " + bind + " serves xDS beyond this host: give --xds-tls-cert "
          + "and --xds-tls-key (see docs/security.md), or --xds-plaintext to serve it unencrypted on purpose");
    }
    if (authorizationMode(kubernetes) == ProxyAuthorization.Mode.REQUIRED && clientAuth() == ServingFiles.ClientAuth.NONE
        && !kubernetes) {
      throw new CommandLine.ParameterException(cmd, "--proxy-authorization required needs a way for proxies to prove who "
          + "they are: --xds-client-ca (client certificates) or --kubernetes (service-account tokens)");
    }
  }

  /** The xDS port's TLS, or null for plaintext; logs the warnings that go with the choice. */
  ServerCredentials xdsCredentials(MeterRegistry metrics, String bind) {
    if (xdsCert == null) {
      LOG.warn("the xDS port serves PLAINTEXT ({}): anyone who reaches it can claim any node and read its configuration{}",
          xdsPlaintext ? "--xds-plaintext" : "no TLS settings and --bind " + bind + " is loopback",
          xdsPlaintext ? "" : "; this is meant for a laptop, see docs/security.md for TLS");
      return null;
    }
    ServingFiles f = new ServingFiles("xds", new ServingFiles.Files(xdsCert, xdsKey, xdsClientCa, clientAuth()), metrics);
    LOG.info("xDS TLS: certificate {} (subject {}, expires {}), client certificates {}", xdsCert,
        f.certificate().getSubjectX500Principal(), f.certificate().getNotAfter().toInstant(),
        clientAuth().name().toLowerCase(java.util.Locale.ROOT));
    return f.credentials();
  }

  /** The ALS port's TLS, or null for plaintext (with a warning); call only when the exporter runs. */
  ServerCredentials alsCredentials(CommandLine cmd, MeterRegistry metrics, String bind) {
    if (alsCert == null) {
      if (!alsPlaintext && !loopback(bind)) {
        throw new CommandLine.ParameterException(cmd, "--bind " + bind + " serves the access-log port beyond this host: "
            + "give --als-tls-cert and --als-tls-key, or --als-plaintext to serve it unencrypted on purpose");
      }
      LOG.warn("the access-log (ALS) port serves PLAINTEXT{}", alsPlaintext ? " (--als-plaintext)" : " on loopback");
      return null;
    }
    return new ServingFiles("als", new ServingFiles.Files(alsCert, alsKey, alsClientCa, null), metrics).credentials();
  }

  /** Proxy authorization; logs when it is off on a port others can reach. */
  ProxyAuthorization.Settings authorization(boolean kubernetes, String bind) {
    ProxyAuthorization.Mode m = authorizationMode(kubernetes);
    if (m == ProxyAuthorization.Mode.OFF && !loopback(bind)) {
      LOG.warn("proxy authorization is off: any client of the xDS port may claim any node id (see docs/security.md)");
    } else if (m == ProxyAuthorization.Mode.WARN) {
      LOG.warn("proxy authorization is 'warn': refusals are logged and counted, not enforced");
    }
    return new ProxyAuthorization.Settings(m, trustDomain, kubernetes && !"off".equals(proxyAuthorizationPods));
  }

  /** One line for the banner: transport and authorization. */
  String describe(boolean kubernetes) {
    return (xdsCert == null ? "plaintext" : "TLS, client certificates " + clientAuth().name().toLowerCase(java.util.Locale.ROOT))
        + ", proxy authorization " + authorizationMode(kubernetes).name().toLowerCase(java.util.Locale.ROOT)
        + (kubernetes && authorizationMode(true) != ProxyAuthorization.Mode.OFF
            ? (!"off".equals(proxyAuthorizationPods) ? " (namespace, service account's pods)" : " (namespace only)") : "");
  }

  ProxyAuthorization.Mode authorizationMode(boolean kubernetes) {
    if (proxyAuthorization != null) {
      return ProxyAuthorization.Mode.parse(proxyAuthorization);
    }
    return clientAuth() != ServingFiles.ClientAuth.NONE || (kubernetes && xdsCert != null)
        ? ProxyAuthorization.Mode.REQUIRED : ProxyAuthorization.Mode.OFF;
  }

  private ServingFiles.ClientAuth clientAuth() {
    if (xdsClientAuth != null) {
      return ServingFiles.ClientAuth.parse(xdsClientAuth);
    }
    return xdsClientCa == null ? ServingFiles.ClientAuth.NONE : ServingFiles.ClientAuth.REQUIRE;
  }

  static boolean loopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (Exception e) {
      return false;
    }
  }

  private static void pair(CommandLine cmd, String a, Path pa, String b, Path pb) {
    if ((pa == null) != (pb == null)) {
      throw new CommandLine.ParameterException(cmd, a + " and " + b + " go together");
    }
  }
}
