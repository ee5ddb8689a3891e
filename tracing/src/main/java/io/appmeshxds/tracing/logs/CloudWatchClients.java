package io.appmeshxds.tracing.logs;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/**
 * The CloudWatch Logs client the exporter uses: region and endpoint override from
 * {@code logging.cloudWatch}, the SDK's default credential chain (environment, system properties,
 * web identity / IRSA, profile, container and instance metadata), the JDK's HttpURLConnection.
 *
 * <p>Why retries are off ({@code AwsRetryStrategy.doNotRetry()}): the exporter's sender decides
 * every retry itself (jittered exponential backoff with no attempt limit, spilling to disk
 * meanwhile), so it can count them and so a call is never retried twice over by two layers. Each
 * attempt is bounded by a 30 s call timeout.
 */
public final class CloudWatchClients {
  private CloudWatchClients() {}

  public static CloudWatchLogsClient create(ControlPlaneConfig.CloudWatch cw) {
    return builder(cw.region(), cw.endpoint()).credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
  }

  /** A builder with everything but credentials. */
  public static CloudWatchLogsClientBuilder builder(String region, String endpoint) {
    CloudWatchLogsClientBuilder b = CloudWatchLogsClient.builder()
        .region(Region.of(region))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(30)));
    if (endpoint != null && !endpoint.isEmpty()) {
      b.endpointOverride(URI.create(endpoint));
    }
    return b;
  }
}
