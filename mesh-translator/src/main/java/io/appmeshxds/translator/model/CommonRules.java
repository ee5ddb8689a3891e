package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.HeaderMatchMethod;
import io.appmeshxds.translator.api.HttpPathMatch;
import io.appmeshxds.translator.api.Logging;
import io.appmeshxds.translator.api.QueryParameterMatch;
import io.appmeshxds.translator.api.SubjectAlternativeNames;
import io.appmeshxds.translator.api.Tls;
import io.appmeshxds.translator.re2.Re2Limit;
import io.appmeshxds.translator.re2.Re2ProgramSize;
import io.appmeshxds.translator.input.Reason;
import java.util.List;

/** Rules shared by several kinds: matchers, regexes, TLS, access logs. */
final class CommonRules {
  private CommonRules() {}

  /**
   * Envoy compiles {@code safe_regex} with RE2 and rejects the whole update on a bad pattern
   * (look-arounds, back-references) or one whose RE2 program is larger than the runtime limit our
   * bootstrap sets; so do we, per object. Measured without compiling ({@link Re2ProgramSize}), so a
   * hostile pattern cannot exhaust memory here.
   */
  static void re2(String field, String regex, Findings f) {
    if (regex == null) {
      return;
    }
    Re2ProgramSize.Result r = Re2ProgramSize.of(regex);
    if (r.error() != null) {
      f.error(field, Re2ProgramSize.quote(regex) + " is not a valid RE2 regular expression (Envoy would reject the route): " + r.error());
    } else if (r.exceeds(Re2Limit.MAX_PROGRAM_SIZE)) {
      f.error(field, Re2ProgramSize.tooLarge(r));
    } else if (r.mayExceed(Re2Limit.MAX_PROGRAM_SIZE)) {
      f.warn(field, Re2ProgramSize.mayBeTooLarge(r));
    }
  }

  /** Header (or gRPC metadata) conditions. */
  static void headers(String field, List<HeaderMatch> headers, Findings f) {
    for (int i = 0; i < headers.size(); i++) {
      HeaderMatch h = headers.get(i);
      String at = field + "[" + i + "]";
      HeaderMatchMethod m = h.match();
      if (m == null) {
        continue; // "present" match
      }
      String mf = at + ".match";
      if (m.membersSet() == 0) {
        f.error(mf, "exactly one of exact, prefix, range, regex, suffix must be set (found none)");
        continue;
      }
      f.exactlyOne(mf, true, "exact", m.exact(), "prefix", m.prefix(), "range", m.range(), "regex", m.regex(),
          "suffix", m.suffix());
      re2(mf + ".regex", m.regex(), f);
      if (m.range() != null && m.range().start() != null && m.range().end() != null
          && m.range().start() >= m.range().end()) {
        f.error(mf + ".range", "end has to be greater than start (start " + m.range().start() + ", end "
            + m.range().end() + ")");
      }
    }
  }

  /** Query parameter conditions: {@code match} present needs {@code exact}. */
  static void queryParameters(String field, List<QueryParameterMatch> params, Findings f) {
    for (int i = 0; i < params.size(); i++) {
      QueryParameterMatch q = params.get(i);
      if (q.match() != null && q.match().exact() == null) {
        f.error(field + "[" + i + "].match.exact", "required when match is set");
      }
    }
  }

  /** Path match: exactly one of exact, regex; exact must be a path; regex must be RE2. */
  static void path(String field, HttpPathMatch path, Findings f) {
    if (path == null) {
      return;
    }
    f.exactlyOne(field, true, "exact", path.exact(), "regex", path.regex());
    if (path.exact() != null && !path.exact().startsWith("/")) {
      f.error(field + ".exact", "must start with '/'");
    }
    re2(field + ".regex", path.regex(), f);
  }

  /** A prefix match starts with '/'. */
  static void prefix(String field, String prefix, Findings f) {
    if (prefix != null && !prefix.startsWith("/")) {
      f.error(field, "must start with '/' (got \"" + prefix + "\")");
    }
  }

  /** {@code logging.accessLog.file.format}: exactly one of json or text. */
  static void logging(String field, Logging logging, Findings f) {
    if (logging == null || logging.accessLog() == null || logging.accessLog().file() == null) {
      return;
    }
    Logging.Format format = logging.accessLog().file().format();
    if (format != null) {
      f.exactlyOne(field + ".accessLog.file.format", true, "json", format.json(), "text", format.text());
    }
  }

  /**
   * A listener certificate: exactly one of acm, file, sds. An ACM certificate is fetched by the
   * server (ExportCertificate) and served to the proxy over SDS; its ARN must be an ACM
   * certificate's.
   */
  static void listenerCertificate(String field, Tls.ListenerCertificate c, Findings f) {
    if (c == null) {
      return;
    }
    if (f.exactlyOne(field, true, "acm", c.acm(), "file", c.file(), "sds", c.sds()) && c.acm() != null) {
      String arn = c.acm().certificateARN();
      if (arn == null || !ACM_CERTIFICATE_ARN.matcher(arn).matches()) {
        f.error(field + ".acm.certificateARN", "must be an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>), got "
            + arn);
      }
    }
  }

  /** ACM's pattern for a certificate ARN, narrowed to certificates (API_ExportCertificate: CertificateArn). */
  private static final java.util.regex.Pattern ACM_CERTIFICATE_ARN =
      java.util.regex.Pattern.compile("^arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:certificate/[\\w+=,.@-]+$");
  /** An ACM Private CA's ARN (arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>). */
  private static final java.util.regex.Pattern ACM_PCA_ARN =
      java.util.regex.Pattern.compile("^arn:[\\w+=/,.@-]+:acm-pca:[\\w+=/,.@-]*:[0-9]+:certificate-authority/[\\w+=,.@-]+$");

  /** Validation trust with an ACM option (client policies, gateway listeners). */
  static void trust(String field, Tls.Trust t, boolean acmAllowedByApi, Findings f) {
    if (t == null) {
      return;
    }
    if (f.exactlyOne(field, true, "acm", t.acm(), "file", t.file(), "sds", t.sds()) && t.acm() != null) {
      if (!acmAllowedByApi) {
        f.error(field + ".acm", "not allowed here: listener validation trusts only file or sds");
      } else {
        // Served from ACM Private CA's GetCertificateAuthorityCertificate, over SDS.
        List<String> arns = t.acm().certificateAuthorityARNs();
        for (int i = 0; i < arns.size(); i++) {
          String arn = arns.get(i);
          if (arn == null || !ACM_PCA_ARN.matcher(arn).matches()) {
            f.error(field + ".acm.certificateAuthorityARNs[" + i + "]",
                "must be an ACM Private CA ARN (arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>), got " + arn);
          }
        }
      }
    }
  }

  /** SAN limits: each 1–254 characters. */
  static void sans(String field, SubjectAlternativeNames sans, Findings f) {
    if (sans == null || sans.match() == null) {
      return;
    }
    List<String> exact = sans.match().exact();
    for (int i = 0; i < exact.size(); i++) {
      String s = exact.get(i);
      if (s.isEmpty() || s.length() > 254) {
        f.error(field + ".match.exact[" + i + "]", "length must be between 1 and 254 (got " + s.length() + ")");
      }
    }
  }

  /** A client policy (backend or defaults). */
  static void clientPolicy(String field, Tls.ClientPolicy policy, Findings f) {
    if (policy == null || policy.tls() == null) {
      return;
    }
    Tls.ClientPolicyTls tls = policy.tls();
    String at = field + ".tls";
    for (int i = 0; i < tls.ports().size(); i++) {
      long p = tls.ports().get(i);
      if (p < 1 || p > 65535) {
        f.error(at + ".ports[" + i + "]", "must be between 1 and 65535 (got " + p + ")");
      }
    }
    if (tls.validation() != null) {
      trust(at + ".validation.trust", tls.validation().trust(), true, f);
      sans(at + ".validation.subjectAlternativeNames", tls.validation().subjectAlternativeNames(), f);
      SubjectAlternativeNames sans = tls.validation().subjectAlternativeNames();
      if (tls.enforced() && sans != null && sans.match() != null) {
        List<String> exact = sans.match().exact();
        for (int i = 0; i < exact.size(); i++) {
          if (exact.get(i).contains("*")) {
            f.error(at + ".validation.subjectAlternativeNames.match.exact[" + i + "]",
                "wildcard SANs are allowed only when the client policy is not enforced");
          }
        }
      }
    }
    if (tls.certificate() != null) {
      f.exactlyOne(at + ".certificate", true, "file", tls.certificate().file(), "sds", tls.certificate().sds());
    }
  }

  /** App Mesh resource names: 1–255 characters. */
  static void awsName(String awsName, Findings f) {
    if (awsName != null && (awsName.isEmpty() || awsName.length() > 255)) {
      f.error("spec.awsName", "length must be between 1 and 255 (got " + awsName.length() + ")");
    }
  }
}
