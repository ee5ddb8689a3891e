package io.appmeshxds.server.grpc;

import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a proxy is, as its credentials prove it: a Kubernetes namespace and service account.
 *
 * @param namespace the Kubernetes namespace
 * @param serviceAccount the service account
 * @param via how it was proven: {@code spiffe://…} (the certificate's SPIFFE ID) or {@code token}
 */
public record ProxyIdentity(String namespace, String serviceAccount, String via) {

  @Override
  public String toString() {
    return namespace + "/" + serviceAccount + " (" + via + ")";
  }

  /**
   * The identity of a client certificate: its one SPIFFE URI SAN
   * {@code spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>} (as cert-manager's CSI driver
   * and SPIRE's Kubernetes workload registrar issue them). Null when the certificate has no SPIFFE
   * ID, more than one, another trust domain, or another path shape.
   */
  public static ProxyIdentity ofCertificate(X509Certificate leaf, String trustDomain) {
    List<String> spiffe = new ArrayList<>();
    try {
      var sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && Integer.valueOf(6).equals(san.get(0)) && san.get(1) instanceof String s
              && s.regionMatches(true, 0, "spiffe://", 0, 9)) {
            spiffe.add(s);
          }
        }
      }
    } catch (CertificateParsingException e) {
      return null;
    }
    // An SVID carries exactly one SPIFFE ID (SPIFFE X509-SVID §4.1).
    return spiffe.size() == 1 ? ofSpiffeId(spiffe.get(0), trustDomain) : null;
  }

  /** Parses {@code spiffe://<trustDomain>/ns/<ns>/sa/<sa>}; null when it is not of that form and domain. */
  static ProxyIdentity ofSpiffeId(String id, String trustDomain) {
    if (id.length() > 2048) {
      return null;
    }
    URI u;
    try {
      u = new URI(id);
    } catch (Exception e) {
      return null;
    }
    if (!"spiffe".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getRawQuery() != null
        || u.getRawFragment() != null || u.getRawUserInfo() != null || u.getPort() != -1
        || !u.getHost().equalsIgnoreCase(trustDomain)) {
      return null;
    }
    String[] p = u.getRawPath().split("/", -1);
    // "", "ns", ns, "sa", sa
    if (p.length != 5 || !p[0].isEmpty() || !p[1].equals("ns") || !p[3].equals("sa") || !dnsLabel(p[2])
        || !dnsSubdomain(p[4])) {
      return null;
    }
    return new ProxyIdentity(p[2], p[4], "spiffe://" + u.getHost().toLowerCase(java.util.Locale.ROOT) + u.getRawPath());
  }

  /**
   * The identity of a TokenReview's user name {@code system:serviceaccount:<ns>:<sa>}; null for any
   * other user (a person's or a node's credentials are not a proxy).
   */
  static ProxyIdentity ofServiceAccountUser(String username) {
    String prefix = "system:serviceaccount:";
    if (username == null || !username.startsWith(prefix)) {
      return null;
    }
    String[] p = username.substring(prefix.length()).split(":", -1);
    if (p.length != 2 || !dnsLabel(p[0]) || !dnsSubdomain(p[1])) {
      return null;
    }
    return new ProxyIdentity(p[0], p[1], "token");
  }

  private static boolean dnsLabel(String s) {
    return s.length() >= 1 && s.length() <= 63 && s.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  private static boolean dnsSubdomain(String s) {
    return s.length() >= 1 && s.length() <= 253 && s.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }
}
