package io.appmeshxds.tracing.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.appmeshxds.translator.plan.EndpointOptions;
import java.util.List;

/**
 * The config file, as in the CLI contract:
 *
 * <pre>
 * tracing:
 *   provider: none            # xray | opentelemetry | zipkin | none
 *   samplingPercent: 5.0
 *   xray: {daemonAddress: 127.0.0.1:2000, segmentName: "{mesh}/{virtualNode}"}
 *   opentelemetry: {collector: otel-collector.observability:4317, serviceName: "{virtualNode}"}
 *   zipkin: {collector: zipkin.observability:9411}
 * logging:
 *   cloudWatch: {enabled: false, region: us-west-2, endpoint: "", logGroup: "/appmesh/{mesh}/{virtualNode}",
 *                exporter: appmesh-xds.appmesh-system:18001,
 *                exporterTls: {caFile: "", sni: "", certFile: "", keyFile: ""}}   # absent: plaintext
 * telemetry:
 *   otlpEndpoint: ""          # the control plane's own spans; off when empty
 * endpoints:
 *   perPod:
 *     meshes: []              # App Mesh names of meshes whose Envoy proxies get per-pod EDS, or "*"
 * aws:                        # how the control plane calls AWS (Cloud Map, ACM, ACM Private CA)
 *   region: ""                # "" = the SDK's default region chain (AWS_REGION, profile, instance metadata)
 *   endpoints: {servicediscovery: "", acm: "", acmpca: ""}   # overrides, e.g. a local endpoint
 *   cloudMap: {...}           # Cloud Map discovery and registration, see CloudMapConfig
 *   acm:                      # ACM certificates and ACM Private CA trusts served over SDS
 *     refreshSeconds: 1800    # how often each one is checked for a renewal or a CA change
 *     retrySeconds: 5         # first retry after a failed call; doubles up to refreshSeconds
 * injection: …                # sidecar injection (webhook and `inject`): see {@link Injection}
 * </pre>
 *
 * {@code {mesh}} is the mesh's App Mesh name, {@code {virtualNode}} the proxy's (VirtualNode or
 * VirtualGateway) App Mesh name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlPlaneConfig(Tracing tracing, Logging logging, Telemetry telemetry, Endpoints endpoints, Aws aws,
    Injection injection) {

  public ControlPlaneConfig {
    injection = injection == null ? Injection.defaults() : injection;
    tracing = tracing == null ? Tracing.NONE : tracing;
    logging = logging == null ? new Logging(null) : logging;
    telemetry = telemetry == null ? new Telemetry(null) : telemetry;
    endpoints = endpoints == null ? new Endpoints(null) : endpoints;
    aws = aws == null ? new Aws(null, null) : aws;
  }

  /** Without an {@code injection} section. */
  public ControlPlaneConfig(Tracing tracing, Logging logging, Telemetry telemetry, Endpoints endpoints, Aws aws) {
    this(tracing, logging, telemetry, endpoints, aws, null);
  }

  /** Without an {@code aws} section. */
  public ControlPlaneConfig(Tracing tracing, Logging logging, Telemetry telemetry, Endpoints endpoints) {
    this(tracing, logging, telemetry, endpoints, null, null);
  }

  /** Everything off; endpoints as App Mesh served them. */
  public static ControlPlaneConfig defaults() {
    return new ControlPlaneConfig(null, null, null, null, null, null);
  }

  /** Tracing providers. */
  public enum Provider {
    none,
    xray,
    opentelemetry,
    zipkin
  }

  /** {@code tracing}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tracing(Provider provider, Double samplingPercent, XRay xray, OpenTelemetry opentelemetry, Zipkin zipkin) {
    static final Tracing NONE = new Tracing(null, null, null, null, null);

    public Tracing {
      provider = provider == null ? Provider.none : provider;
      samplingPercent = samplingPercent == null ? 5.0 : samplingPercent;
      xray = xray == null ? new XRay(null, null) : xray;
      opentelemetry = opentelemetry == null ? new OpenTelemetry(null, null) : opentelemetry;
      zipkin = zipkin == null ? new Zipkin(null) : zipkin;
    }
  }

  /** {@code tracing.xray}: daemon UDP address (an IP literal, as Envoy requires) and segment name pattern. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record XRay(String daemonAddress, String segmentName) {
    public XRay {
      daemonAddress = daemonAddress == null ? "127.0.0.1:2000" : daemonAddress;
      segmentName = segmentName == null ? "{mesh}/{virtualNode}" : segmentName;
    }
  }

  /** {@code tracing.opentelemetry}: OTLP/gRPC collector {@code host:port} and service name pattern. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OpenTelemetry(String collector, String serviceName) {
    public OpenTelemetry {
      collector = collector == null ? "otel-collector.observability:4317" : collector;
      serviceName = serviceName == null ? "{virtualNode}" : serviceName;
    }
  }

  /** {@code tracing.zipkin}: collector {@code host:port}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Zipkin(String collector) {
    public Zipkin {
      collector = collector == null ? "zipkin.observability:9411" : collector;
    }
  }

  /** {@code logging}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Logging(CloudWatch cloudWatch) {
    public Logging {
      cloudWatch = cloudWatch == null ? new CloudWatch(null, null, null, null, null, null, null, null) : cloudWatch;
    }
  }

  /**
   * {@code logging.cloudWatch}.
   *
   * @param enabled ship access logs to CloudWatch Logs
   * @param region AWS region
   * @param endpoint endpoint override (e.g. a local endpoint), or ""
   * @param logGroup log group pattern
   * @param exporter {@code host:port} proxies send their access-log stream to
   * @param retentionDays retention set on groups we create (0 = never expire)
   * @param bufferDir disk buffer directory (spill and restart safety), or "" for a temp directory
   * @param diskBudgetMb disk buffer budget; beyond it entries are dropped (and counted)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CloudWatch(Boolean enabled, String region, String endpoint, String logGroup, String exporter,
      Integer retentionDays, String bufferDir, Integer diskBudgetMb, ExporterTls exporterTls) {
    /** Without {@code exporterTls}: proxies stream access logs in plaintext. */
    public CloudWatch(Boolean enabled, String region, String endpoint, String logGroup, String exporter,
        Integer retentionDays, String bufferDir, Integer diskBudgetMb) {
      this(enabled, region, endpoint, logGroup, exporter, retentionDays, bufferDir, diskBudgetMb, null);
    }

    public CloudWatch {
      enabled = enabled != null && enabled;
      region = region == null ? "us-west-2" : region;
      endpoint = endpoint == null ? "" : endpoint;
      logGroup = logGroup == null ? "/appmesh/{mesh}/{virtualNode}" : logGroup;
      exporter = exporter == null ? "appmesh-xds.appmesh-system:18001" : exporter;
      retentionDays = retentionDays == null ? 0 : retentionDays;
      bufferDir = bufferDir == null ? "" : bufferDir;
      diskBudgetMb = diskBudgetMb == null ? 1024 : diskBudgetMb;
    }
  }

  /**
   * {@code logging.cloudWatch.exporterTls}: how proxies reach the access-log exporter when its port
   * serves TLS ({@code serve --als-tls-cert/--als-tls-key}, and {@code --als-client-ca} for client
   * certificates): paths as mounted in the proxies' pods (e.g. the SPIFFE certificate injected for
   * xDS, {@code injection.xdsTls}).
   *
   * @param caFile CA bundle that verifies the exporter (required)
   * @param sni server name sent and required among the exporter certificate's SANs (required)
   * @param certFile the proxy's client certificate, or "" for none
   * @param keyFile its key, or "" for none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExporterTls(String caFile, String sni, String certFile, String keyFile) {
    public ExporterTls {
      caFile = caFile == null ? "" : caFile;
      sni = sni == null ? "" : sni;
      certFile = certFile == null ? "" : certFile;
      keyFile = keyFile == null ? "" : keyFile;
    }
  }

  /** {@code endpoints}: where Envoy proxies get the endpoints of DNS-discovered VirtualNodes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Endpoints(PerPod perPod) {
    public Endpoints {
      perPod = perPod == null ? new PerPod(null) : perPod;
    }

    /** As the planner takes them. */
    public EndpointOptions options() {
      return EndpointOptions.perPod(perPod.meshes());
    }
  }

  /**
   * {@code endpoints.perPod}: meshes whose sidecars and gateways get per-pod endpoints (EDS with the
   * ready addresses of the Service's EndpointSlices) instead of a cluster Envoy resolves itself, as
   * App Mesh served it. Proxyless gRPC clients get EDS either way.
   *
   * @param meshes App Mesh names of meshes, or {@code "*"} for every mesh; none by default
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PerPod(List<String> meshes) {
    public PerPod {
      meshes = meshes == null ? List.of() : List.copyOf(meshes);
    }
  }

  /** {@code telemetry}: where the control plane sends its own spans (OTLP/gRPC), or "" for off. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Telemetry(String otlpEndpoint) {
    public Telemetry {
      otlpEndpoint = otlpEndpoint == null ? "" : otlpEndpoint;
    }
  }

  /**
   * {@code aws}: how the control plane calls AWS for Cloud Map discovery and registration and for
   * ACM certificates. Credentials always come from the SDK's default chain (environment, web
   * identity / IRSA, profile, container and instance metadata); they are never configured here.
   *
   * @param region AWS region, or "" for the SDK's default region chain
   * @param endpoints endpoint overrides per service
   * @param cloudMap Cloud Map discovery and registration ({@link CloudMapConfig})
   * @param acm how often ACM and ACM Private CA certificates are checked ({@link AwsAcm})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Aws(String region, AwsEndpoints endpoints, CloudMapConfig cloudMap, AwsAcm acm) {
    public Aws {
      region = region == null ? "" : region;
      endpoints = endpoints == null ? new AwsEndpoints(null, null, null) : endpoints;
      cloudMap = cloudMap == null ? CloudMapConfig.defaults() : cloudMap;
      acm = acm == null ? new AwsAcm(null, null) : acm;
    }

    /** Cloud Map and ACM with their defaults. */
    public Aws(String region, AwsEndpoints endpoints) {
      this(region, endpoints, null, null);
    }
  }

  /**
   * {@code aws.acm}: how often ACM certificates and ACM Private CA certificates are checked.
   *
   * @param refreshSeconds period of the check of each ARN (DescribeCertificate, and
   *     ExportCertificate only when the certificate changed; GetCertificateAuthorityCertificate),
   *     shortened as a certificate nears its expiry; App Mesh delivered a renewal within 35 minutes,
   *     and the default of 30 minutes (with jitter) keeps that
   * @param retrySeconds first retry after a failed call, doubling up to {@code refreshSeconds}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AwsAcm(Integer refreshSeconds, Integer retrySeconds) {
    public AwsAcm {
      refreshSeconds = refreshSeconds == null ? 1800 : refreshSeconds;
      retrySeconds = retrySeconds == null ? 5 : retrySeconds;
    }
  }

  /**
   * {@code aws.endpoints}: endpoint overrides (e.g. a local endpoint or a VPC endpoint URL), "" for
   * the region's default.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AwsEndpoints(String servicediscovery, String acm, String acmpca) {
    public AwsEndpoints {
      servicediscovery = servicediscovery == null ? "" : servicediscovery;
      acm = acm == null ? "" : acm;
      acmpca = acmpca == null ? "" : acmpca;
    }
  }
}
