package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** TLS building blocks shared by listeners, client policies and gateways. */
public final class Tls {
  private Tls() {}

  /** Listener TLS mode. */
  public enum Mode {
    DISABLED,
    PERMISSIVE,
    STRICT
  }

  /** {@code acm: {certificateAuthorityARNs: [1..3]}}. */
  public record AcmTrust(@Required @Size(min = 1, max = 3) List<String> certificateAuthorityARNs) {
    public AcmTrust {
      certificateAuthorityARNs = Lists.copy(certificateAuthorityARNs);
    }
  }

  /** {@code file: {certificateChain}}. */
  public record FileTrust(@Required @Size(min = 1, max = 255) String certificateChain) {}

  /** {@code sds: {secretName}}. */
  public record SdsTrust(@Required String secretName) {}

  /** Trust for validating a peer: exactly one of acm, file, sds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trust(AcmTrust acm, FileTrust file, SdsTrust sds) {}

  /** {@code validation: {trust, subjectAlternativeNames?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ValidationContext(@Required Trust trust, SubjectAlternativeNames subjectAlternativeNames) {}

  /** A VirtualNode listener's trust for client certificates: exactly one of file, sds (no ACM). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ListenerTrust(FileTrust file, SdsTrust sds) {}

  /** A VirtualNode listener's validation context. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ListenerValidationContext(
      @Required ListenerTrust trust, SubjectAlternativeNames subjectAlternativeNames) {}

  /** {@code acm: {certificateARN}}. */
  public record AcmCertificate(@Required String certificateARN) {}

  /** {@code file: {certificateChain, privateKey}}. */
  public record FileCertificate(
      @Required @Size(min = 1, max = 255) String certificateChain,
      @Required @Size(min = 1, max = 255) String privateKey) {}

  /** {@code sds: {secretName}}. */
  public record SdsCertificate(@Required String secretName) {}

  /** A listener's certificate: exactly one of acm, file, sds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ListenerCertificate(AcmCertificate acm, FileCertificate file, SdsCertificate sds) {}

  /** A client certificate (mTLS): exactly one of file, sds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientCertificate(FileCertificate file, SdsCertificate sds) {}

  /** {@code clientPolicy.tls}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ClientPolicyTls(
      Boolean enforce,
      List<Long> ports,
      @Required ValidationContext validation,
      ClientCertificate certificate) {
    public ClientPolicyTls {
      ports = Lists.copy(ports);
    }

    /** App Mesh's API default for {@code enforce} is true. */
    public boolean enforced() {
      return enforce == null || enforce;
    }

    /** Whether the policy covers {@code port} (no ports = every port). */
    public boolean appliesTo(long port) {
      return ports.isEmpty() || ports.contains(port);
    }
  }

  /** {@code clientPolicy: {tls?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClientPolicy(ClientPolicyTls tls) {}

  /** {@code backendDefaults: {clientPolicy?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BackendDefaults(ClientPolicy clientPolicy) {}
}
