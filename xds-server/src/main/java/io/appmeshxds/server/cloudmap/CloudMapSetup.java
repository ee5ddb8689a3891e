package io.appmeshxds.server.cloudmap;

import io.appmeshxds.server.aws.AwsClients;
import io.appmeshxds.tracing.config.CloudMapConfig;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/**
 * What the Cloud Map refresher and registrar need: the config's {@code aws.cloudMap} section, a
 * Cloud Map client (built once, on first use, so a control plane without Cloud Map nodes never
 * builds one, and one without a region fails only when it asks), the clock, and whether they run
 * on threads of their own ({@code driven}) or a test drives them.
 */
public final class CloudMapSetup implements AutoCloseable {
  private final CloudMapConfig config;
  private final Supplier<ServiceDiscoveryClient> factory;
  private final Clock clock;
  private final boolean driven;
  private final AutoCloseable owned;
  private ServiceDiscoveryClient client;

  public CloudMapSetup(CloudMapConfig config, Supplier<ServiceDiscoveryClient> factory, Clock clock, boolean driven,
      AutoCloseable owned) {
    this.config = config;
    this.factory = factory;
    this.clock = clock;
    this.driven = driven;
    this.owned = owned;
  }

  /** From the config file's {@code aws} section: the SDK's default credential chain, the system clock, own threads. */
  public static CloudMapSetup of(ControlPlaneConfig.Aws aws) {
    AwsClients clients = new AwsClients(aws);
    return new CloudMapSetup(aws.cloudMap(), clients::serviceDiscoveryWithoutRetries, Clock.systemUTC(), true, clients);
  }

  public CloudMapConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public boolean driven() {
    return driven;
  }

  /** The client, built on first use (thread-safe). */
  public synchronized ServiceDiscoveryClient client() {
    if (client == null) {
      client = factory.get();
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    try {
      if (owned != null) {
        owned.close();
      }
    } catch (Exception e) {
      // closing anyway
    }
  }
}
