package io.appmeshxds.server.aws;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acmpca.AcmPcaClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/**
 * Builds the AWS clients the control plane uses, from the config file's {@code aws} section:
 * region ("" leaves it to the SDK's default region chain), endpoint override per service, the
 * SDK's default credential chain (IRSA's web identity in a cluster) unless a test passes its own,
 * the JDK's HttpURLConnection (one HTTP stack for every client), and bounded call times. Retries
 * are the SDK's standard strategy, which backs off on throttling.
 *
 * <p>One HTTP client is shared by every client built here and closed with it.
 */
public final class AwsClients implements AutoCloseable {
  /** Longest a whole call (all attempts) may take. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final ControlPlaneConfig.Aws config;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;

  /** Clients with the SDK's default credential chain. */
  public AwsClients(ControlPlaneConfig.Aws config) {
    this(config, DefaultCredentialsProvider.builder().build());
  }

  /** Clients with the given credentials (tests, or a caller with its own chain). */
  public AwsClients(ControlPlaneConfig.Aws config, AwsCredentialsProvider credentials) {
    this.config = config;
    this.credentials = credentials;
    this.http = UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(20))
        .build();
  }

  /** Cloud Map. */
  public ServiceDiscoveryClient serviceDiscovery() {
    return configure(ServiceDiscoveryClient.builder(), config.endpoints().servicediscovery()).build();
  }

  /**
   * Cloud Map without the SDK's retries: one attempt per call. Why: the Cloud Map refresher and
   * registrar back off and retry themselves, per question and per instance, so a throttled or
   * failing call never holds up other work, and every failure is counted and shown.
   */
  public ServiceDiscoveryClient serviceDiscoveryWithoutRetries() {
    return configure(ServiceDiscoveryClient.builder(), config.endpoints().servicediscovery(),
        o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())).build();
  }

  /** ACM. */
  public AcmClient acm() {
    return configure(AcmClient.builder(), config.endpoints().acm()).build();
  }

  /** ACM Private CA. */
  public AcmPcaClient acmPca() {
    return configure(AcmPcaClient.builder(), config.endpoints().acmpca()).build();
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B b, String endpoint) {
    return configure(b, endpoint, o -> {});
  }

  /**
   * Why one place sets the override configuration: each {@code overrideConfiguration} call replaces
   * the previous one, so every setting a client needs is applied here at once.
   */
  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B b, String endpoint,
      java.util.function.Consumer<software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder> extra) {
    b.credentialsProvider(credentials)
        .httpClient(http)
        .overrideConfiguration(o -> extra.accept(o.apiCallTimeout(CALL_TIMEOUT)));
    if (!config.region().isEmpty()) {
      b.region(Region.of(config.region()));
    }
    if (!endpoint.isEmpty()) {
      // Why no host prefix with an override: Cloud Map's DiscoverInstances goes to "data-<host>";
      // an overridden endpoint (a VPC endpoint, a local server) is the host to call as given.
      b.endpointOverride(URI.create(endpoint))
          .overrideConfiguration(o -> extra.accept(o.apiCallTimeout(CALL_TIMEOUT)
              .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)));
    }
    return b;
  }

  @Override
  public void close() {
    http.close();
  }
}
