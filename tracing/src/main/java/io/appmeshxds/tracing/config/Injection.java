package io.appmeshxds.tracing.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code injection}: how the admission webhook of {@code serve --kubernetes} and the offline
 * {@code inject} command put Envoy into pods. Defaults are App Mesh's controller's
 * ({@code pkg/inject/config.go} flags, eks-charts {@code stable/appmesh-controller/values.yaml}) except
 * where a field says otherwise.
 *
 * <pre>
 * injection:
 *   failurePolicy: Fail        # Fail: refuse the pod (App Mesh); Ignore: create it unmeshed, annotated
 *   xdsAddress: appmesh-xds.appmesh-system:18000
 *   xdsTls: {enabled: false, caFile: "", certFile: "", keyFile: "", sni: "", secretName: "",
 *            mountPath: /etc/appmesh-xds/tls, csiDriver: ""}
 *   fsGroup: true              # fsGroup 1337 when the pod sets none (App Mesh: --enable-iam-for-service-accounts)
 *   envoy: {image: envoyproxy/envoy:v1.34.13, logLevel: info, adminPort: 9902, statsPort: 9901,
 *           cpuRequest: 10m, memoryRequest: 32Mi, cpuLimit: "", memoryLimit: "",
 *           preStopDelaySeconds: 20, readinessInitialDelaySeconds: 1, readinessPeriodSeconds: 10,
 *           waitUntilProxyReady: true, postStartTimeoutSeconds: 180,
 *           sds: {enabled: false, socketPath: /run/spire/sockets/agent.sock}}
 *   proxyInit: {image: 840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-proxy-route-manager:v7-prod,
 *               egressIgnoredIPs: 169.254.169.254}
 *   xrayDaemon: {enabled: false, image: public.ecr.aws/xray/aws-xray-daemon:3.x, region: "", logLevel: prod, roleArn: ""}
 *   webhook: {certificates: generate, secretName: appmesh-xds-webhook-tls, certDir: /etc/appmesh-xds/webhook,
 *             configurationName: appmesh-xds, serviceName: appmesh-xds-webhook, validityDays: 365, renewBeforeDays: 30}
 * </pre>
 *
 * @param failurePolicy what a pod gets when injection cannot decide (no or several matching nodes
 *     with injection enabled, a malformed annotation, the control plane not synced yet)
 * @param xdsAddress {@code host:port} the injected Envoy dials for ADS
 * @param xdsTls TLS to the control plane (the {@code bootstrap --xds-tls} options)
 * @param fsGroup set {@code fsGroup: 1337} when the pod has none
 * @param envoy the Envoy container
 * @param proxyInit the iptables init container
 * @param xrayDaemon the X-Ray daemon container (only for proxies that trace to X-Ray: {@code tracing.provider: xray},
 *     or their VirtualNode's or VirtualGateway's {@code appmesh-xds.io/tracing} annotation)
 * @param webhook the webhook's serving certificate and the objects it keeps up to date
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Injection(FailurePolicy failurePolicy, String xdsAddress, XdsTls xdsTls, Boolean fsGroup, Envoy envoy,
    ProxyInit proxyInit, XrayDaemon xrayDaemon, Webhook webhook) {

  public Injection {
    failurePolicy = failurePolicy == null ? FailurePolicy.Fail : failurePolicy;
    xdsAddress = xdsAddress == null ? "appmesh-xds.appmesh-system:18000" : xdsAddress;
    xdsTls = xdsTls == null ? new XdsTls(null, null, null, null, null, null, null, null) : xdsTls;
    fsGroup = fsGroup == null || fsGroup;
    envoy = envoy == null ? new Envoy(null, null, null, null, null, null, null, null, null, null, null, null, null, null) : envoy;
    proxyInit = proxyInit == null ? new ProxyInit(null, null) : proxyInit;
    xrayDaemon = xrayDaemon == null ? new XrayDaemon(null, null, null, null, null) : xrayDaemon;
    webhook = webhook == null ? new Webhook(null, null, null, null, null, null, null) : webhook;
  }

  /** Every default. */
  public static Injection defaults() {
    return new Injection(null, null, null, null, null, null, null, null);
  }

  /** App Mesh's {@code failurePolicy: Fail} refuses the pod; {@code Ignore} creates it unmeshed. */
  public enum FailurePolicy {
    Fail,
    Ignore
  }

  /**
   * {@code injection.xdsTls}: the files Envoy reads to reach the control plane over TLS (paths in the
   * Envoy container; {@code caFile} is required when enabled), and optionally what is mounted at
   * {@code mountPath} to provide them: a Secret ({@code secretName}) or a CSI driver that issues each
   * pod its own SPIFFE certificate ({@code csiDriver}, e.g. cert-manager's
   * {@code spiffe.csi.cert-manager.io}, which writes {@code tls.crt}, {@code tls.key} and {@code ca.crt}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record XdsTls(Boolean enabled, String caFile, String certFile, String keyFile, String sni, String secretName,
      String mountPath, String csiDriver) {
    public XdsTls {
      enabled = enabled != null && enabled;
      caFile = caFile == null ? "" : caFile;
      certFile = certFile == null ? "" : certFile;
      keyFile = keyFile == null ? "" : keyFile;
      sni = sni == null ? "" : sni;
      secretName = secretName == null ? "" : secretName;
      mountPath = mountPath == null ? "/etc/appmesh-xds/tls" : mountPath;
      csiDriver = csiDriver == null ? "" : csiDriver;
    }
  }

  /**
   * {@code injection.envoy}. The image is upstream Envoy, pinned (App Mesh's last image,
   * v1.34.13.3-prod, was Envoy 1.34.13). {@code adminPort} binds loopback only; {@code statsPort}
   * (App Mesh's admin port, 9901) serves {@code /stats/prometheus} and {@code /ready} on the pod IP.
   * {@code waitUntilProxyReady} is on by default here (App Mesh's default was off).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Envoy(String image, String logLevel, Integer adminPort, Integer statsPort, String cpuRequest,
      String memoryRequest, String cpuLimit, String memoryLimit, Integer preStopDelaySeconds,
      Integer readinessInitialDelaySeconds, Integer readinessPeriodSeconds, Boolean waitUntilProxyReady,
      Integer postStartTimeoutSeconds, Sds sds) {
    public Envoy {
      image = image == null ? "envoyproxy/envoy:v1.34.13" : image;
      logLevel = logLevel == null ? "info" : logLevel;
      adminPort = adminPort == null ? 9902 : adminPort;
      statsPort = statsPort == null ? 9901 : statsPort;
      cpuRequest = cpuRequest == null ? "10m" : cpuRequest;
      memoryRequest = memoryRequest == null ? "32Mi" : memoryRequest;
      cpuLimit = cpuLimit == null ? "" : cpuLimit;
      memoryLimit = memoryLimit == null ? "" : memoryLimit;
      preStopDelaySeconds = preStopDelaySeconds == null ? 20 : preStopDelaySeconds;
      readinessInitialDelaySeconds = readinessInitialDelaySeconds == null ? 1 : readinessInitialDelaySeconds;
      readinessPeriodSeconds = readinessPeriodSeconds == null ? 10 : readinessPeriodSeconds;
      waitUntilProxyReady = waitUntilProxyReady == null || waitUntilProxyReady;
      postStartTimeoutSeconds = postStartTimeoutSeconds == null ? 180 : postStartTimeoutSeconds;
      sds = sds == null ? new Sds(null, null) : sds;
    }
  }

  /** {@code injection.envoy.sds}: a node-local SDS socket (SPIRE) mounted into Envoy (App Mesh's {@code --enable-sds}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Sds(Boolean enabled, String socketPath) {
    public Sds {
      enabled = enabled != null && enabled;
      socketPath = socketPath == null ? "/run/spire/sockets/agent.sock" : socketPath;
    }
  }

  /** {@code injection.proxyInit}: App Mesh's route manager image and its default egress-ignored IPs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ProxyInit(String image, String egressIgnoredIPs) {
    public ProxyInit {
      image = image == null ? "840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-proxy-route-manager:v7-prod" : image;
      egressIgnoredIPs = egressIgnoredIPs == null ? "169.254.169.254" : egressIgnoredIPs;
    }
  }

  /** {@code injection.xrayDaemon}: App Mesh's {@code xray-daemon} container. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record XrayDaemon(Boolean enabled, String image, String region, String logLevel, String roleArn) {
    public XrayDaemon {
      enabled = enabled != null && enabled;
      image = image == null ? "public.ecr.aws/xray/aws-xray-daemon:3.x" : image;
      region = region == null ? "" : region;
      logLevel = logLevel == null ? "prod" : logLevel;
      roleArn = roleArn == null ? "" : roleArn;
    }
  }

  /**
   * {@code injection.webhook}: the serving certificate of the webhook and the objects kept up to date.
   *
   * @param certificates {@code generate}: the lease holder keeps a CA and a serving certificate in the
   *     Secret {@code secretName} and the CA bundle of the MutatingWebhookConfiguration
   *     {@code configurationName} up to date; {@code files}: {@code tls.crt}/{@code tls.key} are read
   *     from {@code certDir} (e.g. cert-manager's Secret mounted there) and reloaded when they change
   * @param secretName the Secret (in the control plane's namespace) holding the generated certificates
   * @param certDir where {@code files} are read
   * @param configurationName the MutatingWebhookConfiguration whose {@code caBundle} is patched
   * @param serviceName the Service in front of the webhook (the certificate's DNS names)
   * @param validityDays lifetime of a generated serving certificate
   * @param renewBeforeDays renew a generated certificate this long before it expires
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Webhook(String certificates, String secretName, String certDir, String configurationName,
      String serviceName, Integer validityDays, Integer renewBeforeDays) {
    public Webhook {
      certificates = certificates == null ? "generate" : certificates;
      secretName = secretName == null ? "appmesh-xds-webhook-tls" : secretName;
      certDir = certDir == null ? "/etc/appmesh-xds/webhook" : certDir;
      configurationName = configurationName == null ? "appmesh-xds" : configurationName;
      serviceName = serviceName == null ? "appmesh-xds-webhook" : serviceName;
      validityDays = validityDays == null ? 365 : validityDays;
      renewBeforeDays = renewBeforeDays == null ? 30 : renewBeforeDays;
    }
  }
}
