package io.appmeshxds.translator.xds;

import io.appmeshxds.translator.plan.EndpointPlanner;
import io.appmeshxds.translator.plan.SecretPlan;
import io.appmeshxds.translator.plan.TlsPlan;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * TLS contexts. SDS secrets named in the mesh ({@code sds}) come from the node-local SDS server
 * (SPIRE agent) through the bootstrap's {@code static_cluster_sds_unix_socket} cluster, as with
 * App Mesh's Envoy image; ACM certificates and trusts are secrets we serve ourselves over the
 * proxy's ADS stream ({@code sds_config: {ads: {}}}), as App Mesh's management service did.
 */
final class TlsFactory {
  private TlsFactory() {}

  /** Bootstrap cluster of the node-local SDS server. */
  static final String SDS_CLUSTER = "static_cluster_sds_unix_socket";

  static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder()
        .setName(name)
        .setSdsConfig(ConfigSource.newBuilder()
            .setResourceApiVersion(ApiVersion.V3)
            .setApiConfigSource(ApiConfigSource.newBuilder()
                .setApiType(ApiConfigSource.ApiType.GRPC)
                .setTransportApiVersion(ApiVersion.V3)
                .addGrpcServices(GrpcService.newBuilder().setEnvoyGrpc(
                    GrpcService.EnvoyGrpc.newBuilder().setClusterName(SDS_CLUSTER)))))
        .build();
  }

  /** An SDS secret sent on the proxy's own ADS stream. */
  static SdsSecretConfig ads(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(Protos.ads()).build();
  }

  static void certificate(TlsPlan.Certificate c, CommonTlsContext.Builder ctx) {
    if (c == null) {
      return;
    }
    if (c.acmArn() != null) {
      ctx.addTlsCertificateSdsSecretConfigs(ads(Names.secret(new SecretPlan.Ref.CertificateRef(c.acmArn()))));
    } else if (c.sdsName() != null) {
      ctx.addTlsCertificateSdsSecretConfigs(sds(c.sdsName()));
    } else {
      ctx.addTlsCertificates(TlsCertificate.newBuilder()
          .setCertificateChain(DataSource.newBuilder().setFilename(c.chainFile()))
          .setPrivateKey(DataSource.newBuilder().setFilename(c.keyFile())));
    }
  }

  static void validation(TlsPlan.Validation v, CommonTlsContext.Builder ctx) {
    CertificateValidationContext.Builder cvc = CertificateValidationContext.newBuilder();
    for (String san : v.subjectAltNames()) {
      cvc.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
          // SPIFFE IDs are URI SANs, IP literals IP address SANs; everything else App Mesh matched as DNS names.
          .setSanType(san.startsWith("spiffe://") ? SubjectAltNameMatcher.SanType.URI
              : EndpointPlanner.isIpLiteral(san) ? SubjectAltNameMatcher.SanType.IP_ADDRESS
              : SubjectAltNameMatcher.SanType.DNS)
          .setMatcher(StringMatcher.newBuilder().setExact(san)));
    }
    if (v.acm()) {
      SecretPlan.Ref ref = !v.acmAuthorities().isEmpty() ? new SecretPlan.Ref.AuthoritiesRef(v.acmAuthorities())
          : new SecretPlan.Ref.RootRef(v.acmRootOf());
      ctx.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
          .setDefaultValidationContext(cvc)
          .setValidationContextSdsSecretConfig(ads(Names.secret(ref))));
    } else if (v.sdsName() != null) {
      ctx.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
          .setDefaultValidationContext(cvc)
          .setValidationContextSdsSecretConfig(sds(v.sdsName())));
    } else {
      cvc.setTrustedCa(DataSource.newBuilder().setFilename(v.caFile()));
      ctx.setValidationContext(cvc);
    }
  }

  /**
   * The Secret of an ACM secret plan: a certificate with its key ({@code tls_certificate}), or a
   * trust ({@code validation_context.trusted_ca}). The key goes inline, unencrypted: the control
   * plane decrypted ACM's export itself (see the server's ACM source), so no password travels with it.
   */
  static Secret secret(SecretPlan s) {
    Secret.Builder b = Secret.newBuilder().setName(Names.secret(s.ref()));
    if (s instanceof SecretPlan.Certificate c) {
      b.setTlsCertificate(TlsCertificate.newBuilder()
          .setCertificateChain(DataSource.newBuilder().setInlineString(c.material().certificateChain()))
          // inline_string (its bytes, not copied): a dump shows "[redacted]" rather than its base64.
          .setPrivateKey(DataSource.newBuilder().setInlineStringBytes(c.material().privateKey().pem())));
    } else {
      b.setValidationContext(CertificateValidationContext.newBuilder()
          .setTrustedCa(DataSource.newBuilder().setInlineString(((SecretPlan.Trust) s).bundle())));
    }
    return b.build();
  }

  static UpstreamTlsContext upstream(TlsPlan.Upstream t) {
    UpstreamTlsContext.Builder b = UpstreamTlsContext.newBuilder();
    if (t.sni() != null) {
      b.setSni(t.sni());
    }
    certificate(t.certificate(), b.getCommonTlsContextBuilder());
    if (t.validation() != null) {
      validation(t.validation(), b.getCommonTlsContextBuilder());
    }
    return b.build();
  }
}
